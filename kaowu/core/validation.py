"""Validation of identity data typed by candidates, with messages that say what to fix."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from kaowu.core.text import validate_person_name


def normalize_id_number(value: str) -> str:
    """Validate a 居民身份证号码 (18 digits, checksum, birth date, region code) and return it
    in canonical form (upper-case X)."""
    raw = (value or "").strip().replace(" ", "")
    if not raw:
        raise ValidationError(gettext("请输入身份证号"), code="required")
    try:
        number = ric.validate(raw)
    except InvalidLength:
        raise ValidationError(gettext("身份证号应为18位，请检查是否多输或少输"), code="length") from None
    except InvalidFormat:
        raise ValidationError(gettext("身份证号格式不正确：前17位应为数字，最后一位为数字或X"), code="format") from None
    except InvalidChecksum:
        raise ValidationError(gettext("身份证号校验位不正确，请逐位核对"), code="checksum") from None
    except InvalidComponent:
        raise ValidationError(gettext("身份证号中的出生日期或地区码不正确，请核对"), code="component") from None
    if len(number) != 18:
        raise ValidationError(gettext("请使用18位居民身份证号"), code="length")
    return number.upper()


def normalize_phone(value: str) -> str:
    """A mainland China mobile number, as 11 digits."""
    raw = (value or "").strip().replace(" ", "").replace("-", "")
    if not raw:
        raise ValidationError(gettext("请输入手机号"), code="required")
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(gettext("手机号格式不正确，请输入11位手机号"), code="format") from None
    national = str(parsed.national_number)
    if (
        parsed.country_code != 86
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                   phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        or len(national) != 11
    ):
        raise ValidationError(gettext("手机号不正确，请输入本人正在使用的11位中国大陆手机号"), code="invalid")
    return national


def normalize_real_name(value: str) -> str:
    """A candidate's 姓名 under the project's one name rule (`kaowu.core.text.validate_person_name`),
    at most 30 characters."""
    name = validate_person_name(value)
    if len(name) > 30:
        raise ValidationError(gettext("姓名不能超过30个字"), code="length")
    return name
