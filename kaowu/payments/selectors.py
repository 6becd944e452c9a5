"""Reads. Staff see orders and refunds through `orders_visible_to` / `refunds_visible_to` only."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import Office, StaffMember

from .models import Order, PaymentNotification, ReconciliationIssue, ReconciliationRun, Refund

# Who decides refunds (退款审核): the province authority and the exam areas (考区), as for 报考.
REFUND_REVIEW_OFFICES = (Office.Kind.PROVINCE_AUTHORITY, Office.Kind.EXAM_AREA)


# --- candidates -------------------------------------------------------------------------------

def orders_of(*, user) -> QuerySet[Order]:
    return Order.objects.filter(user=user).order_by("-created_at", "-id")


def order_get_for_user(*, user, number: str) -> Order:
    """The candidate's own order, or 404 (another candidate's order number reveals nothing)."""
    return get_object_or_404(Order.objects.filter(user=user), number=number)


def order_refunds(*, order: Order) -> QuerySet[Refund]:
    return order.refunds.select_related("payment").prefetch_related("items").order_by("created_at", "id")


# --- staff ------------------------------------------------------------------------------------

def orders_visible_to(*, staff: StaffMember) -> QuerySet[Order]:
    jurisdiction = jurisdiction_of(staff)
    orders = Order.objects.select_related("user")
    if jurisdiction.is_province_wide:
        return orders
    return orders.filter(jurisdiction.candidate_q(prefix="user__candidate__"))


def refunds_visible_to(*, staff: StaffMember) -> QuerySet[Refund]:
    return Refund.objects.filter(order__in=orders_visible_to(staff=staff)).select_related(
        "order", "order__user", "payment", "reviewed_by")


def refunds_awaiting_review_count(*, staff: StaffMember) -> int:
    return refunds_visible_to(staff=staff).filter(status=Refund.Status.PENDING_REVIEW).count()


def can_review_refunds(*, staff: StaffMember) -> bool:
    return staff.office.kind in REFUND_REVIEW_OFFICES


def can_reconcile(*, staff: StaffMember) -> bool:
    """对账 concerns the whole merchant account: the province authority only."""
    return staff.office.kind == Office.Kind.PROVINCE_AUTHORITY


def reconciliation_runs() -> QuerySet[ReconciliationRun]:
    return ReconciliationRun.objects.select_related("run_by")


def reconciliation_issues(*, open_only: bool = False) -> QuerySet[ReconciliationIssue]:
    issues = ReconciliationIssue.objects.select_related("order", "resolved_by")
    if open_only:
        issues = issues.filter(needs_attention=True, resolved_at__isnull=True)
    return issues


def order_notifications(*, order: Order) -> QuerySet[PaymentNotification]:
    return order.notifications.order_by("received_at", "id")
