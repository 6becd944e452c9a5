"""Orders: create (or replace), pay, sync with the gateway, cancel, expire, and record the charges a
gateway reports. See the package docstring for the rules."""

import datetime
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.core.state import IllegalTransition

from ..models import (
    ORDER_FLOW,
    Order,
    OrderItem,
    OrderStatusChange,
    Payment,
    PaymentAttempt,
    ReconciliationIssue,
)
from ..providers import GatewayStatus, ProviderError, channels_enabled, payment_provider
from .callbacks import order_paid_fire
from .errors import OrderAlreadyPaid, PaymentError

logger = logging.getLogger(__name__)
Status = Order.Status
Source = OrderStatusChange.Source
CURRENCY = "CNY"

# History comments are stored in Chinese (gettext_noop marks them for the catalogue) and translated
# when shown, as in the identity app.
COMMENT_CREATED = gettext_noop("创建订单")
COMMENT_REPLACED = gettext_noop("已被新订单替代")
COMMENT_CANCELLED = gettext_noop("取消订单")
COMMENT_EXPIRED = gettext_noop("超过缴费期限未缴费，订单已失效")


@dataclass(frozen=True)
class ItemSpec:
    """One fee of a new order: `amount` is the unit price in yuan."""

    description: str
    amount: Decimal
    quantity: int = 1
    reference: str = ""


def new_number(prefix: str, model) -> str:
    """A human-readable number such as KW2027040112345678: prefix, local date, 8 random digits.
    Numbers are never reused: rows are never deleted and the column is unique."""
    day = timezone.localdate().strftime("%Y%m%d")
    while True:
        number = f"{prefix}{day}{secrets.randbelow(10 ** 8):08d}"
        if not model.objects.filter(number=number).exists():
            return number


def transition(*, order: Order, to: str, source: str, actor=None, comment: str = "") -> None:
    """Move `order` (locked by the caller) to `to` and write the history row; the caller saves."""
    try:
        ORDER_FLOW.require(order.status, to)
    except IllegalTransition as exc:
        raise PaymentError(str(exc)) from None
    OrderStatusChange.objects.create(order=order, from_status=order.status, to_status=to, source=source,
                                     actor=actor if getattr(actor, "pk", None) else None, comment=comment[:200])
    order.status = to


def _lock(order: Order | int) -> Order:
    return Order.objects.select_for_update().get(pk=getattr(order, "pk", order))


def _is_due(order: Order, now=None) -> bool:
    return order.status == Status.PENDING and order.expires_at <= (now or timezone.now())


def _clean_items(items: list[ItemSpec]) -> list[ItemSpec]:
    if not items:
        raise PaymentError(gettext("订单至少要有一项收费项目"))
    cleaned = []
    for item in items:
        try:
            amount = Decimal(item.amount).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError):
            raise PaymentError(gettext("收费金额无效：%(item)s") % {"item": item.description}) from None
        if amount < 0 or item.quantity < 1 or not item.description.strip():
            raise PaymentError(gettext("收费项目无效：%(item)s") % {"item": item.description})
        cleaned.append(ItemSpec(description=item.description.strip()[:100], amount=amount,
                                quantity=int(item.quantity), reference=(item.reference or "")[:64]))
    return cleaned


def _same_items(order: Order, items: list[ItemSpec], title: str) -> bool:
    current = [(i.description, i.amount, i.quantity, i.reference) for i in order.items.order_by("id")]
    return order.title == title and current == [(i.description, i.amount, i.quantity, i.reference) for i in items]


