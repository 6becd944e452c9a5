"""Payments: the service API the business apps (报考, 转考, 专升本报名 …) call.

Every function takes keyword arguments, holds its own transaction and raises `PaymentError`
(a message the candidate or staff member can read) for anything a user can cause.

Orders
    order_create(*, user, purpose, reference, items: list[ItemSpec], actor, title="") -> Order
        The order the candidate must pay for the business object `purpose` + `reference` (the caller's
        id). Calling it again with the same items returns the same 待缴费 order (a double submit makes
        no second order); with other items it replaces the unpaid one (which becomes 已取消,
        “已被新订单替代”). If the unpaid order turns out to be paid at the gateway, raises
        `OrderAlreadyPaid` so the caller can recompute. Orders expire after
        KAOWU_PAYMENT_ORDER_EXPIRY_MINUTES.
    order_cancel(*, order, actor) -> Order
        取消订单 / 取消报考 before paying (asks the gateways first: a paid order is never cancelled).
    order_pay_start(*, order, channel, actor=None, base_url="") -> str
        去缴费: the URL of the channel's cashier. Refused for an order that is not 待缴费 or has expired.
    order_sync(*, order) -> Order
        我已缴费: ask the gateways of the channels tried and record a payment they report.
    order_expire(*, order) / orders_expire_due(*, now=None) -> int
        已过期 for 待缴费 orders past `expires_at` (run `manage.py payments_expire_orders` every minute
        or so; pages and services also expire an overdue order when they meet it).

Being told
    on_order_paid(purpose, callback)
        Register `callback(order)` to run after the transaction that made an order of `purpose`
        已缴费 commits (transaction.on_commit). Register it in your AppConfig.ready(). Callbacks must
        be idempotent and quick (enqueue a task for heavy work); an exception is logged, never
        propagated to the gateway.
    on_refund_settled(purpose, callback)
        Register `callback(refund)` to run after a requested refund becomes 已退款, 已驳回 or 退款失败.

Refunds
    refund_request(*, order, reason, actor, items=None, amount=None) -> Refund
        报考退款申请: a Refund 待审核 for some items (or an amount) of a paid order. The caller checks
        its own window (退款时间) before calling.
    refund_approve(*, refund, actor, request=None) / refund_reject(*, refund, actor, reason, request=None)
    refund_retry(*, refund, actor, request=None)
        Staff decisions (back office › 订单与退款). Approval refunds through the provider of the charge.
    refund_auto(*, payment, kind, reason="") -> Refund
        Automatic refund of a duplicate charge or of a charge for a cancelled / expired order.

Gateway side
    notification_receive(*, channel, headers, body) -> NotificationOutcome   (the notify URL)
    reconciliation_run(*, date, actor=None, request=None) -> ReconciliationRun   (对账)

Rules, in one place:
- A charge for a 待缴费 order makes it 已缴费 (even just after `expires_at`, if the expiry job has
  not closed it yet: the gateway was told the deadline and accepted the payment).
- A second charge for a paid order (重复缴费) and a charge for a cancelled or expired order are
  refunded automatically and in full, and shown on the order page; the order keeps its status.
- A notification whose signature, amount or currency does not match changes nothing.
"""

from .callbacks import on_order_paid, on_refund_settled
from .errors import OrderAlreadyPaid, PaymentError
from .notifications import NotificationOutcome, notification_receive
from .orders import (
    ItemSpec,
    order_cancel,
    order_create,
    order_expire,
    order_pay_start,
    order_sync,
    orders_expire_due,
    payment_record,
)
from .reconciliation import issue_resolve, reconciliation_run
from .refunds import refund_approve, refund_auto, refund_execute, refund_reject, refund_request, refund_retry

__all__ = [
    "ItemSpec", "NotificationOutcome", "OrderAlreadyPaid", "PaymentError", "issue_resolve",
    "notification_receive", "on_order_paid", "on_refund_settled", "order_cancel", "order_create", "order_expire", "order_pay_start",
    "order_sync", "orders_expire_due", "payment_record", "reconciliation_run", "refund_approve", "refund_auto",
    "refund_execute", "refund_reject", "refund_request", "refund_retry",
]
