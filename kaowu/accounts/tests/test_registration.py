import pytest

from kaowu.accounts.models import User
from kaowu.candidates.models import Candidate
from kaowu.organization.models import Region
from kaowu.testing.factories import CandidateFactory, make_id_number

from .helpers import captcha_key

PHONE = "13912345678"


def _request_code(client, captcha_solver, phone=PHONE):
    page = client.get("/accounts/register/").content.decode()
    key = captcha_key(page)
    return client.post("/verify/sms/register/", {"phone": phone, "captcha_0": key, "captcha_1": captcha_solver(key)})


def _form(**overrides):
    data = {
        "real_name": "马小红",
        "id_number": make_id_number("620102", "19990512"),
        "district": str(Region.objects.get(code="620102").pk),
        "phone": PHONE,
        "sms_code": "",
        "password": "Lanzhou-2027-ok",
        "password2": "Lanzhou-2027-ok",
        "agree": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def registered_code(client, gansu, captcha_solver, sms_inbox):
    response = _request_code(client, captcha_solver)
    assert "验证码已发送" in response.content.decode()
    return sms_inbox(PHONE)


def test_a_candidate_registers_and_lands_on_the_candidate_home(client, registered_code):
    data = _form(sms_code=registered_code)
    response = client.post("/accounts/register/", data, follow=True)
    page = response.content.decode()
    assert "注册成功" in page and "个人中心" in page
    user = User.objects.get(phone=PHONE)
    assert user.real_name == "马小红" and user.id_number == data["id_number"]
    assert Candidate.objects.get(user=user).district.name == "城关区"
    assert data["id_number"] not in page  # masked on the page
    assert data["id_number"][:4] + "**********" + data["id_number"][-4:] in page


def test_sms_code_needs_the_captcha(client, gansu):
    response = client.post("/verify/sms/register/", {"phone": PHONE, "captcha_0": "nope", "captcha_1": "ABCD"})
    assert "图形验证码错误" in response.content.decode()


def test_a_taken_id_number_tells_the_candidate_what_to_do_and_keeps_the_form(client, registered_code):
    existing = CandidateFactory()
    response = client.post("/accounts/register/", _form(id_number=existing.user.id_number, sms_code=registered_code))
    page = response.content.decode()
    assert "该身份证号已注册" in page and "前往考区" in page
    assert 'value="马小红"' in page and f'value="{PHONE}"' in page
    assert User.objects.filter(phone=PHONE).count() == 0


def test_a_phone_bound_to_another_account_gets_no_code(client, gansu, captcha_solver):
    CandidateFactory(user__phone=PHONE)
    response = _request_code(client, captcha_solver)
    assert "该手机号已绑定其他账号" in response.content.decode()


def test_a_wrong_sms_code_is_refused_and_nothing_is_created(client, registered_code):
    wrong = f"{(int(registered_code) + 1) % 10**6:06d}"
    response = client.post("/accounts/register/", _form(sms_code=wrong))
    assert "验证码错误或已过期" in response.content.decode()
    assert not User.objects.filter(phone=PHONE).exists()


def test_an_invalid_id_number_keeps_what_was_typed(client, registered_code):
    response = client.post("/accounts/register/", _form(id_number="620102199905121230", sms_code=registered_code))
    page = response.content.decode()
    assert "身份证号" in page and "校验位" in page or "出生日期" in page
    assert 'value="马小红"' in page and "620102199905121230" in page


def test_mismatched_passwords_and_missing_agreement_are_named(client, registered_code):
    data = _form(sms_code=registered_code, password2="Different-2027")
    data.pop("agree")
    page = client.post("/accounts/register/", data).content.decode()
    assert "两次输入的密码不一致" in page and "请阅读并勾选同意" in page


def test_a_weak_password_is_refused_with_the_reason(client, registered_code):
    page = client.post("/accounts/register/", _form(sms_code=registered_code, password="12345678",
                                                    password2="12345678")).content.decode()
    assert "密码" in page and not User.objects.filter(phone=PHONE).exists()
