from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

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
