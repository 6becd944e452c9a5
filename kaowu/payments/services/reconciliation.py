"""对账: compare each channel's bill for a day with the platform's records, repair what can be
repaired (a lost notification → the order is marked paid; a duplicate or late charge → refunded)
and keep every difference as a ReconciliationIssue for staff."""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record

from ..models import Order, Payment, ReconciliationIssue, ReconciliationRun
from ..providers import ProviderError, channels_enabled, payment_provider
from .errors import PaymentError
from .orders import payment_from_gateway

logger = logging.getLogger(__name__)
Kind = ReconciliationIssue.Kind

_OUTCOME_ISSUE = {
    Payment.Outcome.APPLIED: Kind.LOST_NOTIFICATION,
    Payment.Outcome.DUPLICATE: Kind.DUPLICATE_CHARGE,
    Payment.Outcome.LATE: Kind.LATE_PAYMENT,
}


def _day_bounds(date: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def _issue(run, *, kind, channel, trade_no, date, **fields) -> bool:
    _, created = ReconciliationIssue.objects.get_or_create(
        kind=kind, channel=channel, trade_no=trade_no,
        defaults={"run": run, "date": date, "needs_attention": kind in ReconciliationIssue.NEEDS_ATTENTION, **fields},
    )
    return created


def reconciliation_run(*, date: datetime.date, actor=None, request=None) -> ReconciliationRun:
    """Reconcile `date` (a local calendar day) for every enabled channel. Safe to run again."""
    if date > timezone.localdate():
        raise PaymentError(gettext("不能对未来的日期对账"), field="date")
    run = ReconciliationRun.objects.create(date=date, run_by=actor if getattr(actor, "pk", None) else None)
    summary = {"bill_rows": 0, "matched": 0, "repaired": 0, "refunded": 0, "issues": 0, "unreachable": []}
    billed: dict[str, set[str]] = {}
    for channel in channels_enabled():
        try:
            rows = payment_provider(channel).bill(date)
        except ProviderError as exc:
            logger.warning("bill of %s for %s unavailable: %s", channel, date, exc)
            summary["unreachable"].append(channel)
            continue
        billed[channel] = {row.trade_no for row in rows}
        for row in rows:
            summary["bill_rows"] += 1
            _reconcile_row(run, row, date, summary)
    # Payments the platform recorded for the day that no bill shows.
    start, end = _day_bounds(date)
    for payment in Payment.objects.filter(paid_at__gte=start, paid_at__lt=end, channel__in=list(billed)):
        if payment.trade_no not in billed[payment.channel]:
            if _issue(run, kind=Kind.MISSING_ON_GATEWAY, channel=payment.channel, trade_no=payment.trade_no, date=date,
                      order=payment.order, out_trade_no=payment.order.number, platform_amount=payment.amount,
                      detail="平台已记录缴费，支付平台账单中没有这笔交易"):
                summary["issues"] += 1
    run.summary, run.finished_at = summary, timezone.now()
    run.save(update_fields=["summary", "finished_at"])
    if actor is not None:
        audit_record(actor=actor, action=AuditAction.PAYMENTS_RECONCILIATION_RUN, target=run, request=request,
                     detail={"date": date.isoformat(), **{k: v for k, v in summary.items() if k != "unreachable"}})
    return run


def _reconcile_row(run, row, date, summary) -> None:
    existing = Payment.objects.filter(channel=row.channel, trade_no=row.trade_no).select_related("order").first()
    if existing is not None:
        if existing.amount != row.amount:
            if _issue(run, kind=Kind.AMOUNT_MISMATCH, channel=row.channel, trade_no=row.trade_no, date=date,
                      order=existing.order, out_trade_no=row.out_trade_no, gateway_amount=row.amount,
                      platform_amount=existing.amount, detail="账单金额与平台记录的支付金额不一致"):
                summary["issues"] += 1
        else:
            summary["matched"] += 1
        return
    order = Order.objects.filter(number=row.out_trade_no).first()
    if order is None:
        if _issue(run, kind=Kind.UNKNOWN_ORDER, channel=row.channel, trade_no=row.trade_no, date=date,
                  out_trade_no=row.out_trade_no, gateway_amount=row.amount, detail="账单中的订单号在平台不存在"):
            summary["issues"] += 1
        return
    outcome = payment_from_gateway(order=order, channel=row.channel, trade_no=row.trade_no, amount=Decimal(row.amount),
                                   currency=row.currency, paid_at=row.paid_at, source=Payment.Source.RECONCILIATION)
    if outcome == "amount_mismatch":
        summary["issues"] += 1
        return
    if outcome == "recorded":  # recorded meanwhile (a notification arrived while we ran)
        summary["matched"] += 1
        return
    summary["repaired" if outcome == Payment.Outcome.APPLIED else "refunded"] += 1
    _issue(run, kind=_OUTCOME_ISSUE[outcome], channel=row.channel, trade_no=row.trade_no, date=date, order=order,
           out_trade_no=order.number, gateway_amount=row.amount, platform_amount=order.amount)


def issue_resolve(*, issue: ReconciliationIssue, actor, resolution: str, request=None) -> ReconciliationIssue:
    """Staff record how they settled a difference that needed a person."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise PaymentError(gettext("请填写处理说明"), field="resolution")
    with transaction.atomic():
        issue = ReconciliationIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.resolved_at is not None:
            raise PaymentError(gettext("该差异已处理"))
        issue.resolved_at, issue.resolved_by, issue.resolution = timezone.now(), actor, resolution[:200]
        issue.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        audit_record(actor=actor, action=AuditAction.PAYMENTS_ISSUE_RESOLVED, target=issue, request=request,
                     detail={"kind": issue.kind, "trade_no": issue.trade_no})
    return issue
