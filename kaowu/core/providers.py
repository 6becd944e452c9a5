"""What every provider that talks to the outside world shares (SMS, WeChat, identity registry, face check,
payments, e-mail), without knowing any of them.

* `development`: a class attribute. The base class of each provider family and its development stand-in
  say True; a real provider says False once it speaks to the real service. The system check
  `kaowu.core.checks.providers_check` refuses a development provider unless KAOWU_DEMO or KAOWU_DEBUG is
  on, so a new provider that forgets to say False is refused rather than trusted.
* `configuration_problems()`: a real provider's classmethod listing what is missing from its settings;
  the same check reports them.
* `signed_json_post(...)`: the signed HTTPS JSON call of the province's service brokers (identity
  registry, face check), specified below, and `json_get(...)` for plain JSON APIs.

The signed JSON protocol (a request the broker can authenticate, and an answer bound to that request):

    POST <url>                      body: UTF-8 JSON
    X-Kaowu-App-Id:    <app id>
    X-Kaowu-Timestamp: <Unix seconds>          the broker refuses one more than 5 minutes off
    X-Kaowu-Nonce:     <32 hex digits>         the broker refuses one it has seen
    X-Kaowu-Signature: hex(HMAC-SHA256(secret, "POST\\n<path>\\n<timestamp>\\n<nonce>\\n<hex(SHA-256(body))>"))

    answer:  2xx, UTF-8 JSON body, and
    X-Kaowu-Signature: hex(HMAC-SHA256(secret, "<the request's nonce>\\n<hex(SHA-256(answer body))>"))

An answer without the right signature (a replayed or forged answer), a non-2xx status, a body that is
not a JSON object, or no answer within KAOWU_PROVIDER_TIMEOUT_SECONDS is a `ProviderUnavailable`.
"""

import hashlib
import hmac
import ipaddress
import json
import secrets
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

HEADER_APP_ID = "X-Kaowu-App-Id"
HEADER_TIMESTAMP = "X-Kaowu-Timestamp"
HEADER_NONCE = "X-Kaowu-Nonce"
HEADER_SIGNATURE = "X-Kaowu-Signature"
MAX_ANSWER_BYTES = 1024 * 1024


class ProviderUnavailable(Exception):
    """The service did not answer, or answered something that cannot be trusted. `status` is the HTTP
    status when there was one, `body` the decoded JSON error body when there was one."""

    def __init__(self, message: str, *, status: int | None = None, body: dict | None = None):
        super().__init__(message)
        self.status, self.body = status, body or {}


def is_development(cls) -> bool:
    return bool(getattr(cls, "development", False))


def setting_problems(*, required: tuple[str, ...] = (), urls: tuple[str, ...] = ()) -> list[str]:
    """Names in `required` that are empty, and URLs in `urls` that are not https (plain http is
    allowed to a loopback address only, for a broker on the same machine and for tests)."""
    problems = [f"{name} is not set" for name in required if not getattr(settings, name, "")]
    for name in urls:
        value = getattr(settings, name, "")
        if value and not url_is_safe(value):
            problems.append(f"{name} must be an https:// URL")
    return problems


def url_is_safe(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def request_signature(*, secret: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"POST\n{path}\n{timestamp}\n{nonce}\n{_digest(body)}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def answer_signature(*, secret: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{nonce}\n{_digest(body)}".encode(), hashlib.sha256).hexdigest()


def http_open(request: urllib.request.Request, *, timeout: float) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 — https checked
            return response.status, dict(response.headers), response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers or {}), exc.read(MAX_ANSWER_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ProviderUnavailable(f"no answer: {getattr(exc, 'reason', exc)}") from None


def json_object(raw: bytes) -> dict | None:
    if len(raw) > MAX_ANSWER_BYTES:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def signed_json_post(*, url: str, app_id: str, secret: str, payload: dict, timeout: float | None = None) -> dict:
    """POST `payload` to a broker with the signed JSON protocol; return its answer (a JSON object)."""
    if not url_is_safe(url):
        raise ProviderUnavailable("service URL is not https")
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    path = urlsplit(url).path or "/"
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        HEADER_APP_ID: app_id,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: request_signature(secret=secret, path=path, timestamp=timestamp, nonce=nonce, body=body),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    status, answer_headers, raw = http_open(request, timeout=timeout or settings.KAOWU_PROVIDER_TIMEOUT_SECONDS)
    data = json_object(raw)
    given = {k.lower(): v for k, v in answer_headers.items()}.get(HEADER_SIGNATURE.lower(), "")
    if not hmac.compare_digest(answer_signature(secret=secret, nonce=nonce, body=raw), given):
        raise ProviderUnavailable(f"answer signature invalid (HTTP {status})", status=status)
    if not 200 <= status < 300:
        raise ProviderUnavailable(f"HTTP {status}", status=status, body=data)
    if data is None:
        raise ProviderUnavailable("answer is not a JSON object", status=status)
    return data


def json_get(*, url: str, timeout: float | None = None) -> dict:
    """GET a JSON object (WeChat's APIs answer errors as 200 with an `errcode`)."""
    if not url_is_safe(url):
        raise ProviderUnavailable("service URL is not https")
    request = urllib.request.Request(url, headers={"Accept": "application/json"}, method="GET")
    status, _headers, raw = http_open(request, timeout=timeout or settings.KAOWU_PROVIDER_TIMEOUT_SECONDS)
    data = json_object(raw)
    if data is None:
        raise ProviderUnavailable(f"HTTP {status}: answer is not a JSON object", status=status)
    if not 200 <= status < 300:
        raise ProviderUnavailable(f"HTTP {status}", status=status, body=data)
    return data
