"""DevGatewayProvider: the platform's side of the development gateway, for any of the four channels.

It behaves like a real provider: it opens a trade and returns the cashier URL, queries, closes,
refunds, reads the bill and verifies signed notifications (HMAC-SHA256 with
KAOWU_PAYMENT_DEV_SECRET). It calls the gateway's functions where a real provider would call the
payment company's HTTPS API."""

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .base import (
    GatewayStatus,
    GatewayTransaction,
    Notification,
    NotificationRejected,
    PaymentProvider,
    PaymentRequest,
    ProviderError,
    RefundResult,
)

MERCHANT_FALLBACK = "省教育考试院"


def merchant_name() -> str:
    from kaowu.organization.selectors import home_province

    province = home_province()
    return getattr(province, "authority_name", "") or MERCHANT_FALLBACK


def to_fen(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


class DevGatewayProvider(PaymentProvider):
    name = "dev-gateway"
    development = True

    def create_payment(self, order, *, return_url: str, notify_url: str) -> PaymentRequest:
        from ..devgateway import gateway

        try:
            cashier = reverse("payments:dev_cashier", args=["TRADE"])
        except NoReverseMatch:
            raise ProviderError("开发支付网关未启用（仅在演示或开发环境提供）") from None
        try:
            trade = gateway.trade_open(channel=self.channel, out_trade_no=order.number, description=order.title,
                                       amount_fen=to_fen(order.amount), notify_url=notify_url, return_url=return_url,
                                       time_expire=order.expires_at, merchant_name=merchant_name())
        except gateway.GatewayRefused as exc:
            raise ProviderError(exc.message) from None
        url = cashier.replace("TRADE", trade.trade_no)
        return PaymentRequest(url=url, qr_content=url, gateway_reference=trade.trade_no)

    def query(self, order) -> GatewayStatus:
        from ..devgateway import gateway

        trade = gateway.trade_query(channel=self.channel, out_trade_no=order.number)
        if trade is None:
            return GatewayStatus(state=GatewayStatus.NOT_FOUND)
        state = {
            trade.Status.SUCCESS: GatewayStatus.PAID,
            trade.Status.PAYERROR: GatewayStatus.FAILED,
            trade.Status.CLOSED: GatewayStatus.CLOSED,
        }.get(trade.status, GatewayStatus.NOT_PAID)
        return GatewayStatus(state=state, trade_no=trade.trade_no, amount=from_fen(trade.amount_fen),
                             currency=trade.currency, paid_at=trade.paid_at)

    def close(self, order) -> None:
        from ..devgateway import gateway

        gateway.trade_close(channel=self.channel, out_trade_no=order.number)

    def refund(self, order, *, trade_no: str, amount: Decimal, refund_no: str) -> RefundResult:
        from ..devgateway import gateway

        try:
            refund = gateway.trade_refund(channel=self.channel, trade_no=trade_no, out_refund_no=refund_no,
                                          amount_fen=to_fen(amount))
        except gateway.GatewayRefused as exc:
            return RefundResult(state=RefundResult.FAILED, message=exc.message)
        return RefundResult(state=RefundResult.SUCCEEDED, provider_refund_no=refund.refund_id)

    def verify_notification(self, *, headers: dict, body: bytes) -> Notification:
        from ..devgateway import signing

        headers = {k.lower(): v for k, v in headers.items()}
        timestamp = headers.get(signing.HEADER_TIMESTAMP.lower(), "")
        nonce = headers.get(signing.HEADER_NONCE.lower(), "")
        given = headers.get(signing.HEADER_SIGNATURE.lower(), "")
        if not (timestamp and nonce and given):
            raise NotificationRejected("缺少签名")
        if not signing.signature_ok(secret=settings.KAOWU_PAYMENT_DEV_SECRET, timestamp=timestamp, nonce=nonce,
                                    body=body, given=given):
            raise NotificationRejected("签名验证失败")
        try:
            signed_at = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
        except (ValueError, OverflowError, OSError):
            raise NotificationRejected("签名时间戳格式错误") from None
        try:
            data = json.loads(body)
            amount = data["amount"]
            total = amount["total"]
            if not isinstance(total, int):
                raise TypeError("amount.total")
            notification = Notification(
                channel=data["channel"], out_trade_no=str(data["out_trade_no"]), trade_no=str(data["trade_no"]),
                paid=data.get("trade_state") == "SUCCESS", amount=from_fen(total), currency=str(amount["currency"]),
                paid_at=datetime.datetime.fromisoformat(data["success_time"]) if data.get("success_time") else None,
                raw=data, signed_at=signed_at,
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise NotificationRejected(f"报文格式错误：{exc}") from None
        if notification.channel != self.channel:
            raise NotificationRejected("通知渠道与接收地址不符")
        if notification.paid_at is not None and timezone.is_naive(notification.paid_at):
            raise NotificationRejected("支付时间缺少时区")
        return notification

    def bill(self, date: datetime.date) -> list[GatewayTransaction]:
        from ..devgateway import gateway

        return [GatewayTransaction(channel=t.channel, trade_no=t.trade_no, out_trade_no=t.out_trade_no,
                                   amount=from_fen(t.amount_fen), currency=t.currency, paid_at=t.paid_at)
                for t in gateway.bill(channel=self.channel, date=date)]
