"""Refunds: 报考退款申请 (requested, reviewed by staff) and automatic refunds of duplicate or late
charges. Approved and automatic refunds are executed by a background job through the provider of
the charge they refund (`refund_execute`)."""

import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.state import IllegalTransition

from ..models import REFUND_FLOW, Order, OrderItem, Payment, Refund
from ..providers import ProviderError, RefundResult, payment_provider
from .callbacks import refund_settled_fire_on_commit
from .errors import PaymentError
from .orders import Source, new_number, transition

logger = logging.getLogger(__name__)
Status = Refund.Status

AUTO_REASONS = {
    Refund.Kind.DUPLICATE: gettext_noop("重复缴费已自动退款"),
    Refund.Kind.LATE: gettext_noop("订单已取消或已过期后收到的缴费，已自动退款"),
}
# Refunds that hold on to part of a charge (the rest may still be refunded).
_COUNTED = (Status.PENDING_REVIEW, Status.PROCESSING, Status.REFUNDED)


def _require(refund: Refund, to: str) -> None:
    try:
        REFUND_FLOW.require(refund.status, to)
    except IllegalTransition as exc:
        raise PaymentError(str(exc)) from None


def _lock_both(refund: Refund) -> tuple[Order, Refund]:
    """Lock the order, then the refund: always in this order, so two services never deadlock."""
    order = Order.objects.select_for_update().get(pk=refund.order_id)
    return order, Refund.objects.select_for_update().select_related("payment").get(pk=refund.pk)


def _enqueue_execute(refund: Refund) -> None:
    from ..tasks import refund_execute_task

    refund_id = refund.pk
    transaction.on_commit(lambda: refund_execute_task.enqueue(refund_id=refund_id))


def refundable_amount(*, payment: Payment) -> Decimal:
    taken = payment.refunds.filter(status__in=_COUNTED).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return payment.amount - taken


def refundable_items(*, order: Order) -> list[OrderItem]:
    """Items of a paid order not yet in a pending, processing or completed refund."""
    taken = set(OrderItem.objects.filter(order=order, refunds__status__in=_COUNTED).values_list("pk", flat=True))
    return [item for item in order.items.all() if item.pk not in taken]


