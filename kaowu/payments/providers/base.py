"""The one interface every payment channel implements (微信支付, 支付宝, 银联, 政付通).

A provider speaks to its gateway; it knows nothing of business rules. The services decide what a
charge, a notification or a bill row means for an order. Amounts are Decimals in yuan (元) here;
providers convert to the gateway's unit (分) themselves."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


class ProviderError(Exception):
    """The gateway could not be reached or refused the request; the message is safe to show staff."""


class NotificationRejected(Exception):
    """A notification that must not be trusted: bad signature, malformed body, wrong merchant."""


@dataclass(frozen=True)
class PaymentRequest:
    """Where to send the candidate to pay: a cashier URL, and for scan-to-pay the QR content."""

    url: str
    qr_content: str = ""
    gateway_reference: str = ""


@dataclass(frozen=True)
class GatewayStatus:
    """What the gateway says about an order's trade on its channel."""

    PAID = "paid"
    NOT_PAID = "not_paid"
    FAILED = "failed"
    CLOSED = "closed"
    NOT_FOUND = "not_found"

    state: str
    trade_no: str = ""
    amount: Decimal | None = None
    currency: str = "CNY"
    paid_at: datetime.datetime | None = None


@dataclass(frozen=True)
class RefundResult:
    SUCCEEDED = "succeeded"
    PROCESSING = "processing"
    FAILED = "failed"

    state: str
    provider_refund_no: str = ""
    message: str = ""


@dataclass(frozen=True)
class Notification:
    """A verified asynchronous notification, parsed."""

    channel: str
    out_trade_no: str
    trade_no: str
    paid: bool
    amount: Decimal
    currency: str
    paid_at: datetime.datetime | None
    raw: dict = field(default_factory=dict)
    # When the gateway signed this delivery (its signed timestamp): the platform refuses a notification
    # signed longer ago or further ahead than KAOWU_PAYMENT_NOTIFY_MAX_AGE_SECONDS, and one without it.
    signed_at: datetime.datetime | None = None


@dataclass(frozen=True)
class GatewayTransaction:
    """One row of a gateway's daily bill (对账单): a successful charge."""

    channel: str
    trade_no: str
    out_trade_no: str
    amount: Decimal
    currency: str
    paid_at: datetime.datetime


class PaymentProvider:
    """Base class. One instance serves one channel (`self.channel`)."""

    name = "base"
    development = True  # a real channel's provider says False (see kaowu/core/providers.py)

    def __init__(self, *, channel: str):
        self.channel = channel

    def create_payment(self, order, *, return_url: str, notify_url: str) -> PaymentRequest:
        """Open (or reopen) the gateway trade for `order` and say where the candidate pays."""
        raise NotImplementedError

    def query(self, order) -> GatewayStatus:
        """Ask the gateway whether `order` was paid on this channel (我已缴费, expiry, cancel)."""
        raise NotImplementedError

    def close(self, order) -> None:
        """Close the gateway trade of an order that will not be paid (cancelled, expired, replaced),
        so that the cashier refuses it. Best effort: a failure here is logged, not raised."""

    def refund(self, order, *, trade_no: str, amount: Decimal, refund_no: str) -> RefundResult:
        """Refund `amount` of the charge `trade_no`. `refund_no` is ours and makes retries idempotent."""
        raise NotImplementedError

    def verify_notification(self, *, headers: dict, body: bytes) -> Notification:
        """Check the signature and parse; raise NotificationRejected for anything not trustworthy."""
        raise NotImplementedError

    def notification_response(self, *, accepted: bool) -> tuple[int, str, str]:
        """(HTTP status, content type, body) the gateway expects as the answer to a notification;
        an answer other than success makes the gateway deliver again later."""
        if accepted:
            return 200, "application/json", '{"code":"SUCCESS","message":"成功"}'
        return 400, "application/json", '{"code":"FAIL","message":"失败"}'

    def bill(self, date: datetime.date) -> list[GatewayTransaction]:
        """The gateway's bill of successful charges on `date` (the local calendar day)."""
        raise NotImplementedError
