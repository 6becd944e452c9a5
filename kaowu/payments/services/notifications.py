"""The notify URL's work: log, verify the signature, check amount and currency, record the charge."""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from ..models import Order, Payment, PaymentNotification, ReconciliationIssue
from ..providers import NotificationRejected, ProviderError, payment_provider
from .orders import CURRENCY, payment_record

logger = logging.getLogger(__name__)
Result = PaymentNotification.Result

# Headers worth keeping in the log (never cookies or authorisation).
_KEPT_HEADERS = ("content-type", "user-agent", "x-devpay-timestamp", "x-devpay-nonce", "x-devpay-signature",
                 "x-devpay-channel", "wechatpay-timestamp", "wechatpay-nonce", "wechatpay-signature",
                 "wechatpay-serial")

_OUTCOME_RESULT = {
    Payment.Outcome.APPLIED: Result.APPLIED,
    Payment.Outcome.DUPLICATE: Result.DUPLICATE_CHARGE,
    Payment.Outcome.LATE: Result.LATE_PAYMENT,
    "recorded": Result.DUPLICATE,
}


@dataclass(frozen=True)
class NotificationOutcome:
    accepted: bool
    notification: PaymentNotification
    http_status: int
    content_type: str
    body: str


def notification_receive(*, channel: str, headers: dict, body: bytes) -> NotificationOutcome:
    """Handle one asynchronous notification. Always logged; idempotent (a repeated notification is
    logged as a duplicate and changes nothing). `accepted` tells the gateway to stop re-sending."""
    headers = {str(k).lower(): str(v) for k, v in headers.items()}
    log = PaymentNotification.objects.create(
        channel=channel[:20], body=body.decode("utf-8", "replace")[:20000],
        headers={k: v[:200] for k, v in headers.items() if k in _KEPT_HEADERS},
    )
    try:
        provider = payment_provider(channel)
    except ProviderError as exc:
        return _finish(log, None, accepted=False, result=Result.ERROR, message=str(exc))
    try:
        accepted = _process(log, provider, headers, body)
    except Exception:
        logger.exception("payment notification %s could not be processed", log.pk)
        _save(log, result=Result.ERROR, message="处理出错，等待支付平台重发或对账")
        accepted = False
    return _finish(log, provider, accepted=accepted)


def _process(log: PaymentNotification, provider, headers: dict, body: bytes) -> bool:
    try:
        notice = provider.verify_notification(headers=headers, body=body)
        _check_fresh(notice)
    except NotificationRejected as exc:
        logger.warning("payment notification %s rejected: %s", log.pk, exc)
        _save(log, signature_ok=False, result=Result.BAD_SIGNATURE, message=str(exc))
        return False
    log.signature_ok, log.out_trade_no, log.trade_no = True, notice.out_trade_no[:64], notice.trade_no[:64]
    if not notice.paid:
        _save(log, result=Result.NOT_PAID)
        return True
    order = Order.objects.filter(number=notice.out_trade_no).first()
    if order is None:
        _save(log, result=Result.UNKNOWN_ORDER, message="平台无此订单号")
        ReconciliationIssue.objects.get_or_create(
            kind=ReconciliationIssue.Kind.UNKNOWN_ORDER, channel=provider.channel, trade_no=notice.trade_no,
            defaults={"date": timezone.localdate(notice.paid_at or timezone.now()), "out_trade_no": notice.out_trade_no,
                      "gateway_amount": notice.amount, "needs_attention": True, "detail": "支付结果通知"})
        return False
    log.order = order
    if notice.amount != order.amount or notice.currency != CURRENCY:
        _save(log, amount_ok=False, result=Result.AMOUNT_MISMATCH,
              message=f"通知金额 {notice.currency} {notice.amount}，订单金额 {CURRENCY} {order.amount}")
        return False
    log.amount_ok = True
    outcome = payment_record(order=order, channel=provider.channel, trade_no=notice.trade_no,
                             amount=Decimal(notice.amount), paid_at=notice.paid_at or timezone.now(),
                             source=Payment.Source.NOTIFICATION)
    _save(log, result=_OUTCOME_RESULT[outcome], duplicate=outcome == "recorded")
    return True


def _check_fresh(notice) -> None:
    """The gateways sign a timestamp into every delivery (a retry is signed anew) and their SDKs refuse
    one too far from now; so does the platform, so that a captured notification cannot be replayed later."""
    window = settings.KAOWU_PAYMENT_NOTIFY_MAX_AGE_SECONDS
    if notice.signed_at is None:
        raise NotificationRejected("通知缺少签名时间")
    drift = (timezone.now() - notice.signed_at).total_seconds()
    if abs(drift) > window:
        raise NotificationRejected(f"通知签名时间与当前时间相差 {int(abs(drift))} 秒，超过 {window} 秒，已拒绝")


def _save(log: PaymentNotification, **fields) -> None:
    for name, value in fields.items():
        setattr(log, name, value)
    log.save()


def _finish(log, provider, *, accepted: bool, **fields) -> NotificationOutcome:
    if fields:
        _save(log, **fields)
    if provider is not None:
        status, content_type, text = provider.notification_response(accepted=accepted)
    else:
        status, content_type, text = 404, "text/plain", "unknown channel"
    return NotificationOutcome(accepted=accepted, notification=log, http_status=status,
                               content_type=content_type, body=text)
