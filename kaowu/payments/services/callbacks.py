"""on_order_paid: how a business app learns that its order was paid."""

import logging
from collections import defaultdict
from collections.abc import Callable

logger = logging.getLogger(__name__)

_paid_callbacks: dict[str, list[Callable]] = defaultdict(list)


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
