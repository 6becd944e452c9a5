"""在籍考生 (seed 001): candidates who already hold a 准考证号 from before the platform — imported
records without a password — claim their account with 身份证号 + 姓名 + 准考证号, set a phone and a
password, then pass the "两照" identity check before they can do business."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.candidates.models import ExamNumber
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import VerificationError, code_verify

from ..models import User
from ..passwords import password_validate
from . import AccountError
from .passwords import password_hash

CLAIM_REFUSED = (
    _("未找到与身份证号、姓名、准考证号一致的在籍考生记录，或该账号已激活。请核对后重试；"
    "已激活的账号请直接登录或找回密码；确有疑问请携带身份证到考区咨询。")
)


def enrolled_account_find(*, id_number: str, real_name: str, exam_number: str) -> User:
    """The imported, not yet activated account these three facts name; one message for every miss,
    so the form cannot be used to learn which of the three was wrong."""
    user = (
        User.objects.filter(kind=User.Kind.CANDIDATE, id_number=id_number, real_name=real_name.strip(),
                            candidate__exam_numbers__number=exam_number.strip(),
                            candidate__exam_numbers__status=ExamNumber.Status.ACTIVE)
        .distinct()
        .first()
    )
    if user is None or user.has_usable_password():
        raise AccountError(CLAIM_REFUSED)
    return user


def enrolled_account_activate(*, user: User, phone: str, sms_code: str, password: str) -> User:
    """Bind the phone and set the password of a claimed account."""
    if user.has_usable_password():
        raise AccountError(gettext("该账号已激活，请直接登录"))
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise AccountError(gettext("该手机号已绑定其他账号，一个手机号只能绑定一个账号"), field="phone")
    try:
        password_validate(password=password, user=user)
    except Exception as exc:  # ValidationError with Chinese messages
        # Translators: separates several password problems in one message.
        raise AccountError(gettext("；").join(getattr(exc, "messages", [str(exc)])), field="password") from exc
    try:
        code_verify(target=phone, purpose=VerificationCode.Purpose.REGISTER, code=sms_code)
    except VerificationError as exc:
        raise AccountError(str(exc), field="sms_code") from exc
    from django.utils import timezone

    hashed = password_hash(password)  # slow on purpose: before the transaction, not inside it
    try:
        with transaction.atomic():
            user.phone = phone
            user.password = hashed
            user.password_changed_at = timezone.now()
            user.save(update_fields=["phone", "phone_digest", "password", "password_changed_at"])
    except IntegrityError:
        raise AccountError(gettext("该手机号已绑定其他账号，一个手机号只能绑定一个账号"), field="phone") from None
    return user
