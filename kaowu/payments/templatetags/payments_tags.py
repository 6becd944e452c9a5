from django import template

register = template.Library()

# Each status has its colour (kaowu.css badge modifiers).
ORDER_BADGES = {
    "pending": "warning",
    "paid": "success",
    "cancelled": "neutral",
    "expired": "danger",
    "refunded": "info",
    "partially_refunded": "info",
}
REFUND_BADGES = {
    "pending_review": "warning",
    "processing": "info",
    "refunded": "success",
    "failed": "danger",
    "rejected": "neutral",
}


@register.filter
def order_badge(status: str) -> str:
    return ORDER_BADGES.get(status, "neutral")


@register.filter
def refund_badge(status: str) -> str:
    return REFUND_BADGES.get(status, "neutral")


@register.filter
def yuan(value) -> str:
    """¥ amounts with two decimals: 90 → "90.00"."""
    try:
        return f"{value:,.2f}"
    except (TypeError, ValueError):
        return ""
