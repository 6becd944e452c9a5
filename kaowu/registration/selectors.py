"""Reading 报考: a candidate's registration and what the form offers."""

from django.db.models import Prefetch, Q, QuerySet

from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import ExamSitting, Major, PlanCourse, SittingCourse
from kaowu.catalog.selectors import sitting_courses_all
from kaowu.payments.models import Order

from .models import RegisteredCourse, Registration


def registration_of(*, exam_number: ExamNumber, sitting: ExamSitting | None) -> Registration | None:
    if sitting is None:
        return None
    return (Registration.objects.filter(exam_number=exam_number, sitting=sitting)
            .select_related("exam_area", "major", "sitting").first())


def registration_courses(*, registration: Registration) -> list[RegisteredCourse]:
    return list(registration.courses.select_related("course", "sitting_course__session", "order", "refund")
                .order_by("status", "sitting_course__session__date", "sitting_course__session__half_day",
                          "course__code"))


def registration_orders(*, registration: Registration) -> QuerySet[Order]:
    return Order.objects.filter(user_id=registration.exam_number.candidate.user_id,
                                purpose=Order.Purpose.COURSE_REGISTRATION, reference=registration.order_reference)


def registration_pending_order(*, registration: Registration) -> Order | None:
    return registration_orders(registration=registration).filter(status=Order.Status.PENDING).first()


def majors_for_form(*, exam_number: ExamNumber, current: Major | None = None) -> QuerySet[Major]:
    """Majors a candidate may pick: every open major, plus a major in 停考过渡期 the candidate already
    studies (the service decides finally; this keeps refusals rare)."""
    shown = Q(status=Major.Status.OPEN)
    if exam_number.major_name:
        shown |= Q(status=Major.Status.TRANSITION, name=exam_number.major_name)
    if current is not None:
        shown |= Q(pk=current.pk)
    return Major.objects.filter(shown).select_related("university").order_by("code")


def offered_courses_with_majors(*, sitting: ExamSitting) -> list[SittingCourse]:
    """Every course the sitting offers, each with `major_codes` (the plans it belongs to), in timetable order."""
    offered = list(sitting_courses_all(sitting=sitting).prefetch_related(
        Prefetch("course__plan_entries", queryset=PlanCourse.objects.select_related("major").only(
            "course_id", "major__code"), to_attr="plans")))
    for sc in offered:
        sc.major_codes = " ".join(sorted(p.major.code for p in sc.course.plans))
    return offered
