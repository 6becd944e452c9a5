"""{% load inbox %}{% inbox_unread as count %}: the signed-in user's unread 消息 (for the header badge)."""

from django import template

from ..services import inbox_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unread(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return inbox_unread_count(user=user) if user is not None else 0
