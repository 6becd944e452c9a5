from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.utils import timezone

from ..models import User


@transaction.atomic
def password_set(*, user: User, new_password: str, request=None) -> None:
    """Set a new (already validated) password. With a request, the current session stays signed in;
    every other session of the account is signed out because the session hash changes."""
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)
