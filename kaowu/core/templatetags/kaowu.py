"""Template filters every page uses: masking of personal data and Chinese date formats."""

from django import template
from django.utils import timezone

from kaowu.core.masking import mask_email, mask_id_number, mask_name, mask_phone

register = template.Library()

register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
register.filter("mask_email", mask_email)
register.filter("mask_name", mask_name)


@register.filter
def cn_date(value) -> str:
    """2027年04月12日, in Beijing time."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month:02d}月{value.day:02d}日"


@register.filter
def cn_datetime(value) -> str:
    """2027年04月12日 14:30, 24-hour, Beijing time."""
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{value.year}年{value.month:02d}月{value.day:02d}日 {value.hour:02d}:{value.minute:02d}"
