"""Filters of the back-office pages: audit actions and details in Chinese."""

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.audit.selectors import audit_action_label

register = template.Library()

_DETAIL_KEYS = {
    "fields": _("字段"),
    "region": _("地区代码"),
    "region_name": _("地区"),
    "show": _("范围"),
    "page": _("页码"),
    "results": _("结果数"),
    "reason": _("原因"),
    "model": _("数据"),
    "change": _("修改字段"),
    "role": _("角色"),
    "office_id": _("机构编号"),
    "is_active": _("启用"),
}
_DETAIL_VALUES = {
    "id_number": _("身份证号"),
    "phone": _("手机号"),
    "email": _("电子邮箱"),
    "new7": _("近7日新注册"),
    "merge": _("待合档"),
    "no_role": _("未分配岗位"),
    "office_inactive": _("机构已停用"),
    "reviewer": _("审核员"),
    "administrator": _("管理员"),
}


@register.filter
def audit_action(action: str) -> str:
    return audit_action_label(action)


def _value_text(value) -> str:
    if value is True:
        return gettext("是")
    if value is False:
        return gettext("否")
    if isinstance(value, list | tuple):
        # Translators: the enumeration comma between listed values (身份证号、手机号).
        return gettext("、").join(_value_text(v) for v in value) or "—"
    return str(_DETAIL_VALUES.get(str(value), str(value)))


@register.filter
def audit_detail(detail) -> str:
    """"字段：身份证号、手机号；…" — empty values are left out."""
    if not isinstance(detail, dict):
        return ""
    parts = []
    if detail.get("has_query"):
        parts.append(gettext("按关键字查询"))
    for key, value in detail.items():
        if value in ("", None, [], {}) or key == "has_query" or (key == "region" and detail.get("region_name")):
            continue
        parts.append(gettext("%(key)s：%(value)s") % {"key": _DETAIL_KEYS.get(key, key), "value": _value_text(value)})
    # Translators: separates the parts of an audit detail ("字段：身份证号；原因：…").
    return gettext("；").join(parts)
