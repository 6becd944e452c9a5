"""Template filters every page uses: masking of personal data and Chinese date formats
(ISO-like dates when the page is in English)."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.core.masking import mask_email, mask_id_number, mask_name, mask_phone

register = template.Library()

register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
register.filter("mask_email", mask_email)
register.filter("mask_name", mask_name)


@register.filter
def cn_date(value) -> str:
    """2027年04月12日, in Beijing time (2027-04-12 in English)."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return gettext("%(year)s年%(month)s月%(day)s日") % {
        "year": value.year, "month": f"{value.month:02d}", "day": f"{value.day:02d}"}


@register.filter
def cn_datetime(value) -> str:
    """2027年04月12日 14:30, 24-hour, Beijing time (2027-04-12 14:30 in English)."""
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{cn_date(value)} {value.hour:02d}:{value.minute:02d}"


@register.simple_tag
def cn_today() -> str:
    """Today's date as cn_date writes it."""
    return cn_date(timezone.localdate())
