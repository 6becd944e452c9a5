"""Orders (订单) and what happens to them: items, status history, the charges the gateways reported,
the notifications received, refunds and reconciliation. `gateway.py` holds the development
gateway's own ledger, which stands for the payment company's side and is never read by the platform
except through a provider."""

from .gateway import DevGatewayRefund, DevGatewayTransaction
from .orders import (
    ORDER_FLOW,
    REFUND_FLOW,
    Channel,
    Order,
    OrderItem,
    OrderStatusChange,
    Payment,
    PaymentAttempt,
    PaymentNotification,
    ReconciliationIssue,
    ReconciliationRun,
    Refund,
)

__all__ = [
    "ORDER_FLOW", "REFUND_FLOW", "Channel", "DevGatewayRefund", "DevGatewayTransaction", "Order", "OrderItem",
    "OrderStatusChange", "Payment", "PaymentAttempt", "PaymentNotification", "ReconciliationIssue",
    "ReconciliationRun", "Refund",
]
