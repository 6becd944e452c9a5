"""The payment company's side of the development gateway: its ledger, its cashier decisions, its
notifications, refunds and bills. The platform reaches it only through `DevGatewayProvider` and
the notify URL."""

import datetime
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import Channel, DevGatewayRefund, DevGatewayTransaction
from . import signing

logger = logging.getLogger(__name__)
Status = DevGatewayTransaction.Status
NotifyMode = DevGatewayTransaction.NotifyMode

# Trade numbers look like each company's: 4200… (微信支付), 2088… (支付宝), 6222… (银联), ZFT… (政付通).
_TRADE_PREFIX = {Channel.WECHAT: "4200", Channel.ALIPAY: "2088", Channel.UNIONPAY: "6222",
                 Channel.ZHENGFUTONG: "ZFT"}
FAILURE_REASON = "余额不足"


class GatewayRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _trade_no(channel: str) -> str:
    return f"{_TRADE_PREFIX.get(channel, 'DEV')}{timezone.localdate():%Y%m%d}{secrets.randbelow(10 ** 12):012d}"


def trade_open(*, channel: str, out_trade_no: str, description: str, amount_fen: int, notify_url: str,
               return_url: str, time_expire: datetime.datetime, merchant_name: str) -> DevGatewayTransaction:
    """统一下单: one trade per (channel, merchant order number); asking again reopens the same trade."""
    for _ in range(2):
        try:
            with transaction.atomic():
                trade = (DevGatewayTransaction.objects.select_for_update()
                         .filter(channel=channel, out_trade_no=out_trade_no).first())
                if trade is None:
                    return DevGatewayTransaction.objects.create(
                        trade_no=_trade_no(channel), channel=channel, out_trade_no=out_trade_no,
                        merchant_name=merchant_name, description=description[:100], amount_fen=amount_fen,
                        notify_url=notify_url[:300], return_url=return_url[:300], time_expire=time_expire)
                if trade.status == Status.SUCCESS:
                    raise GatewayRefused("ORDERPAID", "该订单已支付")
                if trade.status == Status.CLOSED:
                    raise GatewayRefused("ORDERCLOSED", "该订单已关闭")
                if trade.amount_fen != amount_fen:
                    raise GatewayRefused("INVALID_REQUEST", "订单金额与原交易不一致")
                trade.return_url, trade.notify_url, trade.time_expire = return_url[:300], notify_url[:300], time_expire
                trade.save(update_fields=["return_url", "notify_url", "time_expire"])
                return trade
        except IntegrityError:
            continue  # opened concurrently: read the other one
    raise GatewayRefused("SYSTEMERROR", "系统繁忙，请稍后再试")


def trade_pay(*, trade_no: str, notify_mode: str, delay_seconds: int) -> DevGatewayTransaction:
    """The payer confirmed and the money moved. Schedules the notification(s) as chosen."""
    with transaction.atomic():
        trade = DevGatewayTransaction.objects.select_for_update().get(trade_no=trade_no)
        if trade.status == Status.SUCCESS:
            raise GatewayRefused("ORDERPAID", "该订单已支付，请勿重复支付")
        if trade.status == Status.CLOSED:
            raise GatewayRefused("ORDERCLOSED", "该订单已关闭，请返回商户重新下单")
        now = timezone.now()
        if trade.time_expire <= now:
            raise GatewayRefused("ORDER_EXPIRED", "订单已超过支付时间，请返回商户重新下单")
        trade.status, trade.paid_at, trade.failure_reason = Status.SUCCESS, now, ""
        trade.notify_mode = notify_mode
        trade.notify_pending = {NotifyMode.NORMAL: 1, NotifyMode.LATE: 1, NotifyMode.DUPLICATE: 2}.get(notify_mode, 0)
        trade.notify_due_at = now + datetime.timedelta(seconds=max(delay_seconds, 0)) if notify_mode == NotifyMode.LATE \
            else now
        trade.save()
        _schedule(trade)
    return trade


def _schedule(trade: DevGatewayTransaction) -> None:
    from ..tasks import dev_gateway_notify_task

    trade_no, pending = trade.trade_no, trade.notify_pending
    if trade.notify_mode == NotifyMode.LATE:
        # A backend that can defer runs it at the due time; the in-process one cannot, and the late
        # notification then goes out when someone asks the gateway (query, bill) after it is due, or
        # from the gateway's page (立即送达待发通知).
        if getattr(dev_gateway_notify_task.get_backend(), "supports_defer", False):
            task = dev_gateway_notify_task.using(run_after=trade.notify_due_at)
            transaction.on_commit(lambda: task.enqueue(trade_no=trade_no))
        return
    for _ in range(pending):
        transaction.on_commit(lambda: dev_gateway_notify_task.enqueue(trade_no=trade_no))


def trade_fail(*, trade_no: str) -> DevGatewayTransaction:
    with transaction.atomic():
        trade = DevGatewayTransaction.objects.select_for_update().get(trade_no=trade_no)
        if trade.status in (Status.NOTPAY, Status.PAYERROR):
            trade.status, trade.failure_reason = Status.PAYERROR, FAILURE_REASON
            trade.save(update_fields=["status", "failure_reason"])
    return trade


