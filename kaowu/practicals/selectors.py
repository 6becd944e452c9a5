"""Reads of 实践性环节报名: a candidate's plans and their practical courses, his registrations, the
window, and the 主考学校's list of registered candidate × course rows."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import BusinessWindow, Course, Major
from kaowu.organization.models import Office, StaffMember

from .types import CODE, COMPLETED, REGISTERED


def registration_window(*, exam_number=None, sitting=None, now=None):
    """The ApplicableWindow of 实践性环节报名 of the current sitting (for the 准考证号's exam area)."""
    from kaowu.catalog.selectors import current_sitting
    from kaowu.catalog.windows import business_window

    return business_window(kind=BusinessWindow.Kind.PRACTICE_REGISTRATION,
                           sitting=sitting if sitting is not None else current_sitting(),
                           exam_area=exam_number.exam_area if exam_number is not None else None, now=now)


def candidate_majors(*, candidate) -> list[Major]:
    """The majors whose plan is the candidate's: the 报考专业 of his active 准考证号 (first) and the
    majors of his 报考; not a 停考 major."""
    names = list(ExamNumber.objects.filter(candidate=candidate, status=ExamNumber.Status.ACTIVE)
                 .exclude(major_name="").order_by("issued_at", "number").values_list("major_name", flat=True))
    majors = (Major.objects.filter(Q(name__in=names) | Q(registrations__exam_number__candidate=candidate))
              .exclude(status=Major.Status.CLOSED).select_related("university").distinct())
    order = {name: i for i, name in enumerate(names)}
    return sorted(majors, key=lambda m: (order.get(m.name, len(order)), m.code))


def practical_courses(*, major: Major) -> list[Course]:
    """实践 courses of the major's plan, in the plan's order."""
    from kaowu.catalog.models import PlanCourse

    return [entry.course for entry in PlanCourse.objects.filter(major=major, course__kind=Course.Kind.PRACTICE)
            .select_related("course").order_by("position", "course__code")]


def registrations_of(*, candidate) -> QuerySet:
    """The candidate's 实践性环节报名, newest first, with their per-course results."""
    from kaowu.workflow.models import Application

    return (Application.objects.filter(candidate=candidate, type_code=CODE)
            .select_related("current_version", "sitting", "reviewing_office").prefetch_related("items")
            .order_by("-created_at", "-id"))


def open_registrations_of(*, candidate) -> QuerySet:
    """Those still open: 待缴费, or 报名成功 and waiting for results."""
    from kaowu.workflow.types import application_type

    return registrations_of(candidate=candidate).filter(status__in=sorted(application_type(CODE).open_statuses))


def registration_open_in_sitting(*, candidate, sitting, exclude=None):
    """His open registration of that sitting, if any (one at a time per sitting)."""
    found = open_registrations_of(candidate=candidate).filter(sitting=sitting)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def registered_course_codes(*, candidate, exclude=None) -> set[str]:
    """Course codes in his open registrations (any sitting): not registered twice."""
    found = open_registrations_of(candidate=candidate)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return {course["code"] for application in found for course in application.data.get("courses", [])}


@dataclass(frozen=True)
class CourseChoice:
    major: Major
    course: Course
    registered: bool  # in another open registration: shown, not choosable

    @property
    def value(self) -> str:
        return self.course.code


def course_choices(*, candidate) -> list[CourseChoice]:
    """The practical courses of his plans that are not on his 考籍 (as he may know it), each once
    (under the first of his majors whose plan has it)."""
    from kaowu.records.selectors import passed_course_ids

    passed = passed_course_ids(candidate=candidate)
    registered = registered_course_codes(candidate=candidate)
    seen, choices = set(), []
    for major in candidate_majors(candidate=candidate):
        for course in practical_courses(major=major):
            if course.pk in passed or course.code in seen:
                continue
            seen.add(course.code)
            choices.append(CourseChoice(major=major, course=course, registered=course.code in registered))
    return choices


# --- the 主考学校's list -------------------------------------------------------------------------

def practical_list_visible_to(*, staff: StaffMember) -> bool:
    """The list and the results are the 主考学校's: staff of a university office."""
    return staff.office.kind == Office.Kind.UNIVERSITY


RESULT_FILTERS = {"pending": "pending", "passed": "approved", "failed": "rejected"}


def practical_items_for_staff(*, staff: StaffMember, sitting_id: int | None = None, course: str = "",
                              result: str = "", query: str = "") -> QuerySet:
    """Registered candidate × course rows (paid registrations, `ApplicationItem`s) of the office's own
    registrations — in its queue now or recorded by it (the engine's `applications_for_staff`)."""
    from kaowu.workflow.models import ApplicationItem
    from kaowu.workflow.selectors import applications_for_staff

    if not practical_list_visible_to(staff=staff):
        return ApplicationItem.objects.none()
    applications = applications_for_staff(staff=staff).filter(type_code=CODE, status__in=[REGISTERED, COMPLETED])
    items = ApplicationItem.objects.filter(application__in=applications.values("pk")).select_related(
        "application__candidate__user", "application__exam_number", "application__sitting",
        "application__current_version", "decided_by")
    if sitting_id:
        items = items.filter(application__sitting_id=sitting_id)
    if course:
        items = items.filter(key=course)
    if result in RESULT_FILTERS:
        items = items.filter(decision=RESULT_FILTERS[result])
    query = (query or "").strip()
    if query:
        items = items.filter(Q(application__exam_number__number=query) | Q(application__number=query.upper())
                             | Q(application__candidate__user__real_name__contains=query))
    return items.order_by("application__submitted_at", "application_id", "position", "id")


def practical_item_for_staff(*, staff: StaffMember, pk: int):
    """One row of the office's list, or 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(practical_items_for_staff(staff=staff), pk=pk)


def practical_list_courses(*, staff: StaffMember) -> list[tuple[str, str]]:
    """(code, name) of the courses in the office's list, for its filter."""
    items = practical_items_for_staff(staff=staff)
    codes = sorted(set(items.values_list("key", flat=True)))
    return list(Course.objects.filter(code__in=codes).order_by("code").values_list("code", "name"))


def practical_list_sittings(*, staff: StaffMember):
    from kaowu.catalog.models import ExamSitting

    items = practical_items_for_staff(staff=staff)
    return ExamSitting.objects.filter(pk__in=items.values("application__sitting_id")).order_by("-code")
