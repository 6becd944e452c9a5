"""Filters of the back-office pages: audit actions and details in Chinese."""

from django import template

from kaowu.audit.selectors import audit_action_label

register = template.Library()

_DETAIL_KEYS = {
    "fields": "字段",
    "region": "地区代码",
    "region_name": "地区",
    "show": "范围",
    "page": "页码",
    "results": "结果数",
    "reason": "原因",
    "model": "数据",
    "change": "修改字段",
    "role": "角色",
    "office_id": "机构编号",
    "is_active": "启用",
}
_DETAIL_VALUES = {
    "id_number": "身份证号",
    "phone": "手机号",
    "email": "电子邮箱",
    "new7": "近7日新注册",
    "merge": "待合档",
    "no_role": "未分配岗位",
    "office_inactive": "机构已停用",
    "reviewer": "审核员",
    "administrator": "管理员",
}


@register.filter
def audit_action(action: str) -> str:
    return audit_action_label(action)


def _value_text(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list | tuple):
        return "、".join(_value_text(v) for v in value) or "—"
    return _DETAIL_VALUES.get(str(value), str(value))


@register.filter
def audit_detail(detail) -> str:
    """"字段：身份证号、手机号；…" — empty values are left out."""
    if not isinstance(detail, dict):
        return ""
    parts = []
    if detail.get("has_query"):
        parts.append("按关键字查询")
    for key, value in detail.items():
        if value in ("", None, [], {}) or key == "has_query" or (key == "region" and detail.get("region_name")):
            continue
        parts.append(f"{_DETAIL_KEYS.get(key, key)}：{_value_text(value)}")
    return "；".join(parts)
