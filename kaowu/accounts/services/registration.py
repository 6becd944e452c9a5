from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.candidates.models import Candidate
from kaowu.organization.models import Region
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import VerificationError, code_verify

from ..models import User
from ..passwords import password_validate
from . import AccountError
from .passwords import password_hash

ID_TAKEN_MESSAGE = (
    _("该身份证号已注册。请核对是否本人已注册并尝试登录（忘记密码可通过“找回密码”重置）；"
    "若确认非本人注册，请携带本人有效身份证件前往考区处理。")
)
ENROLLED_MESSAGE = _("您已是在籍考生（已有准考证号），无需重新注册。请选择“我是在籍考生”，核对考籍信息后设置登录密码。")
PHONE_TAKEN_MESSAGE = _("该手机号已注册其他账号，一个手机号只能注册一个账号。请更换手机号，或用该手机号登录。")


def candidate_register(*, real_name: str, id_number: str, phone: str, sms_code: str, password: str,
                       district: Region, exam_type: str = User.ExamType.SELF_STUDY) -> User:
    """Create a self-registered candidate account (seeds 000, 002, 003).

    Inputs are already normalised by the form; this checks uniqueness, the SMS code and the
    password policy, and creates the account and its candidate record together.
    """
    existing = User.objects.filter(id_number=id_number).first()
    if existing is not None and not existing.has_usable_password() and hasattr(existing, "candidate"):
        raise AccountError(ENROLLED_MESSAGE, field="id_number")
    if existing is not None:
        raise AccountError(ID_TAKEN_MESSAGE, field="id_number")
    if User.objects.filter(phone=phone).exists():
        raise AccountError(PHONE_TAKEN_MESSAGE, field="phone")
    try:
        password_validate(password=password, exam_type=exam_type)
    except Exception as exc:  # ValidationError carries Chinese messages
        # Translators: separates several password problems in one message.
        raise AccountError(gettext("；").join(getattr(exc, "messages", [str(exc)])), field="password") from exc
    try:
        code_verify(target=phone, purpose=VerificationCode.Purpose.REGISTER, code=sms_code)
    except VerificationError as exc:
        raise AccountError(str(exc), field="sms_code") from exc

    # Hashing is slow on purpose: done before the transaction opens, so the write lock is held
    # for the inserts only (on SQLite, twenty registrations at once otherwise queue behind the hashes).
    hashed = password_hash(password)
    try:
        with transaction.atomic():
            user = User(kind=User.Kind.CANDIDATE, exam_type=exam_type, real_name=real_name,
                        id_number=id_number, phone=phone, password=hashed)
            user.save()
            Candidate.objects.create(user=user, district=district)
    except IntegrityError:
        # Someone registered the same ID or phone between our check and the insert.
        if User.objects.filter(id_number=id_number).exists():
            raise AccountError(ID_TAKEN_MESSAGE, field="id_number") from None
        raise AccountError(PHONE_TAKEN_MESSAGE, field="phone") from None
    return user
