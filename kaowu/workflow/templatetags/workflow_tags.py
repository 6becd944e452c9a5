"""{% load workflow_tags %}{% applications_pending staff as n %}: the office's 待审核 count (side nav)."""

from django import template

from ..selectors import pending_count

register = template.Library()


@register.simple_tag
def applications_pending(staff) -> int:
    return pending_count(staff=staff) if staff is not None else 0
