from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaowu.core.state import StateMachine

MIN_AMOUNT = Decimal("0.01")


class Channel(models.TextChoices):
    """支付渠道. Which provider serves each one is configured by KAOWU_PAYMENT_PROVIDERS."""

    WECHAT = "wechat", _("微信支付")
    ALIPAY = "alipay", _("支付宝")
    UNIONPAY = "unionpay", _("银联")
    ZHENGFUTONG = "zhengfutong", _("政付通")


class Order(models.Model):
    """订单: what a candidate owes for one business object of a calling app (报考, 转考, 专升本报名 …).

    `purpose` + `reference` name that object (the calling app owns the reference's meaning). At most
    one 待缴费 order exists per (user, purpose, reference); a paid order is never paid again — a second
    charge is recorded as a duplicate and refunded."""

    class Purpose(models.TextChoices):
        COURSE_REGISTRATION = "course_registration", _("报考")
        TRANSFER_OUT = "transfer_out", _("转考")
        UPGRADE_REGISTRATION = "upgrade_registration", _("专升本报名")
        PRACTICE_REGISTRATION = "practice_registration", _("实践性环节报名")
        DEMO = "demo", _("演示订单")

    class Status(models.TextChoices):
        PENDING = "pending", _("待缴费")
        PAID = "paid", _("已缴费")
        CANCELLED = "cancelled", _("已取消")
        EXPIRED = "expired", _("已过期")
        REFUNDED = "refunded", _("已退款")
        PARTIALLY_REFUNDED = "partially_refunded", _("部分退款")

    number = models.CharField(_("订单号"), max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders",
                             verbose_name=_("考生账号"))
    purpose = models.CharField(_("业务类型"), max_length=30, choices=Purpose.choices)
    reference = models.CharField(_("业务编号"), max_length=64)
    title = models.CharField(_("订单名称"), max_length=100)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField(_("缴费截止时间"))
    paid_at = models.DateTimeField(_("缴费时间"), null=True, blank=True)
    provider = models.CharField(_("支付渠道"), max_length=20, choices=Channel.choices, blank=True)
    provider_trade_no = models.CharField(_("支付流水号"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("下单时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("订单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"]), models.Index(fields=["purpose", "reference"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=MIN_AMOUNT), name="order_amount_at_least_one_fen"),
            models.UniqueConstraint(fields=["user", "purpose", "reference"], condition=Q(status="pending"),
                                    name="one_pending_order_per_reference"),
            # Paid (and refunded) orders always say when and by which trade they were paid.
            models.CheckConstraint(
                condition=Q(status__in=["pending", "cancelled", "expired"])
                | (Q(paid_at__isnull=False) & ~Q(provider_trade_no="")),
                name="paid_order_has_trade",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"订单 {self.number}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_paid(self) -> bool:
        return self.status in (self.Status.PAID, self.Status.PARTIALLY_REFUNDED, self.Status.REFUNDED)


ORDER_FLOW = StateMachine({
    Order.Status.PENDING: {Order.Status.PAID, Order.Status.CANCELLED, Order.Status.EXPIRED},
    Order.Status.PAID: {Order.Status.PARTIALLY_REFUNDED, Order.Status.REFUNDED},
    Order.Status.PARTIALLY_REFUNDED: {Order.Status.PARTIALLY_REFUNDED, Order.Status.REFUNDED},
})
"""待缴费 → 已缴费 / 已取消 / 已过期; 已缴费 → 部分退款 / 已退款. Nothing leads back to 待缴费 or into 已缴费
twice: a charge that arrives for a paid, cancelled or expired order is refunded instead."""


class OrderItem(models.Model):
    """One itemised fee (e.g. one course's 报考费)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(_("收费项目"), max_length=100)
    amount = models.DecimalField(_("单价（元）"), max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    reference = models.CharField(_("项目编号"), max_length=64, blank=True,
                                 help_text=_("调用方的编号，例如课程代码"))

    class Meta:
        verbose_name = verbose_name_plural = _("订单明细")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_item_amount_not_negative"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def total(self) -> Decimal:
        return self.amount * self.quantity


class OrderStatusChange(models.Model):
    """History of an order's status: the candidate's timeline and the reviewer's trail."""

    class Source(models.TextChoices):
        USER = "user", _("用户")
        GATEWAY = "gateway", _("支付平台")
        SYSTEM = "system", _("系统")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Order.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Order.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SYSTEM)
    comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("订单状态记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class PaymentAttempt(models.Model):
    """去缴费: the candidate was sent to a channel's cashier for this order. `order_sync` and the
    expiry job ask exactly these channels whether the order was paid."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="attempts")
    channel = models.CharField(_("支付渠道"), max_length=20, choices=Channel.choices)
    gateway_reference = models.CharField(_("支付平台预下单号"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("发起支付记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.channel}"


class Payment(models.Model):
    """One successful charge a gateway reported (by notification, query or bill). Exactly one charge
    per order is applied (it makes the order 已缴费); any other is a duplicate or came after the order
    was closed, and is refunded automatically."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("已入账")
        DUPLICATE = "duplicate", _("重复缴费")
        LATE = "late", _("订单关闭后缴费")

    class Source(models.TextChoices):
        NOTIFICATION = "notification", _("支付结果通知")
        QUERY = "query", _("主动查询")
        RECONCILIATION = "reconciliation", _("对账")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    channel = models.CharField(_("支付渠道"), max_length=20, choices=Channel.choices)
    trade_no = models.CharField(_("支付流水号"), max_length=64)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    paid_at = models.DateTimeField(_("支付时间"))
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices)
    source = models.CharField(_("获知方式"), max_length=20, choices=Source.choices)
    created_at = models.DateTimeField(_("入账时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("支付记录")
        ordering = ["paid_at", "id"]
        constraints = [
            # The same trade is recorded once however many notifications, queries and bills report it.
            models.UniqueConstraint(fields=["channel", "trade_no"], name="payment_trade_recorded_once"),
            # An order is paid exactly once.
            models.UniqueConstraint(fields=["order"], condition=Q(outcome="applied"), name="order_paid_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.trade_no}"


class PaymentNotification(models.Model):
    """Every asynchronous notification received at the notify URL, whatever became of it."""

    class Result(models.TextChoices):
        RECEIVED = "received", _("处理中")
        APPLIED = "applied", _("已入账")
        DUPLICATE = "duplicate", _("重复通知，未重复入账")
        DUPLICATE_CHARGE = "duplicate_charge", _("重复缴费，已自动退款")
        LATE_PAYMENT = "late_payment", _("订单已关闭，已自动退款")
        BAD_SIGNATURE = "bad_signature", _("签名无效，已拒绝")
        AMOUNT_MISMATCH = "amount_mismatch", _("金额或币种不符，已拒绝")
        UNKNOWN_ORDER = "unknown_order", _("订单不存在")
        NOT_PAID = "not_paid", _("非支付成功通知")
        ERROR = "error", _("处理出错")

    channel = models.CharField(_("支付渠道"), max_length=20)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    headers = models.JSONField(_("请求头"), default=dict)
    body = models.TextField(_("原始报文"))
    signature_ok = models.BooleanField(_("验签通过"), null=True)
    amount_ok = models.BooleanField(_("金额一致"), null=True)
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")
    out_trade_no = models.CharField(_("订单号"), max_length=64, blank=True)
    trade_no = models.CharField(_("支付流水号"), max_length=64, blank=True)
    result = models.CharField(_("处理结果"), max_length=20, choices=Result.choices, default=Result.RECEIVED)
    duplicate = models.BooleanField(_("重复通知"), default=False)
    message = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("支付结果通知")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.out_trade_no} {self.result}"


class Refund(models.Model):
    """退款: requested by a candidate (报考退款申请, reviewed by staff) or automatic for a duplicate or
    late charge. Executed through the provider of the charge it refunds."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("退款申请")
        DUPLICATE = "duplicate", _("重复缴费自动退款")
        LATE = "late", _("订单关闭后缴费自动退款")

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("待审核")
        PROCESSING = "processing", _("退款中")
        REFUNDED = "refunded", _("已退款")
        FAILED = "failed", _("退款失败")
        REJECTED = "rejected", _("已驳回")

    number = models.CharField(_("退款单号"), max_length=32, unique=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    amount = models.DecimalField(_("退款金额（元）"), max_digits=10, decimal_places=2)
    items = models.ManyToManyField(OrderItem, blank=True, related_name="refunds", verbose_name=_("退款项目"))
    reason = models.CharField(_("退款原因"), max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("申请人"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.CharField(_("审核意见"), max_length=200, blank=True)
    provider_refund_no = models.CharField(_("支付平台退款单号"), max_length=64, blank=True)
    failure_message = models.CharField(_("失败原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("退款完成时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("退款")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=MIN_AMOUNT), name="refund_amount_at_least_one_fen"),
            # A duplicate or late charge is refunded once, in full.
            models.UniqueConstraint(fields=["payment"], condition=Q(kind__in=["duplicate", "late"]),
                                    name="automatic_refund_once_per_charge"),
        ]

    def __str__(self) -> str:
        return self.number

    def audit_label(self) -> str:
        return f"退款 {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING_REVIEW, self.Status.PROCESSING)


REFUND_FLOW = StateMachine({
    Refund.Status.PENDING_REVIEW: {Refund.Status.PROCESSING, Refund.Status.REJECTED},
    Refund.Status.PROCESSING: {Refund.Status.REFUNDED, Refund.Status.FAILED},
    Refund.Status.FAILED: {Refund.Status.PROCESSING},
})


class ReconciliationRun(models.Model):
    """对账: one comparison of the gateways' bills for a day with the platform's records."""

    date = models.DateField(_("对账日期"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("执行人"))
    summary = models.JSONField(_("结果"), default=dict)

    class Meta:
        verbose_name = verbose_name_plural = _("对账记录")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.date}"


class ReconciliationIssue(models.Model):
    """A difference between a gateway and the platform: repaired automatically (漏单已补, 重复缴费已退款)
    or left for staff to look into (金额不符, 平台无此订单, 账单无此支付)."""

    class Kind(models.TextChoices):
        LOST_NOTIFICATION = "lost_notification", _("漏单已补：未收到支付通知，已按账单补记缴费")
        DUPLICATE_CHARGE = "duplicate_charge", _("重复缴费，已自动退款")
        LATE_PAYMENT = "late_payment", _("订单关闭后缴费，已自动退款")
        AMOUNT_MISMATCH = "amount_mismatch", _("金额不符")
        UNKNOWN_ORDER = "unknown_order", _("平台无此订单")
        MISSING_ON_GATEWAY = "missing_on_gateway", _("账单中无此笔支付")

    NEEDS_ATTENTION = (Kind.AMOUNT_MISMATCH, Kind.UNKNOWN_ORDER, Kind.MISSING_ON_GATEWAY)

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, null=True, blank=True, related_name="issues")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("支付渠道"), max_length=20, choices=Channel.choices)
    trade_no = models.CharField(_("支付流水号"), max_length=64)
    out_trade_no = models.CharField(_("订单号"), max_length=64, blank=True)
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues")
    gateway_amount = models.DecimalField(_("支付平台金额"), max_digits=10, decimal_places=2, null=True, blank=True)
    platform_amount = models.DecimalField(_("平台金额"), max_digits=10, decimal_places=2, null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    needs_attention = models.BooleanField(_("需人工处理"), default=False)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("处理人"))
    resolution = models.CharField(_("处理说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("对账差异")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel", "trade_no"], name="reconciliation_issue_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.trade_no}"

    def audit_label(self) -> str:
        return f"对账差异#{self.pk}"
