"""on_order_paid: how a business app learns that its order was paid."""

import logging
from collections import defaultdict
from collections.abc import Callable

logger = logging.getLogger(__name__)

_paid_callbacks: dict[str, list[Callable]] = defaultdict(list)
_refund_callbacks: dict[str, list[Callable]] = defaultdict(list)


def on_order_paid(purpose: str, callback: Callable) -> None:
    """Call `callback(order)` after an order of `purpose` becomes 已缴费 and the transaction commits."""
    if callback not in _paid_callbacks[purpose]:
        _paid_callbacks[purpose].append(callback)


def order_paid_fire(order_id: int) -> None:
    from ..models import Order

    order = Order.objects.select_related("user").get(pk=order_id)
    for callback in list(_paid_callbacks.get(order.purpose, ())):
        try:
            callback(order)
        except Exception:  # noqa: BLE001 — one app's bug must not undo or hide a payment
            logger.exception("on_order_paid callback %r failed for order %s", callback, order.number)


def on_refund_settled(purpose: str, callback: Callable) -> None:
    """Call `callback(refund)` after a requested refund of an order of `purpose` is decided for good —
    已退款 or 已驳回 — or fails at the gateway (退款失败, staff may retry), once the transaction commits."""
    if callback not in _refund_callbacks[purpose]:
        _refund_callbacks[purpose].append(callback)


def refund_settled_fire_on_commit(refund) -> None:
    from django.db import transaction

    refund_id = refund.pk
    transaction.on_commit(lambda: _refund_settled_fire(refund_id))


def _refund_settled_fire(refund_id: int) -> None:
    from ..models import Refund

    refund = Refund.objects.select_related("order").get(pk=refund_id)
    for callback in list(_refund_callbacks.get(refund.order.purpose, ())):
        try:
            callback(refund)
        except Exception:  # noqa: BLE001 — as for payments: never undo the refund's own record
            logger.exception("on_refund_settled callback %r failed for refund %s", callback, refund.number)
