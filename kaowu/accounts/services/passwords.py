from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ..models import User


def password_hash(raw_password: str) -> str:
    """The stored form of a password. Hashing is slow on purpose (PBKDF2, a quarter of a second or
    more): call this before any transaction opens, never while the database's write lock is held —
    on SQLite every other writer waits for it (twenty registrations at once gave "database is locked")."""
    return make_password(raw_password)


def password_set(*, user: User, new_password: str | None = None, hashed_password: str | None = None,
                 request=None) -> None:
    """Set a new (already validated) password. Inside a caller's transaction, pass `hashed_password`
    (from `password_hash`, computed before the transaction) instead of `new_password`. With a request,
    the current session stays signed in; every other session of the account is signed out because
    the session hash changes."""
    if hashed_password is None:
        if new_password is None:
            raise TypeError("password_set needs new_password or hashed_password")
        hashed_password = password_hash(new_password)
    with transaction.atomic():
        user.password = hashed_password
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
            update_session_auth_hash(request, user)
