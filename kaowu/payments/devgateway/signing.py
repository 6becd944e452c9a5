"""HMAC-SHA256 signatures of the development gateway's notifications (shaped like WeChat Pay v3:
timestamp, nonce and body, each followed by a newline, signed with the shared secret)."""

import hashlib
import hmac
import json

HEADER_TIMESTAMP = "X-Devpay-Timestamp"
HEADER_NONCE = "X-Devpay-Nonce"
HEADER_SIGNATURE = "X-Devpay-Signature"
HEADER_CHANNEL = "X-Devpay-Channel"


def canonical_body(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(*, secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_ok(*, secret: str, timestamp: str, nonce: str, body: bytes, given: str) -> bool:
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, nonce=nonce, body=body), given or "")
