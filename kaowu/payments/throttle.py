"""Limits of the notify URL, which anyone can POST to: the body's size, and per client IP and minute the
number of POSTs and of refused ones (cache counters, shared by every process through Redis in
production). A gateway whose notifications are all accepted is only held by the high total limit;
someone posting forgeries is stopped after a few, before anything more is stored."""

import time

from django.conf import settings
from django.core.cache import cache

_WINDOW_SECONDS = 60


def _key(kind: str, ip: str) -> str:
    return f"payments:notify:{kind}:{ip}:{int(time.time()) // _WINDOW_SECONDS}"


def _bump(key: str) -> int:
    if cache.add(key, 1, _WINDOW_SECONDS * 2):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, _WINDOW_SECONDS * 2)
        return 1


def notify_over_limit(*, ip: str) -> bool:
    """Count this POST; True when the client is over either limit for this minute."""
    total = _bump(_key("all", ip))
    refused = cache.get(_key("refused", ip), 0)
    return total > settings.KAOWU_PAYMENT_NOTIFY_PER_MINUTE or refused >= settings.KAOWU_PAYMENT_NOTIFY_REFUSED_PER_MINUTE


def notify_refused(*, ip: str) -> None:
    """Count a notification that was refused (bad signature, stale, too large, unknown order …)."""
    _bump(_key("refused", ip))


def notify_body(request) -> bytes | None:
    """The body, or None when it is larger than KAOWU_PAYMENT_NOTIFY_MAX_BYTES (judged by the declared
    length first, then by reading at most one byte more than the limit)."""
    limit = settings.KAOWU_PAYMENT_NOTIFY_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body