def refund_request(*, order: Order, reason: str, actor, items: list | None = None, amount=None,
                   request=None) -> Refund:
    """报考退款申请: a refund of some items (or an amount) of a paid order, 待审核 by staff."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(gettext("请填写退款原因"), field="reason")
    if not items and amount is None:
        raise PaymentError(gettext("请选择要退款的项目"), field="items")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED):
            raise PaymentError(gettext("订单%(status)s，不能申请退款。") % {"status": order.get_status_display()})
        payment = order.payments.get(outcome=Payment.Outcome.APPLIED)
        chosen = []
        if items:
            ids = {getattr(i, "pk", i) for i in items}
            chosen = list(order.items.filter(pk__in=ids))
            if len(chosen) != len(ids):
                raise PaymentError(gettext("退款项目不属于该订单"), field="items")
            free = {i.pk for i in refundable_items(order=order)}
            taken = [i.description for i in chosen if i.pk not in free]
            if taken:
                raise PaymentError(gettext("以下项目已申请过退款：%(items)s") % {"items": "、".join(taken)},
                                   field="items")
            amount = sum((i.total for i in chosen), Decimal("0.00"))
        try:
            amount = Decimal(amount).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError):
            raise PaymentError(gettext("退款金额无效"), field="amount") from None
        if amount < Decimal("0.01"):
            raise PaymentError(gettext("退款金额至少为 0.01 元"), field="amount")
        available = refundable_amount(payment=payment)
        if amount > available:
            raise PaymentError(gettext("退款金额不能超过可退金额 %(amount)s 元") % {"amount": available}, field="amount")
        refund = Refund.objects.create(number=new_number("RF", Refund), order=order, payment=payment,
                                       kind=Refund.Kind.REQUESTED, status=Status.PENDING_REVIEW, amount=amount,
                                       reason=reason[:200], requested_by=actor if getattr(actor, "pk", None) else None)
        if chosen:
            refund.items.set(chosen)
        audit_record(actor=actor, action=AuditAction.PAYMENTS_REFUND_REQUESTED, target=refund, request=request,
                     detail={"order": order.number, "amount": str(amount)})
    return refund


def refund_approve(*, refund: Refund, actor, request=None) -> Refund:
    """Staff approve a requested refund: 退款中, then refunded through the provider."""
    with transaction.atomic():
        order, refund = _lock_both(refund)
        _require(refund, Status.PROCESSING)
        refund.status, refund.reviewed_by, refund.reviewed_at = Status.PROCESSING, actor, timezone.now()
        refund.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.PAYMENTS_REFUND_APPROVED, target=refund, request=request,
                     detail={"order": order.number, "amount": str(refund.amount)})
        _enqueue_execute(refund)
    return refund


def refund_reject(*, refund: Refund, actor, reason: str, request=None) -> Refund:
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(gettext("请填写驳回原因"), field="reason")
    with transaction.atomic():
        order, refund = _lock_both(refund)
        _require(refund, Status.REJECTED)
        refund.status, refund.reviewed_by, refund.reviewed_at = Status.REJECTED, actor, timezone.now()
        refund.review_comment = reason[:200]
        refund.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
        audit_record(actor=actor, action=AuditAction.PAYMENTS_REFUND_REJECTED, target=refund, request=request,
                     detail={"order": order.number, "reason": refund.review_comment})
        refund_settled_fire_on_commit(refund)
    return refund


def refund_retry(*, refund: Refund, actor, request=None) -> Refund:
    """重新退款 after a failure the gateway reported."""
    with transaction.atomic():
        order, refund = _lock_both(refund)
        _require(refund, Status.PROCESSING)
        refund.status, refund.failure_message = Status.PROCESSING, ""
        refund.save(update_fields=["status", "failure_message", "updated_at"])
        audit_record(actor=actor, action=AuditAction.PAYMENTS_REFUND_RETRIED, target=refund, request=request,
                     detail={"order": order.number})
        _enqueue_execute(refund)
    return refund


def refund_auto(*, payment: Payment, kind: str, reason: str = "") -> Refund:
    """Refund a duplicate or late charge in full (no review). Call inside the transaction that
    recorded the charge; the refund is executed after it commits."""
    refund, created = Refund.objects.get_or_create(
        payment=payment, kind=kind,
        defaults={"number": new_number("RF", Refund), "order": payment.order, "status": Status.PROCESSING,
                  "amount": payment.amount, "reason": (reason or AUTO_REASONS[kind])[:200]},
    )
    if created:
        _enqueue_execute(refund)
    return refund


def refund_execute(*, refund_id: int) -> Refund:
    """Ask the provider to refund a 退款中 refund and record its answer. Safe to run twice: the
    provider gets our refund number, which makes the gateway refund once."""
    refund = Refund.objects.select_related("payment", "order").get(pk=refund_id)
    if refund.status != Status.PROCESSING:
        return refund
    payment = refund.payment
    try:
        result = payment_provider(payment.channel).refund(refund.order, trade_no=payment.trade_no,
                                                          amount=refund.amount, refund_no=refund.number)
    except ProviderError as exc:
        result = RefundResult(state=RefundResult.FAILED, message=str(exc))
    with transaction.atomic():
        order, refund = _lock_both(refund)
        if refund.status != Status.PROCESSING:
            return refund
        refund.provider_refund_no = result.provider_refund_no[:64] or refund.provider_refund_no
        if result.state == RefundResult.PROCESSING:
            refund.save(update_fields=["provider_refund_no", "updated_at"])
            return refund
        if result.state == RefundResult.FAILED:
            refund.status, refund.failure_message = Status.FAILED, (result.message or "")[:200]
            refund.save(update_fields=["status", "failure_message", "provider_refund_no", "updated_at"])
            if refund.kind == Refund.Kind.REQUESTED:
                refund_settled_fire_on_commit(refund)
            return refund
        refund.status, refund.completed_at = Status.REFUNDED, timezone.now()
        refund.save(update_fields=["status", "completed_at", "provider_refund_no", "updated_at"])
        if refund.kind == Refund.Kind.REQUESTED:
            refunded = payment.refunds.filter(status=Status.REFUNDED).aggregate(total=Sum("amount"))["total"]
            target = Order.Status.REFUNDED if refunded >= payment.amount else Order.Status.PARTIALLY_REFUNDED
            transition(order=order, to=target, source=Source.GATEWAY,
                       comment=f"退款 {refund.number}：{refund.amount} 元")
            order.save(update_fields=["status", "updated_at"])
            refund_settled_fire_on_commit(refund)
    return refund
