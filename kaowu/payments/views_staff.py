"""管理端 › 订单与退款: 退款审核, order look-up by number, 对账.

Orders and refunds are read only through `orders_visible_to` / `refunds_visible_to`; another
jurisdiction's order is a 404. Deciding refunds is for the province authority and exam areas,
对账 for the province authority."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import selectors, services
from .forms import IssueResolveForm, OrderSearchForm, ReconcileForm, RefundDecisionForm
from .models import ReconciliationIssue, Refund

PAGE_SIZE = 20
RefundStatus = Refund.Status
TABS = [(RefundStatus.PENDING_REVIEW, RefundStatus.PENDING_REVIEW.label),
        (RefundStatus.PROCESSING, RefundStatus.PROCESSING.label),
        (RefundStatus.FAILED, RefundStatus.FAILED.label),
        (RefundStatus.REFUNDED, RefundStatus.REFUNDED.label),
        (RefundStatus.REJECTED, RefundStatus.REJECTED.label),
        ("all", gettext_lazy("全部"))]


def _context(request, **extra) -> dict:
    staff = request.staff
    return {
        "can_review": selectors.can_review_refunds(staff=staff),
        "can_reconcile": selectors.can_reconcile(staff=staff),
        "refunds_pending": selectors.refunds_awaiting_review_count(staff=staff),
        **extra,
    }


@never_cache
@require_GET
@staff_required
def refund_list(request):
    """退款审核 queue, with the order search by number at the top."""
    staff = request.staff
    search = OrderSearchForm(request.GET or None)
    if search.is_valid() and search.cleaned_data["q"].strip():
        number = search.cleaned_data["q"].strip().upper()
        if selectors.orders_visible_to(staff=staff).filter(number=number).exists():
            return redirect("backoffice:payments_staff:order_detail", number=number)
        messages.warning(request, gettext("未找到订单 %(number)s（或不在您的管辖范围内）。") % {"number": number})
    status = request.GET.get("status") or RefundStatus.PENDING_REVIEW
    if status not in dict(TABS):
        status = RefundStatus.PENDING_REVIEW
    refunds = selectors.refunds_visible_to(staff=staff)
    counts = {row: refunds.filter(status=row).count() for row in (RefundStatus.PENDING_REVIEW, RefundStatus.FAILED)}
    if status != "all":
        refunds = refunds.filter(status=status)
    order = ("created_at", "id") if status == RefundStatus.PENDING_REVIEW else ("-created_at", "-id")
    page = Paginator(refunds.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    return staff_render(request, "payments/staff/refund_list.html", _context(
        request, search=OrderSearchForm(), page_obj=page, status=status, querystring=f"status={status}",
        tabs=[{"value": v, "label": label, "count": counts.get(v), "active": v == status} for v, label in TABS],
    ), section="payments")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def refund_detail(request, number: str):
    staff = request.staff
    refund = get_object_or_404(selectors.refunds_visible_to(staff=staff).prefetch_related("items"), number=number)
    form = RefundDecisionForm(request.POST or None)
    if request.method == "POST":
        if not selectors.can_review_refunds(staff=staff):
            messages.error(request, gettext("仅省级考试机构和考区工作人员可以审核退款。"))
            return redirect("backoffice:payments_staff:refund_detail", number=number)
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                if action == "approve":
                    refund = services.refund_approve(refund=refund, actor=staff.user, request=request)
                elif action == "retry":
                    refund = services.refund_retry(refund=refund, actor=staff.user, request=request)
                else:
                    refund = services.refund_reject(refund=refund, actor=staff.user,
                                                    reason=form.cleaned_data["reason"], request=request)
            except services.PaymentError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                refund.refresh_from_db()
                messages.success(request, gettext("退款 %(number)s：%(status)s。")
                                 % {"number": refund.number, "status": refund.get_status_display()})
                return redirect("backoffice:payments_staff:refund_detail", number=number)
    return staff_render(request, "payments/staff/refund_detail.html", _context(
        request, refund=refund, order=refund.order, form=form, items=list(refund.order.items.all()),
        refund_items={i.pk for i in refund.items.all()},
    ), section="payments", status=400 if form.errors else 200)


@never_cache
@require_GET
@staff_required
def order_detail(request, number: str):
    staff = request.staff
    order = get_object_or_404(selectors.orders_visible_to(staff=staff), number=number)
    audit_record(actor=staff.user, action=AuditAction.PAYMENTS_ORDER_VIEWED, target=order, request=request)
    return staff_render(request, "payments/staff/order_detail.html", _context(
        request, order=order, items=list(order.items.all()),
        history=order.history.select_related("actor").order_by("created_at", "id"),
        payments=list(order.payments.all()), refunds=list(selectors.order_refunds(order=order)),
        notifications=list(selectors.order_notifications(order=order)),
        attempts=list(order.attempts.all()), issues=list(order.issues.all()),
    ), section="payments")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def reconciliation(request):
    staff = request.staff
    allowed = selectors.can_reconcile(staff=staff)
    form = ReconcileForm(request.POST or None,
                         initial={"date": timezone.localdate() - datetime.timedelta(days=1)})
    if request.method == "POST":
        if not allowed:
            messages.error(request, gettext("仅省级考试机构可以对账。"))
            return redirect("backoffice:payments_staff:reconciliation")
        if form.is_valid():
            try:
                run = services.reconciliation_run(date=form.cleaned_data["date"], actor=staff.user, request=request)
            except services.PaymentError as exc:
                form.add_error("date", exc.message)
            else:
                s = run.summary
                messages.success(request, gettext(
                    "%(date)s 对账完成：账单 %(rows)s 笔，一致 %(matched)s 笔，补记漏单 %(repaired)s 笔，"
                    "自动退款 %(refunded)s 笔，新差异 %(issues)s 条。") % {
                    "date": run.date.isoformat(), "rows": s["bill_rows"], "matched": s["matched"],
                    "repaired": s["repaired"], "refunded": s["refunded"], "issues": s["issues"]})
                if s.get("unreachable"):
                    messages.warning(request, gettext("以下渠道的账单暂时无法获取：%(channels)s")
                                     % {"channels": "、".join(s["unreachable"])})
                return redirect("backoffice:payments_staff:reconciliation")
    if not allowed:
        return staff_render(request, "payments/staff/reconciliation.html", _context(request, form=None), section="payments")
    issues = selectors.reconciliation_issues()
    show = request.GET.get("show", "open")
    if show == "open":
        issues = issues.filter(needs_attention=True, resolved_at__isnull=True)
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    return staff_render(request, "payments/staff/reconciliation.html", _context(
        request, form=form, runs=list(selectors.reconciliation_runs()[:10]), page_obj=page, show=show,
        querystring=f"show={show}", resolve_form=IssueResolveForm(),
    ), section="payments", status=400 if form.errors else 200)


@require_POST
@staff_required
def issue_resolve(request, pk: int):
    staff = request.staff
    if not selectors.can_reconcile(staff=staff):
        raise Http404
    issue = get_object_or_404(ReconciliationIssue, pk=pk)
    form = IssueResolveForm(request.POST)
    if form.is_valid():
        try:
            services.issue_resolve(issue=issue, actor=staff.user, resolution=form.cleaned_data["resolution"],
                                   request=request)
        except services.PaymentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("已记录处理说明。"))
    else:
        messages.error(request, gettext("请填写处理说明"))
    return redirect("backoffice:payments_staff:reconciliation")
