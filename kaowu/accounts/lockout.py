"""Login lockout (django-axes): failures counted per account and per address.

Every login — password (candidates and staff), SMS code — goes through `authenticate()`, where
axes' backend refuses a locked login and its signal handlers count failures. Here we configure it:

- `lockout_username` (AXES_USERNAME_CALLABLE) maps whatever identifier was typed (身份证号, 准考证号,
  phone, 考生号, a staff username) to its account, "user:<pk>": five failures by ID number lock the
  login by phone too, from every address. An identifier that names no account is counted as
  itself ("ident:<keyed hash>", no ID number stored), so it locks after the same number of
  failures and the lockout cannot tell existing from non-existing accounts.
- `AccountAndAddressHandler` (AXES_HANDLER) counts the account (AXES_FAILURE_LIMIT) and the address
  across accounts (KAOWU_LOGIN_IP_FAILURE_LIMIT, larger: credential stuffing) with their own
  limits, and a successful login clears the account's failures only, never the address's.
- `lockout_response` (AXES_LOCKOUT_CALLABLE) says when the login unlocks.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .backends import normalize_identifier, users_matching_identifier
from .models import User


def account_key(user) -> str:
    return f"user:{user.pk}"


def _identifier_and_kind(request, credentials) -> tuple[str, str]:
    credentials = credentials or {}
    identifier = credentials.get("identifier")
    if identifier is None and request is not None:  # not reached by authenticate(): a fallback
        identifier = request.POST.get("identifier") or request.POST.get("phone")
    kind = credentials.get("kind") or (
        User.Kind.STAFF if request is not None and request.path.startswith("/backoffice/") else User.Kind.CANDIDATE)
    return normalize_identifier(identifier), kind


def lockout_username(request, credentials=None) -> str:
    """The key failures are counted under: the account the identifier names, else the identifier."""
    identifier, kind = _identifier_and_kind(request, credentials)
    cache = getattr(request, "_kaowu_lockout_keys", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._kaowu_lockout_keys = cache
    if (identifier, kind) not in cache:
        matches = list(users_matching_identifier(identifier, kind=kind).values_list("pk", flat=True)[:2])
        if len(matches) == 1:
            cache[identifier, kind] = f"user:{matches[0]}"
        else:
            digest = salted_hmac("kaowu.accounts.lockout", f"{kind}:{identifier}", algorithm="sha256").hexdigest()
            cache[identifier, kind] = "ident:" + digest[:40]
    return cache[identifier, kind]


def _recent(request):
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def _address_limit() -> int:
    return settings.KAOWU_LOGIN_IP_FAILURE_LIMIT


def _sum(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per lockout parameter: the account locks at
    AXES_FAILURE_LIMIT failures, the address at KAOWU_LOGIN_IP_FAILURE_LIMIT."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this number with AXES_FAILURE_LIMIT: an address over its own limit counts as
        # a locked account.
        account = _sum(_recent(request).filter(username=get_client_username(request, credentials)))
        if _sum(_recent(request).filter(ip_address=request.axes_ip_address)) >= _address_limit():
            return max(account, get_failure_limit(request, credentials))
        return account

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)  # the access log (AXES_RESET_ON_SUCCESS is off)
        lockout_reset_account(user)


def lockout_reset_account(user) -> None:
    """Clear an account's failures (a successful login, a password reset); the address keeps its own."""
    AccessAttempt.objects.filter(username=account_key(user)).delete()


def _unlock_at(attempts, limit: int, cool_off):
    """When fewer than `limit` failures remain: rows expire one cool-off after their last failure."""
    rows = list(attempts.order_by("attempt_time").values_list("attempt_time", "failures_since_start"))
    left = sum(failures for _, failures in rows)
    for attempt_time, failures in rows:
        if left < limit:
            break
        left -= failures
        if left < limit:
            return attempt_time + cool_off
    return None


def lockout_unlock_time(request, credentials=None):
    AxesProxyHandler.update_request(request)
    cool_off = get_cool_off(request) or timezone.timedelta(0)
    recent = _recent(request)
    candidates = [
        _unlock_at(recent.filter(username=lockout_username(request, credentials)),
                   get_failure_limit(request, credentials), cool_off),
        _unlock_at(recent.filter(ip_address=get_client_ip_address(request)), _address_limit(), cool_off),
    ]
    found = [moment for moment in candidates if moment is not None]
    return max(found) if found else timezone.now() + cool_off


def lockout_response(request, original_response=None, credentials=None):
    return render(
        request,
        "accounts/locked_out.html",
        {"unlock_at": lockout_unlock_time(request, credentials)},
        status=429,
    )
