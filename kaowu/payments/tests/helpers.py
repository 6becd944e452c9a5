"""Playing the gateway and reading pages in tests."""

import re
import time
from decimal import Decimal

from kaowu.payments.devgateway import gateway, signing
from kaowu.payments.models import Order
from kaowu.payments.services import ItemSpec

COURSES = [ItemSpec(description="00015 英语（二） 报考费", amount=Decimal("30.00"), reference="00015"),
           ItemSpec(description="03708 中国近现代史纲要 报考费", amount=Decimal("30.00"), reference="03708")]


def signed(body: bytes, *, secret: str, timestamp: str | None = None, nonce: str = "abc123") -> dict:
    """The gateway's signature headers, signed now (or at `timestamp`, Unix seconds)."""
    timestamp = timestamp or str(int(time.time()))
    return {
        signing.HEADER_TIMESTAMP: timestamp, signing.HEADER_NONCE: nonce,
        signing.HEADER_SIGNATURE: signing.signature(secret=secret, timestamp=timestamp, nonce=nonce, body=body),
        "Content-Type": "application/json",
    }


def notification_for(order: Order, *, trade_no: str = "4200202704010000000001", channel: str = "wechat",
                     fen: int | None = None, currency: str = "CNY", paid_at: str = "2027-04-01T10:00:00+08:00") -> bytes:
    return signing.canonical_body({
        "id": f"N{trade_no}", "event_type": "TRANSACTION.SUCCESS", "channel": channel, "merchant": "甘肃省教育考试院",
        "out_trade_no": order.number, "trade_no": trade_no, "trade_state": "SUCCESS",
        "amount": {"total": int(order.amount * 100) if fen is None else fen, "currency": currency},
        "success_time": paid_at,
    })


def post_notification(client, body: bytes, headers: dict, *, channel: str = "wechat"):
    """The gateway POSTing to the notify URL."""
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return client.post(f"/payments/notify/{channel}/", data=body, content_type="application/json", **extra)


def page_text(response) -> str:
    """What a person reads: the page without tags, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def flush_notifications():
    return gateway.notifications_flush(due_only=False)
