"""免考规则 use cases: save, delete, import (every change audited, by the province authority only)."""

from django.db import transaction
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.catalog.models import Course, Major
from kaowu.core.errors import UserFacingError
from kaowu.organization.models import StaffMember

from .models import ExemptionRule
from .selectors import rules_editable_by


class ExemptionRuleError(UserFacingError):
    pass


def rules_require_editor(*, staff: StaffMember) -> None:
    if not rules_editable_by(staff=staff):
        raise ExemptionRuleError(gettext("免考规则由省级考试机构维护，您可以查看，但不能修改。"))


def rule_courses_check(*, major: Major, courses) -> list[Course]:
    """The courses, each of which must be in the major's plan; at least one."""
    courses = list(courses)
    if not courses:
        raise ExemptionRuleError(gettext("请至少选择一门可免考课程"), field="courses")
    planned = set(major.plan_courses.values_list("course_id", flat=True))
    outside = [c.code for c in courses if c.pk not in planned]
    if outside:
        raise ExemptionRuleError(gettext("课程 %(codes)s 不在专业 %(major)s 的专业计划中")
                                 % {"codes": "、".join(outside), "major": major.code}, field="courses")
    return courses


def _snapshot(rule: ExemptionRule) -> dict:
    return {"kind": rule.kind, "certificate": rule.certificate, "major": rule.major.code, "note": rule.note,
            "is_active": rule.is_active, "courses": sorted(rule.courses.values_list("code", flat=True))}


def rule_save(*, staff: StaffMember, rule: ExemptionRule | None = None, kind: str, certificate: str, major: Major,
              courses, note: str = "", is_active: bool = True, request=None) -> ExemptionRule:
    """Create or change a rule (certificate + major unique per kind)."""
    rules_require_editor(staff=staff)
    certificate = certificate.strip()
    if not certificate:
        raise ExemptionRuleError(gettext("请填写证书或资格"), field="certificate")
    courses = rule_courses_check(major=major, courses=courses)
    with transaction.atomic():
        clash = ExemptionRule.objects.filter(kind=kind, certificate=certificate, major=major)
        if rule is not None:
            clash = clash.exclude(pk=rule.pk)
        if clash.exists():
            raise ExemptionRuleError(gettext("该专业已有同一证书的免考规则，请修改原有规则。"), field="certificate")
        before = _snapshot(rule) if rule is not None else None
        if rule is None:
            rule = ExemptionRule(kind=kind, certificate=certificate, major=major, note=note.strip(),
                                 is_active=is_active)
        else:
            rule = ExemptionRule.objects.select_for_update().get(pk=rule.pk)
            rule.kind, rule.certificate, rule.major = kind, certificate, major
            rule.note, rule.is_active = note.strip(), is_active
        rule.save()
        rule.courses.set(courses)
        after = _snapshot(rule)
        if before is None:
            audit_record(actor=staff.user, action=AuditAction.EXEMPTION_RULE_CREATED, target=rule, request=request,
                         detail=after)
        else:
            changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
            audit_record(actor=staff.user, action=AuditAction.EXEMPTION_RULE_UPDATED, target=rule, request=request,
                         detail={"changes": changes})
    return rule


def rule_delete(*, staff: StaffMember, rule: ExemptionRule, request=None) -> None:
    rules_require_editor(staff=staff)
    with transaction.atomic():
        audit_record(actor=staff.user, action=AuditAction.EXEMPTION_RULE_DELETED, target=rule, request=request,
                     detail=_snapshot(rule))
        rule.delete()
