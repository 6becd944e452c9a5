"""The development gateway's own ledger: what the payment company would hold on its side.

The platform never reads these tables directly; it only talks to the gateway through
`providers.dev.DevGatewayProvider` (create, query, refund, bill) and receives its notifications at
the notify URL, exactly as with a real gateway."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .orders import Channel


class DevGatewayTransaction(models.Model):
    class Status(models.TextChoices):
        NOTPAY = "notpay", _("待支付")
        SUCCESS = "success", _("支付成功")
        PAYERROR = "payerror", _("支付失败")
        CLOSED = "closed", _("已关闭")

    class NotifyMode(models.TextChoices):
        NORMAL = "normal", _("正常送达")
        LATE = "late", _("延迟送达")
        DUPLICATE = "duplicate", _("重复送达（两次）")
        LOST = "lost", _("丢失（不送达）")

    trade_no = models.CharField(_("支付平台交易号"), max_length=40, unique=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    out_trade_no = models.CharField(_("商户订单号"), max_length=64, db_index=True)
    merchant_name = models.CharField(_("商户名称"), max_length=60)
    description = models.CharField(_("商品描述"), max_length=100)
    amount_fen = models.PositiveIntegerField(_("金额（分）"))
    currency = models.CharField(_("币种"), max_length=3, default="CNY")
    notify_url = models.CharField(_("通知地址"), max_length=300)
    return_url = models.CharField(_("返回地址"), max_length=300)
    time_expire = models.DateTimeField(_("支付截止时间"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.NOTPAY)
    failure_reason = models.CharField(_("失败原因"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("下单时间"), auto_now_add=True)
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)
    refunded_fen = models.PositiveIntegerField(_("已退款（分）"), default=0)
    notify_mode = models.CharField(_("通知方式"), max_length=10, choices=NotifyMode.choices, blank=True)
    notify_due_at = models.DateTimeField(_("通知预定送达时间"), null=True, blank=True)
    notify_pending = models.PositiveSmallIntegerField(_("待送达通知"), default=0)
    notify_sent = models.PositiveSmallIntegerField(_("已送达通知"), default=0)
    last_notify_at = models.DateTimeField(_("最近送达时间"), null=True, blank=True)
    last_notify_response = models.CharField(_("商户应答"), max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("开发网关交易")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Like a real gateway: one trade per merchant order number and channel.
            models.UniqueConstraint(fields=["channel", "out_trade_no"], name="dev_gateway_one_trade_per_order"),
        ]

    def __str__(self) -> str:
        return self.trade_no

    @property
    def amount_yuan(self) -> str:
        return _yuan(self.amount_fen)

    @property
    def refunded_yuan(self) -> str:
        return _yuan(self.refunded_fen)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


class DevGatewayRefund(models.Model):
    transaction = models.ForeignKey(DevGatewayTransaction, on_delete=models.CASCADE, related_name="refunds")
    out_refund_no = models.CharField(_("商户退款单号"), max_length=64, unique=True)
    refund_id = models.CharField(_("支付平台退款单号"), max_length=40, unique=True)
    amount_fen = models.PositiveIntegerField(_("退款金额（分）"))
    created_at = models.DateTimeField(_("退款时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("开发网关退款")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.refund_id