def order_create(*, user, purpose: str, reference: str, items: list[ItemSpec], actor, title: str = "") -> Order:
    """The 待缴费 order for (user, purpose, reference) with these items; see the package docstring."""
    items = _clean_items(items)
    amount = sum((i.amount * i.quantity for i in items), Decimal("0.00"))
    if amount < Decimal("0.01"):
        raise PaymentError(gettext("订单金额至少为 0.01 元"))
    title = (title or str(Order.Purpose(purpose).label))[:100]
    reference = str(reference)[:64]

    # An unpaid order the candidate already took to a cashier may have been paid there: ask first, so
    # that a paid order is never replaced (the gateway call stays outside any lock).
    existing = Order.objects.filter(user=user, purpose=purpose, reference=reference, status=Status.PENDING).first()
    if existing is not None and existing.attempts.exists() and not _same_items(existing, items, title):
        if order_sync(order=existing).is_paid:
            raise OrderAlreadyPaid(gettext("您的上一笔订单（%(number)s）已缴费成功，请刷新页面后再修改。")
                                   % {"number": existing.number})

    replaced: list[Order] = []
    try:
        with transaction.atomic():
            # One candidate's orders are created one at a time: the account row is the lock, so that
            # concurrent submits of the same business object end in one order.
            get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=user.pk)
            for current in Order.objects.select_for_update().filter(user=user, purpose=purpose, reference=reference,
                                                                    status=Status.PENDING):
                if _is_due(current):
                    transition(order=current, to=Status.EXPIRED, source=Source.SYSTEM, comment=COMMENT_EXPIRED)
                    current.save(update_fields=["status", "updated_at"])
                    replaced.append(current)
                elif _same_items(current, items, title):
                    return current
                else:
                    transition(order=current, to=Status.CANCELLED, source=Source.USER if actor else Source.SYSTEM,
                               actor=actor, comment=COMMENT_REPLACED)
                    current.save(update_fields=["status", "updated_at"])
                    replaced.append(current)
            order = Order.objects.create(
                number=new_number("KW", Order), user=user, purpose=purpose, reference=reference, title=title,
                amount=amount, expires_at=timezone.now() + datetime.timedelta(
                    minutes=settings.KAOWU_PAYMENT_ORDER_EXPIRY_MINUTES),
            )
            OrderItem.objects.bulk_create([OrderItem(order=order, description=i.description, amount=i.amount,
                                                     quantity=i.quantity, reference=i.reference) for i in items])
            OrderStatusChange.objects.create(order=order, from_status="", to_status=Status.PENDING,
                                             source=Source.USER if actor else Source.SYSTEM,
                                             actor=actor if getattr(actor, "pk", None) else None,
                                             comment=COMMENT_CREATED)
            for old in replaced:
                _close_on_gateways_on_commit(old)
            return order
    except IntegrityError:
        # The lock above makes this unreachable in practice; the unique constraint is the backstop.
        current = Order.objects.filter(user=user, purpose=purpose, reference=reference, status=Status.PENDING).first()
        if current is None:
            raise
        return current


def _close_on_gateways_on_commit(order: Order) -> None:
    order_id = order.pk
    transaction.on_commit(lambda: _close_on_gateways(order_id))


def _close_on_gateways(order_id: int) -> None:
    order = Order.objects.get(pk=order_id)
    for channel in set(order.attempts.values_list("channel", flat=True)):
        try:
            payment_provider(channel).close(order)
        except ProviderError as exc:
            logger.warning("closing order %s on %s failed: %s", order.number, channel, exc)


def order_cancel(*, order: Order, actor, comment: str = COMMENT_CANCELLED) -> Order:
    """取消订单 (取消报考 before paying). The gateways are asked first: an order paid there is not cancelled."""
    if order.attempts.exists():
        order = order_sync(order=order)
    with transaction.atomic():
        order = _lock(order)
        if order.is_paid:
            raise OrderAlreadyPaid(gettext("订单已缴费，不能取消。"))
        if order.status != Status.PENDING:
            raise PaymentError(gettext("订单%(status)s，不能取消。") % {"status": order.get_status_display()})
        transition(order=order, to=Status.CANCELLED, source=Source.USER if actor else Source.SYSTEM, actor=actor,
                   comment=comment)
        order.save(update_fields=["status", "updated_at"])
        _close_on_gateways_on_commit(order)
    return order


def order_pay_start(*, order: Order, channel: str, actor=None, base_url: str = "") -> str:
    """去缴费: open the channel's cashier for a 待缴费 order and return its URL. `base_url`
    (scheme and host, from the request) makes the return and notify URLs absolute."""
    if channel not in channels_enabled():
        raise PaymentError(gettext("不支持该支付方式"), field="channel")
    order = Order.objects.get(pk=order.pk)
    if _is_due(order):
        order = order_expire(order=order)
    if order.is_paid:
        raise OrderAlreadyPaid(gettext("该订单已缴费，请勿重复缴费。"))
    if order.status != Status.PENDING:
        raise PaymentError(gettext("订单%(status)s，不能缴费。") % {"status": order.get_status_display()})
    provider = payment_provider(channel)
    return_url = base_url + reverse("payments:order_detail", args=[order.number]) + "?from=gateway"
    notify_url = base_url + reverse("payments:notify", args=[channel])
    try:
        request = provider.create_payment(order, return_url=return_url, notify_url=notify_url)
    except ProviderError as exc:
        if order_sync(order=order).is_paid:
            raise OrderAlreadyPaid(gettext("该订单已缴费，请勿重复缴费。")) from None
        raise PaymentError(gettext("暂时无法发起支付：%(reason)s") % {"reason": exc}) from None
    PaymentAttempt.objects.create(order=order, channel=channel, gateway_reference=request.gateway_reference[:64])
    return request.url


