import pytest
from django.core.exceptions import ValidationError

from kaowu.accounts.passwords import password_validate
from kaowu.core.validation import normalize_id_number, normalize_phone
from kaowu.testing.factories import make_id_number


def test_a_valid_id_number_is_accepted_with_an_upper_case_x():
    number = make_id_number()
    assert normalize_id_number(f" {number.lower()} ") == number


@pytest.mark.parametrize(
    "value, message",
    [
        ("62010219950307123", "18位"),
        ("6201021995030712AB", "格式不正确"),
        ("620102199503071231", "校验位"),
        ("620102199513071234", "出生日期或地区码"),
        ("", "请输入身份证号"),
    ],
)
def test_an_invalid_id_number_says_what_is_wrong(value, message):
    if message == "校验位":
        good = make_id_number()
        value = good[:-1] + ("0" if good[-1] != "0" else "1")
    if message == "出生日期或地区码":
        from stdnum.cn import ric

        body = "62010219951307123"  # month 13
        value = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationError, match=message):
        normalize_id_number(value)


def test_a_mobile_number_is_normalised_to_eleven_digits():
    assert normalize_phone("+86 138-0013-8000") == "13800138000"


@pytest.mark.parametrize("value", ["12345678901", "1380013800", "010-12345678", "abc"])
def test_an_invalid_mobile_number_is_refused(value):
    with pytest.raises(ValidationError):
        normalize_phone(value)


def test_default_policy_accepts_a_long_passphrase_and_refuses_common_ones():
    password_validate(password="lanzhou niurou mian", exam_type="self_study")
    with pytest.raises(ValidationError):
        password_validate(password="password123", exam_type="self_study")
    with pytest.raises(ValidationError):
        password_validate(password="x" * 65, exam_type="self_study")
    with pytest.raises(ValidationError):
        password_validate(password="Ab1!", exam_type="self_study")


def test_upgrade_exam_policy_needs_12_to_16_with_four_kinds_of_characters():
    password_validate(password="Shanxi@2027zsb", exam_type="upgrade")
    for weak in ["shanxi@2027zsb", "SHANXI@2027ZSB", "Shanxi@zhuanshb", "Shanxi2027zsbx", "Sx@2027", "Shanxi@2027zsbTooLong"]:
        with pytest.raises(ValidationError):
            password_validate(password=weak, exam_type="upgrade")
