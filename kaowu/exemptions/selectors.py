"""Reading 免考规则 and what a candidate may ask to be exempted from."""

from django.db.models import Q, QuerySet

from kaowu.catalog.models import Course, Major
from kaowu.organization.models import Office, StaffMember
from kaowu.records.selectors import passed_course_ids

from .models import ExemptionRule


def rules_editable_by(*, staff: StaffMember) -> bool:
    """The rules are the province's: staff of the province authority change them; others read."""
    return staff.office.kind == Office.Kind.PROVINCE_AUTHORITY


def rules_search(*, query: str = "", kind: str = "", major: str = "") -> QuerySet[ExemptionRule]:
    rules = ExemptionRule.objects.select_related("major").prefetch_related("courses")
    if kind:
        rules = rules.filter(kind=kind)
    if major:
        rules = rules.filter(major__code=major)
    if query:
        rules = rules.filter(Q(certificate__icontains=query) | Q(major__name__icontains=query)
                             | Q(major__code__iexact=query) | Q(courses__code=query)).distinct()
    return rules


def candidate_majors(*, exam_number) -> QuerySet[Major]:
    """The majors whose plan is the candidate's own: the 准考证号's 报考专业 and the majors of the
    candidate's 报考."""
    if exam_number is None:
        return Major.objects.none()
    own = Q(registrations__exam_number__candidate=exam_number.candidate_id)
    if exam_number.major_name:
        own |= Q(name=exam_number.major_name)
    return Major.objects.filter(own).distinct()


def rules_for(*, exam_number, kind: str = "") -> QuerySet[ExemptionRule]:
    """Active rules of the candidate's own majors."""
    rules = ExemptionRule.objects.filter(is_active=True, major__in=candidate_majors(exam_number=exam_number))
    if kind:
        rules = rules.filter(kind=kind)
    return rules.select_related("major").prefetch_related("courses").order_by("kind", "major__code", "certificate")


def exemptible_courses(*, rule: ExemptionRule, candidate) -> list[Course]:
    """The courses `rule` exempts that are in its major's plan and not on the candidate's 考籍 yet
    (passed, transferred in or exempted)."""
    done = passed_course_ids(candidate=candidate)
    return list(rule.courses.filter(plan_entries__major=rule.major).exclude(pk__in=done).distinct().order_by("code"))


def exemption_applications_of(*, candidate, sitting=None):
    """The candidate's 免考申请 (of `sitting` when given), newest first, with their per-course decisions."""
    from kaowu.workflow.models import Application

    from .types import CODE

    applications = (Application.objects.filter(candidate=candidate, type_code=CODE)
                    .select_related("current_version").prefetch_related("items"))
    if sitting is not None:
        applications = applications.filter(sitting=sitting)
    return applications.order_by("-created_at")
