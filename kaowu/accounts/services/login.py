from django.contrib.auth import login

from kaowu.candidates.models import ExamNumber
from kaowu.verification.models import VerificationCode
from kaowu.verification.services import VerificationError, code_verify

from ..models import User
from . import AccountError

SESSION_ACTING_EXAM_NUMBER = "acting_exam_number"
BACKEND = "kaowu.accounts.backends.IdentifierBackend"


def candidate_login_by_sms(*, request, phone: str, sms_code: str) -> User:
    """Phone + SMS code login (seed 003). The same message whether or not the phone is bound."""
    user = User.objects.filter(phone=phone, kind=User.Kind.CANDIDATE, is_active=True).first()
    try:
        code_verify(target=phone, purpose=VerificationCode.Purpose.LOGIN, code=sms_code)
    except VerificationError as exc:
        raise AccountError(str(exc), field="sms_code") from exc
    if user is None:
        raise AccountError("验证码错误或已过期，请重新获取", field="sms_code")
    session_start(request=request, user=user)
    return user


def session_start(*, request, user: User) -> None:
    login(request, user, backend=BACKEND)
    if user.is_candidate:
        numbers = exam_numbers_of(user)
        if len(numbers) == 1:
            request.session[SESSION_ACTING_EXAM_NUMBER] = numbers[0].number


def exam_numbers_of(user: User) -> list[ExamNumber]:
    if not hasattr(user, "candidate"):
        return []
    return list(user.candidate.exam_numbers.filter(status=ExamNumber.Status.ACTIVE).select_related("exam_area"))


def acting_exam_number_choose(*, request, user: User, number: str) -> ExamNumber:
    """Act as one of the account's 准考证号 (seed 000: 选择对应准考证号，进入系统)."""
    for exam_number in exam_numbers_of(user):
        if exam_number.number == number:
            request.session[SESSION_ACTING_EXAM_NUMBER] = number
            return exam_number
    raise AccountError("请选择本人名下的准考证号")


def acting_exam_number(request) -> ExamNumber | None:
    number = request.session.get(SESSION_ACTING_EXAM_NUMBER)
    if not number or not request.user.is_authenticated:
        return None
    for exam_number in exam_numbers_of(request.user):
        if exam_number.number == number:
            return exam_number
    return None
