"""Reading 报考: a candidate's registration and what the form offers."""

from dataclasses import dataclass
from decimal import Decimal

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


@dataclass(frozen=True)
class ChangeCost:
    """What submitting a set of courses does to money: courses to pay for, paid courses refunded."""

    to_pay: list[SittingCourse]
    to_refund: list[RegisteredCourse]

    @property
    def pay_total(self) -> Decimal:
        return sum((sc.fee for sc in self.to_pay), Decimal("0.00"))

    @property
    def refund_total(self) -> Decimal:
        return sum((rc.fee for rc in self.to_refund), Decimal("0.00"))


def registration_change_cost(*, registration: Registration | None, chosen: list[SittingCourse],
                             major: Major | None) -> ChangeCost:
    """The cost of submitting `chosen` (offered courses of the sitting) for `major`, said on the 预览
    before the candidate confirms, as `registration_submit` will bill and refund it: a chosen course
    not yet registered, or registered and unpaid, is paid for; a paid course left out is refunded.
    Each chosen course is marked `paid` (already paid) and `cross` (跨专业: not in the major's plan)."""
    current = {}
    if registration is not None:
        current = {rc.course_id: rc for rc in registration.courses.filter(
            status__in=RegisteredCourse.ACTIVE).select_related("course")}
    chosen_course_ids = {sc.course_id for sc in chosen}
    to_refund = [rc for cid, rc in current.items() if cid not in chosen_course_ids
                 and rc.status == RegisteredCourse.Status.PAID]
    to_pay = [sc for sc in chosen if sc.course_id not in current
              or current[sc.course_id].status == RegisteredCourse.Status.UNPAID]
    for sc in chosen:
        sc.paid = sc.course_id in current and current[sc.course_id].status == RegisteredCourse.Status.PAID
        sc.cross = major is not None and major.code not in sc.major_codes.split()
    return ChangeCost(to_pay=to_pay, to_refund=to_refund)