def order_sync(*, order: Order) -> Order:
    """我已缴费: ask each channel the order was taken to; record a charge one reports. Raises
    PaymentError only when no gateway could be asked at all."""
    channels = sorted(set(order.attempts.values_list("channel", flat=True)))
    unreachable = []
    for channel in channels:
        try:
            status = payment_provider(channel).query(order)
        except ProviderError as exc:
            logger.warning("query of order %s on %s failed: %s", order.number, channel, exc)
            unreachable.append(channel)
            continue
        if status.state == GatewayStatus.PAID:
            payment_from_gateway(order=order, channel=channel, trade_no=status.trade_no, amount=status.amount,
                                 currency=status.currency, paid_at=status.paid_at, source=Payment.Source.QUERY)
    order.refresh_from_db()
    if channels and len(unreachable) == len(channels):
        raise PaymentError(gettext("暂时无法查询支付结果，请稍后再试。"))
    return order


def order_expire(*, order: Order) -> Order:
    """已过期, for a 待缴费 order past its deadline. The gateways are asked first."""
    if not _is_due(order):
        return order
    if order.attempts.exists():
        try:
            order = order_sync(order=order)
        except PaymentError:
            return order  # cannot tell whether it was paid: try again on the next run
    with transaction.atomic():
        order = _lock(order)
        if not _is_due(order):
            return order
        transition(order=order, to=Status.EXPIRED, source=Source.SYSTEM, comment=COMMENT_EXPIRED)
        order.save(update_fields=["status", "updated_at"])
        _close_on_gateways_on_commit(order)
    return order


def orders_expire_due(*, now=None) -> int:
    """Expire every 待缴费 order past its deadline; returns how many were expired."""
    now = now or timezone.now()
    count = 0
    for order in Order.objects.filter(status=Status.PENDING, expires_at__lte=now).order_by("expires_at"):
        if order_expire(order=order).status == Status.EXPIRED:
            count += 1
    return count


# --- charges reported by a gateway --------------------------------------------------------------

def payment_from_gateway(*, order: Order, channel: str, trade_no: str, amount, currency: str, paid_at,
                         source: str) -> str:
    """A charge a gateway reported (query or bill). Checks amount and currency against the order
    first; returns the outcome of `payment_record`, or "amount_mismatch"."""
    if amount is None or Decimal(amount) != order.amount or currency != CURRENCY:
        ReconciliationIssue.objects.get_or_create(
            kind=ReconciliationIssue.Kind.AMOUNT_MISMATCH, channel=channel, trade_no=trade_no,
            defaults={"date": timezone.localdate(paid_at) if paid_at else timezone.localdate(),
                      "order": order, "out_trade_no": order.number, "gateway_amount": amount,
                      "platform_amount": order.amount, "needs_attention": True,
                      "detail": f"{source}: {currency} {amount}"[:200]})
        return "amount_mismatch"
    return payment_record(order=order, channel=channel, trade_no=trade_no, amount=Decimal(amount),
                          paid_at=paid_at or timezone.now(), source=source)


def payment_record(*, order: Order, channel: str, trade_no: str, amount: Decimal, paid_at, source: str) -> str:
    """Record one verified charge, idempotently, under the order's row lock. Returns
    "recorded" (this trade was already recorded: nothing changes), or the Payment outcome:
    "applied" (the order is now 已缴费), "duplicate" or "late" (refunded automatically)."""
    from .refunds import refund_auto

    try:
        with transaction.atomic():
            order = _lock(order)
            if Payment.objects.filter(channel=channel, trade_no=trade_no).exists():
                return "recorded"
            if order.status == Status.PENDING:
                Payment.objects.create(order=order, channel=channel, trade_no=trade_no, amount=amount,
                                       paid_at=paid_at, outcome=Payment.Outcome.APPLIED, source=source)
                transition(order=order, to=Status.PAID, source=Source.GATEWAY,
                           comment=gettext_noop("缴费成功"))
                order.paid_at, order.provider, order.provider_trade_no = paid_at, channel, trade_no
                order.save(update_fields=["status", "paid_at", "provider", "provider_trade_no", "updated_at"])
                order_id = order.pk
                transaction.on_commit(lambda: order_paid_fire(order_id))
                return Payment.Outcome.APPLIED
            outcome = Payment.Outcome.DUPLICATE if order.is_paid else Payment.Outcome.LATE
            payment = Payment.objects.create(order=order, channel=channel, trade_no=trade_no, amount=amount,
                                             paid_at=paid_at, outcome=outcome, source=source)
            refund_auto(payment=payment, kind=outcome)
            return outcome
    except IntegrityError:
        # Another connection recorded the same trade between our check and insert (the unique
        # constraints are the backstop of the lock): it is recorded, once.
        if Payment.objects.filter(channel=channel, trade_no=trade_no).exists():
            return "recorded"
        raise