def trade_close(*, channel: str, out_trade_no: str) -> None:
    """关闭订单 (the merchant's request): an unpaid trade can no longer be paid."""
    DevGatewayTransaction.objects.filter(channel=channel, out_trade_no=out_trade_no,
                                         status__in=[Status.NOTPAY, Status.PAYERROR]).update(status=Status.CLOSED)


def trade_query(*, channel: str, out_trade_no: str) -> DevGatewayTransaction | None:
    notifications_flush(due_only=True)
    return DevGatewayTransaction.objects.filter(channel=channel, out_trade_no=out_trade_no).first()


def trade_refund(*, channel: str, trade_no: str, out_refund_no: str, amount_fen: int) -> DevGatewayRefund:
    """退款, idempotent by the merchant's refund number."""
    with transaction.atomic():
        existing = DevGatewayRefund.objects.filter(out_refund_no=out_refund_no).first()
        if existing is not None:
            return existing
        trade = DevGatewayTransaction.objects.select_for_update().filter(channel=channel, trade_no=trade_no).first()
        if trade is None or trade.status != Status.SUCCESS:
            raise GatewayRefused("TRADE_NOT_EXIST", "交易不存在或未支付")
        if amount_fen <= 0 or trade.refunded_fen + amount_fen > trade.amount_fen:
            raise GatewayRefused("REFUND_AMOUNT_INVALID", "退款金额超过可退金额")
        trade.refunded_fen += amount_fen
        trade.save(update_fields=["refunded_fen"])
        return DevGatewayRefund.objects.create(transaction=trade, out_refund_no=out_refund_no, amount_fen=amount_fen,
                                               refund_id=f"50{timezone.localdate():%Y%m%d}{secrets.randbelow(10 ** 12):012d}")


def bill(*, channel: str, date: datetime.date) -> list[DevGatewayTransaction]:
    """对账单: successful trades of the channel paid on `date` (local day)."""
    notifications_flush(due_only=True)
    start = timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))
    return list(DevGatewayTransaction.objects.filter(
        channel=channel, status=Status.SUCCESS, paid_at__gte=start, paid_at__lt=start + datetime.timedelta(days=1),
    ).order_by("paid_at"))


# --- notifications ----------------------------------------------------------------------------

def notification_message(trade: DevGatewayTransaction) -> tuple[dict, bytes]:
    """The signed HTTP request the gateway sends to the notify URL: (headers, body). The body is the
    same on every delivery of a trade; each delivery has its own timestamp, nonce and signature."""
    body = signing.canonical_body({
        "id": f"N{trade.trade_no}",
        "event_type": "TRANSACTION.SUCCESS",
        "channel": trade.channel,
        "merchant": trade.merchant_name,
        "out_trade_no": trade.out_trade_no,
        "trade_no": trade.trade_no,
        "trade_state": "SUCCESS",
        "amount": {"total": trade.amount_fen, "currency": trade.currency},
        "success_time": timezone.localtime(trade.paid_at).isoformat(timespec="seconds"),
    })
    timestamp, nonce = str(int(timezone.now().timestamp())), secrets.token_hex(16)
    headers = {
        "Content-Type": "application/json",
        signing.HEADER_TIMESTAMP: timestamp,
        signing.HEADER_NONCE: nonce,
        signing.HEADER_CHANNEL: trade.channel,
        signing.HEADER_SIGNATURE: signing.signature(secret=settings.KAOWU_PAYMENT_DEV_SECRET, timestamp=timestamp,
                                                    nonce=nonce, body=body),
    }
    return headers, body


def notification_deliver(*, trade_no: str) -> bool:
    """Send one pending notification of a trade, if one is pending. Returns whether one was sent."""
    with transaction.atomic():
        trade = DevGatewayTransaction.objects.select_for_update().get(trade_no=trade_no)
        if trade.notify_pending == 0 or trade.status != Status.SUCCESS:
            return False
        trade.notify_pending -= 1
        trade.save(update_fields=["notify_pending"])
    headers, body = notification_message(trade)
    response = _post(trade, headers, body)
    DevGatewayTransaction.objects.filter(pk=trade.pk).update(
        notify_sent=F("notify_sent") + 1, last_notify_at=timezone.now(), last_notify_response=response[:100])
    return True


def _post(trade: DevGatewayTransaction, headers: dict, body: bytes) -> str:
    """Deliver to the notify URL. The gateway lives inside this site, so the request is handed to
    the handler behind the notify URL in-process (the same code the URL runs for a real gateway)."""
    from ..services import notification_receive

    try:
        outcome = notification_receive(channel=trade.channel, headers=headers, body=body)
    except Exception as exc:  # noqa: BLE001 — the merchant's failure is the merchant's: record it
        logger.exception("dev gateway: notify of %s failed", trade.trade_no)
        return f"ERROR {type(exc).__name__}"
    return f"{outcome.http_status} {outcome.body}"


def notifications_flush(*, due_only: bool, now=None) -> int:
    """Deliver pending notifications (those due, or all of them). Returns how many were sent."""
    now = now or timezone.now()
    pending = DevGatewayTransaction.objects.filter(notify_pending__gt=0, status=Status.SUCCESS)
    if due_only:
        pending = pending.filter(notify_due_at__lte=now)
    sent = 0
    for trade_no in list(pending.values_list("trade_no", flat=True)):
        while notification_deliver(trade_no=trade_no):
            sent += 1
    return sent
