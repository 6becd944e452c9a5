"""找回准考证号 (issue 4, part 2): 身份证号 + 姓名 + 图形验证码 → an SMS code to the phone bound to that
account → the account's active 准考证号 with their 考区.

Nothing the visitor sees tells whether an account exists: for an unknown 身份证号 + 姓名 pair (or an
account without a bound phone) a code is "sent" with deliver=False to a stand-in target, so limits,
countdowns, pages and messages are the same, and step 2 always refuses.
"""

import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from kaowu.core.errors import UserFacingError
from kaowu.notifications.providers import SmsDeliveryError
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import TooSoon, VerificationError, code_send, code_verify

from .models import ExamNumber

logger = logging.getLogger(__name__)
PURPOSE = VerificationCode.Purpose.FIND_EXAM_NUMBER
# How long the whole attempt (step 1 to step 2) may take.
ATTEMPT_MAX_AGE_SECONDS = 600


class RecoveryError(UserFacingError):
    """A problem shown to the visitor as is."""


@dataclass
class RecoveryAttempt:
    """What the session remembers between step 1 and step 2 (never shown to the visitor)."""

    user_id: int | None
    target: str
    started_at: float

    @property
    def expired(self) -> bool:
        return timezone.now().timestamp() - self.started_at > ATTEMPT_MAX_AGE_SECONDS

    def as_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data) -> "RecoveryAttempt | None":
        if not isinstance(data, dict):
            return None
        try:
            attempt = cls(**data)
        except TypeError:
            return None
        return attempt if attempt.target else None


def _account_for(*, id_number: str, real_name: str):
    """The candidate account with this 身份证号 and 姓名 and a bound phone, if any."""
    User = get_user_model()  # accounts imports candidates, not the other way round
    return (User.objects.filter(kind=User.Kind.CANDIDATE, is_active=True, id_number=id_number, real_name=real_name)
            .exclude(Q(phone__isnull=True) | Q(phone=""))
            .first())


def _stand_in_target(*, id_number: str, real_name: str) -> str:
    # A keyed hash rather than the ID number: no ID numbers in the codes table.
    return "exam-number:" + salted_hmac("kaowu.candidates.recover-stand-in", f"{id_number}:{real_name}",
                                        algorithm="sha256").hexdigest()[:40]


def exam_number_recovery_start(*, id_number: str, real_name: str, ip: str | None) -> tuple[RecoveryAttempt, int]:
    """Step 1 (inputs already normalised): send the code, or pretend to. Returns the attempt to
    remember and the seconds before another code may be sent."""
    user = _account_for(id_number=id_number, real_name=real_name)
    stand_in = _stand_in_target(id_number=id_number, real_name=real_name)
    target = user.phone if user else stand_in
    attempt = RecoveryAttempt(user_id=user.pk if user else None, target=target,
                              started_at=timezone.now().timestamp())
    try:
        # What the visitor sees (countdown, 请稍后) is keyed by what he typed, never by the phone.
        wait = code_send(target=target, purpose=PURPOSE, ip=ip, deliver=user is not None, shown_key=stand_in)
    except TooSoon as exc:
        # A code went out less than a minute ago: it is still good, so carry on to step 2.
        wait = exc.seconds_left
    except VerificationError as exc:
        if isinstance(exc.__cause__, SmsDeliveryError):
            # Telling the visitor would reveal that the account exists.
            logger.warning("Exam number recovery code for account %s could not be delivered", attempt.user_id)
            wait = settings.KAOWU_SMS_RESEND_SECONDS
        else:
            raise RecoveryError(str(exc)) from exc
    return attempt, wait


def exam_number_recovery_finish(*, attempt: RecoveryAttempt, code: str) -> list[ExamNumber]:
    """Step 2: the code from the SMS. Returns the account's active 准考证号 (with 考区), or raises
    RecoveryError — the same message for a wrong code and for an unknown account."""
    try:
        code_verify(target=attempt.target, purpose=PURPOSE, code=code)
    except VerificationError as exc:
        raise RecoveryError(str(exc)) from exc
    if attempt.user_id is None:  # never reached in practice: the stand-in code was never sent
        raise RecoveryError(gettext("验证码错误或已过期，请重新获取"))
    return list(ExamNumber.objects.filter(candidate__user_id=attempt.user_id, status=ExamNumber.Status.ACTIVE)
                .select_related("exam_area").order_by("issued_at", "number"))
