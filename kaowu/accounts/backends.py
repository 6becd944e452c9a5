from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.db.models import Q

from kaowu.verification.models import VerificationCode
from kaowu.verification.services import VerificationError, code_verify

from .models import User


def normalize_identifier(identifier: str | None) -> str:
    return (identifier or "").strip().upper()


def users_matching_identifier(identifier: str, *, kind: str):
    """Accounts a login identifier may name: 身份证号, 准考证号, phone or 考生号 for candidates;
    the username for staff."""
    identifier = normalize_identifier(identifier)
    if not identifier:
        return User.objects.none()
    if kind == User.Kind.STAFF:
        return User.objects.filter(kind=kind, username__iexact=identifier)
    return User.objects.filter(
        Q(id_number=identifier)
        | Q(phone=identifier)
        | Q(candidate_number=identifier)
        | Q(candidate__exam_numbers__number=identifier),
        kind=kind,
    ).distinct()


class IdentifierBackend(ModelBackend):
    """Password login by any of a candidate's identifiers, or by a staff username."""

    def authenticate(self, request, identifier=None, password=None, kind=User.Kind.CANDIDATE, **kwargs):
        if identifier is None or password is None:
            return None
        matches = list(users_matching_identifier(identifier, kind=kind)[:2])
        if len(matches) != 1:
            # Same cost as a real check, so timing does not tell whether the account exists.
            User().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class SmsCodeBackend(BaseBackend):
    """Phone + SMS code login (seed 003), through `authenticate()` like the password, so that the
    lockout (django-axes, kaowu/accounts/lockout.py) counts and refuses it the same way."""

    def authenticate(self, request, identifier=None, sms_code=None, kind=User.Kind.CANDIDATE, **kwargs):
        if identifier is None or sms_code is None or kind != User.Kind.CANDIDATE:
            return None
        user = User.objects.filter(phone=identifier, kind=User.Kind.CANDIDATE, is_active=True).first()
        try:
            # Checked whether or not the phone is bound: codes to unbound phones are "sent" silently.
            code_verify(target=identifier, purpose=VerificationCode.Purpose.LOGIN, code=sms_code)
        except VerificationError:
            return None
        return user
