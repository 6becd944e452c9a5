"""django-axes hooks: lockout keyed by a hash of the identifier (no ID numbers in the lockout
table), and a lockout page that says when the account unlocks."""

import hashlib

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.shortcuts import render
from django.utils import timezone

from .backends import normalize_identifier


def lockout_username(request, credentials=None) -> str:
    identifier = None
    if credentials:
        identifier = credentials.get("identifier")
    if identifier is None and request is not None:
        identifier = request.POST.get("identifier")
    return "id:" + hashlib.sha256(normalize_identifier(identifier).encode()).hexdigest()[:32]


def lockout_unlock_time(request, credentials=None):
    attempt = (
        AccessAttempt.objects.filter(
            username=lockout_username(request, credentials), ip_address=get_client_ip_address(request)
        )
        .order_by("-attempt_time")
        .first()
    )
    last = attempt.attempt_time if attempt else timezone.now()
    return last + (get_cool_off(request) or timezone.timedelta(0))


def lockout_response(request, original_response=None, credentials=None):
    return render(
        request,
        "accounts/locked_out.html",
        {"unlock_at": lockout_unlock_time(request, credentials)},
        status=429,
    )
