from django.utils.translation import gettext

from kaowu.verification.models import VerificationCode
from kaowu.verification.services import VerificationError, code_send

from ..models import User

Purpose = VerificationCode.Purpose


def phone_code_request(*, purpose: str, phone: str, ip: str | None, user=None) -> int:
    """Send a code to a phone number the user typed; return seconds until the next may be sent.

    Login codes go only to numbers bound to an account, but the answer is the same either way.
    Registration and new-phone codes refuse numbers already bound, because the candidate has to
    know (seed 002: 一个手机号只允许注册一个账号).
    """
    bound = User.objects.filter(phone=phone).exists()
    if purpose in (Purpose.REGISTER, Purpose.CHANGE_PHONE_NEW, Purpose.APPEAL_NEW_PHONE) and bound:
        raise VerificationError(gettext("该手机号已绑定其他账号，一个手机号只能注册一个账号。如是本人账号，请直接登录或找回密码。"))
    deliver = bound if purpose == Purpose.LOGIN else True
    return code_send(target=phone, purpose=purpose, ip=ip, deliver=deliver)
