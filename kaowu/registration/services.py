"""报考 use cases: submit (and change) a registration, cancel it before paying, request a refund in
the 退款 window, and what payments tell us (an order paid, a refund settled).

Rules (seeds 002, 003):
- 报考 needs a passed identity check and a 准考证号 (建档 approved, or an enrolled candidate's number).
- The 报考 window of the chosen exam area (and of the previous one, when it changes) must be open;
  the server checks it on every submission, whatever the form says.
- A major in 停考过渡期 takes no new candidates: a candidate is "new" to a major when their
  准考证号 was not issued for it and they never registered for it in an earlier sitting.
- Refused with the reason: a course not offered in the sitting, the same course twice (also under
  another 准考证号 of the same person), two courses in the same session, a course already passed.
- Courses of other majors may be chosen (跨专业, "显示全部开考课程").
- Every submission replaces the previous one: unpaid courses are (re)billed in one order (the unpaid
  order is replaced), paid courses that are kept stay paid, paid courses that are removed are
  refunded at once (inside the 报考 window the candidate may change their mind without review).
"""

import logging
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.catalog.models import BusinessWindow, ExamSitting, Major, SittingCourse
from kaowu.catalog.selectors import sitting_holds_exam_area
from kaowu.catalog.windows import business_window
from kaowu.core.dates import cn_date
from kaowu.core.errors import UserFacingError
from kaowu.core.state import IllegalTransition
from kaowu.organization.models import Office
from kaowu.payments import services as payments
from kaowu.payments.models import Order, Refund
from kaowu.records.selectors import passed_course_ids

from .models import REGISTRATION_FLOW, RegisteredCourse, Registration, RegistrationSubmission

logger = logging.getLogger(__name__)
Status = Registration.Status
CourseStatus = RegisteredCourse.Status
Action = RegistrationSubmission.Action
PURPOSE = Order.Purpose.COURSE_REGISTRATION

COMMENT_REMOVED_PAID = gettext_noop("修改报考时退选已缴费课程，报考时间内自动退款")
COMMENT_ORDER_REPLACED = gettext_noop("报考已取消")


class RegistrationError(UserFacingError):
    """报考 refused, with the reason."""


# --- Who may register -----------------------------------------------------------------------------


def registration_prerequisite_error(*, candidate: Candidate | None, exam_number: ExamNumber | None) -> str | None:
    """Why this candidate cannot 报考 yet, or None."""
    from kaowu.identity.selectors import verification_passed

    if candidate is None:
        return gettext("只有考生账号可以报考。")
    if verification_passed(user=candidate.user) is None:
        return gettext("请先完成身份认证，认证通过后才能报考。")
    if exam_number is None:
        filing = getattr(candidate, "filing", None)
        if filing is None:
            return gettext("请先完成基本信息填报（建档），考区审核通过并取得准考证号后才能报考。")
        if filing.status == filing.Status.REJECTED:
            return gettext("您的基本信息审核未通过，请修改后重新提交，审核通过后才能报考。")
        return gettext("您的基本信息正在等待考区审核，审核通过并取得准考证号后才能报考。")
    if exam_number.status != ExamNumber.Status.ACTIVE or exam_number.candidate_id != candidate.pk:
        return gettext("该准考证号已停用，请选择其他准考证号。")
    return None


def candidate_is_new_to_major(*, exam_number: ExamNumber, major: Major, sitting: ExamSitting) -> bool:
    """New to a major: the 准考证号 was not issued for it and no earlier sitting's 报考 chose it."""
    if exam_number.major_name and exam_number.major_name == major.name:
        return False
    return not Registration.objects.filter(
        exam_number__candidate_id=exam_number.candidate_id, major=major, sitting__code__lt=sitting.code,
    ).exclude(status=Status.CANCELLED).exists()


# --- Checking a submission ------------------------------------------------------------------------


def _session_label(sitting_course: SittingCourse) -> str:
    session = sitting_course.session
    return f"{cn_date(session.date)} {session.get_half_day_display()} " \
           f"{session.start_time:%H:%M}–{session.end_time:%H:%M}"


def _course_label(sitting_course: SittingCourse) -> str:
    return f"{sitting_course.course.code}《{sitting_course.course.name}》"


def _check_major(*, exam_number: ExamNumber, major: Major, sitting: ExamSitting) -> None:
    if major.status == Major.Status.CLOSED:
        raise RegistrationError(gettext("%(major)s专业已停考，不能报考。") % {"major": major.name}, field="major")
    if major.status == Major.Status.TRANSITION and candidate_is_new_to_major(exam_number=exam_number, major=major,
                                                                            sitting=sitting):
        raise RegistrationError(gettext("%(major)s专业处于停考过渡期，不接收新生报考。")
                                % {"major": major.name}, field="major")


def _chosen_courses(*, sitting: ExamSitting, sitting_course_ids: list) -> list[SittingCourse]:
    try:
        ids = [int(pk) for pk in sitting_course_ids]
    except (TypeError, ValueError):
        raise RegistrationError(gettext("所选课程无效，请重新选择。"), field="courses") from None
    if not ids:
        raise RegistrationError(gettext("请至少选择一门报考课程。"), field="courses")
    chosen = {sc.pk: sc for sc in SittingCourse.objects.filter(sitting=sitting, pk__in=ids)
              .select_related("course", "session")}
    if len(chosen) != len(set(ids)):
        raise RegistrationError(gettext("所选课程不在本次考期的开考课程中，请刷新页面后重新选择。"), field="courses")
    if len(ids) != len(set(ids)):
        twice = [_course_label(chosen[pk]) for pk in sorted(set(ids)) if ids.count(pk) > 1]
        raise RegistrationError(gettext("不能重复报考同一门课程：%(courses)s") % {"courses": "、".join(twice)},
                                field="courses")
    return [chosen[pk] for pk in ids]


def _check_courses(*, exam_number: ExamNumber, sitting: ExamSitting, chosen: list[SittingCourse]) -> None:
    by_session = defaultdict(list)
    for sitting_course in chosen:
        by_session[sitting_course.session_id].append(sitting_course)
    for same_time in by_session.values():
        if len(same_time) > 1:
            raise RegistrationError(
                gettext("%(courses)s的考试时间相同（%(when)s），只能选择其中一门。") % {
                    "courses": "与".join(_course_label(sc) for sc in same_time), "when": _session_label(same_time[0])},
                field="courses")
    passed = passed_course_ids(candidate=exam_number.candidate)
    already = [_course_label(sc) for sc in chosen if sc.course_id in passed]
    if already:
        raise RegistrationError(gettext("以下课程已合格，不能重复报考：%(courses)s") % {"courses": "、".join(already)},
                                field="courses")
    elsewhere = {
        rc.course_id: rc.registration.exam_number.number
        for rc in RegisteredCourse.objects.filter(
            registration__sitting=sitting, registration__exam_number__candidate_id=exam_number.candidate_id,
            status__in=RegisteredCourse.ACTIVE,
        ).exclude(registration__exam_number=exam_number).select_related("registration__exam_number")
    }
    duplicated = [gettext("%(course)s（已用准考证号 %(number)s 报考）") % {"course": _course_label(sc),
                                                                     "number": elsewhere[sc.course_id]}
                  for sc in chosen if sc.course_id in elsewhere]
    if duplicated:
        raise RegistrationError(gettext("同一考期不能重复报考同一门课程：%(courses)s") % {"courses": "、".join(duplicated)},
                                field="courses")


# --- Status and history ---------------------------------------------------------------------------


def _status_from_courses(registration: Registration) -> str:
    statuses = set(registration.courses.values_list("status", flat=True))
    if CourseStatus.UNPAID in statuses:
        return Status.PENDING_PAYMENT
    if CourseStatus.PAID in statuses or CourseStatus.REFUNDING in statuses:
        return Status.SUCCEEDED
    return Status.CANCELLED


def _record(*, registration: Registration, action: str, actor=None, comment: str = "",
            from_status: str | None = None) -> RegistrationSubmission:
    """Recompute the status from the courses (state machine checked) and write the timeline row."""
    before = registration.status if from_status is None else from_status
    target = _status_from_courses(registration)
    if target != registration.status:
        try:
            REGISTRATION_FLOW.require(registration.status, target)
        except IllegalTransition as exc:
            raise RegistrationError(str(exc)) from None
        registration.status = target
        registration.save(update_fields=["status", "updated_at"])
    codes = list(registration.courses.filter(status__in=RegisteredCourse.ACTIVE)
                 .order_by("course__code").values_list("course__code", flat=True))
    return RegistrationSubmission.objects.create(
        registration=registration, action=action, from_status=before, to_status=registration.status,
        exam_area_name=registration.exam_area.name, major_label=f"{registration.major.code} {registration.major.name}",
        course_codes=codes, comment=comment[:200], actor=actor if getattr(actor, "pk", None) else None)


# --- Billing --------------------------------------------------------------------------------------


def _pending_order(registration: Registration) -> Order | None:
    return Order.objects.filter(user_id=registration.exam_number.candidate.user_id, purpose=PURPOSE,
                                reference=registration.order_reference, status=Order.Status.PENDING).first()


def _sync_pending_order(registration: Registration | None) -> None:
    """Before changing a registration, learn whether its unpaid order was paid meanwhile (the gateway
    is asked outside any lock; a payment found makes its courses 已缴费 through the paid callback)."""
    if registration is None:
        return
    order = _pending_order(registration)
    if order is not None and order.attempts.exists():
        try:
            payments.order_sync(order=order)
        except payments.PaymentError:
            logger.warning("order %s could not be synced before a 报考 change", order.number)


def _bill_unpaid(*, registration: Registration, actor) -> Order | None:
    """One order for every unpaid course (replacing the unpaid order), or none if nothing is unpaid."""
    unpaid = list(registration.courses.filter(status=CourseStatus.UNPAID).select_related("course"))
    if not unpaid:
        pending = _pending_order(registration)
        if pending is not None:
            try:
                payments.order_cancel(order=pending, actor=actor, comment=COMMENT_ORDER_REPLACED)
            except payments.OrderAlreadyPaid:
                raise RegistrationError(gettext("您的报考订单已缴费成功，请刷新页面查看最新状态后再修改。")) from None
        return None
    items = [payments.ItemSpec(description=gettext("%(code)s %(name)s 报考费") % {
        "code": rc.course.code, "name": rc.course.name}, amount=rc.fee, reference=str(rc.pk)) for rc in unpaid]
    try:
        order = payments.order_create(user=registration.exam_number.candidate.user, purpose=PURPOSE,
                                      reference=registration.order_reference, items=items, actor=actor,
                                      title=gettext("%(sitting)s报考费") % {"sitting": registration.sitting.name})
    except payments.OrderAlreadyPaid:
        raise RegistrationError(gettext("您的报考订单已缴费成功，请刷新页面查看最新状态后再修改。")) from None
    RegisteredCourse.objects.filter(pk__in=[rc.pk for rc in unpaid]).update(order=order, updated_at=timezone.now())
    return order


def _refund_removed_paid(*, removed: list[RegisteredCourse], actor, request=None) -> None:
    """Refund paid courses taken out of a registration inside its window: approved at once."""
    by_order = defaultdict(list)
    for rc in removed:
        by_order[rc.order_item.order_id].append(rc)
    for courses in by_order.values():
        order = courses[0].order_item.order
        refund = payments.refund_request(order=order, items=[rc.order_item for rc in courses], actor=actor,
                                         reason=gettext(COMMENT_REMOVED_PAID), request=request)
        payments.refund_approve(refund=refund, actor=None, request=request)
        RegisteredCourse.objects.filter(pk__in=[rc.pk for rc in courses]).update(
            status=CourseStatus.REFUNDING, refund=refund, updated_at=timezone.now())


# --- Use cases ------------------------------------------------------------------------------------


def registration_check(*, exam_number: ExamNumber, sitting: ExamSitting, exam_area: Office | None,
                       major: Major | None, sitting_course_ids: list, guide_agreed: bool,
                       now=None) -> list[SittingCourse]:
    """Every rule a submission must pass, without changing anything (the preview runs it too).
    Returns the chosen courses in the order given; raises RegistrationError with the reason."""
    candidate = exam_number.candidate
    problem = registration_prerequisite_error(candidate=candidate, exam_number=exam_number)
    if problem:
        raise RegistrationError(problem)
    if not guide_agreed:
        raise RegistrationError(gettext("请先阅读报考简章，并勾选“我已阅读并知晓报考简章相关内容及注意事项”。"),
                                field="agree")
    if not sitting.is_current:
        raise RegistrationError(gettext("%(sitting)s考期不在报考中。") % {"sitting": sitting.name})
    if exam_area is None or not sitting_holds_exam_area(sitting=sitting, exam_area=exam_area):
        raise RegistrationError(gettext("请选择本次考期开考的报考考区。"), field="exam_area")
    business_window(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting, exam_area=exam_area,
                    now=now).require_open(RegistrationError)
    existing = Registration.objects.filter(exam_number=exam_number, sitting=sitting).select_related("exam_area").first()
    if existing is not None and existing.exam_area_id != exam_area.pk:
        # Leaving an area whose window has closed would change that area's arrangement: refused too.
        business_window(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting, exam_area=existing.exam_area,
                        now=now).require_open(RegistrationError)
    if major is None:
        raise RegistrationError(gettext("请选择报考专业。"), field="major")
    _check_major(exam_number=exam_number, major=major, sitting=sitting)
    chosen = _chosen_courses(sitting=sitting, sitting_course_ids=sitting_course_ids)
    _check_courses(exam_number=exam_number, sitting=sitting, chosen=chosen)
    if existing is not None:
        in_refund = set(existing.courses.filter(status=CourseStatus.REFUNDING).values_list("course_id", flat=True))
        refunding = [_course_label(sc) for sc in chosen if sc.course_id in in_refund]
        if refunding:
            raise RegistrationError(gettext("以下课程正在退款，不能再次选择：%(courses)s") % {
                "courses": "、".join(refunding)}, field="courses")
    return chosen


def registration_submit(*, exam_number: ExamNumber, sitting: ExamSitting, exam_area: Office, major: Major,
                        sitting_course_ids: list, guide_agreed: bool, actor, request=None, now=None) -> Registration:
    """提交报考 (first time or a change): see the module docstring for the rules."""
    candidate = exam_number.candidate
    chosen = registration_check(exam_number=exam_number, sitting=sitting, exam_area=exam_area, major=major,
                                sitting_course_ids=sitting_course_ids, guide_agreed=guide_agreed, now=now)
    _sync_pending_order(Registration.objects.filter(exam_number=exam_number, sitting=sitting).first())

    now = now or timezone.now()
    plan_course_ids = set(major.plan_courses.values_list("course_id", flat=True))
    with transaction.atomic():
        # One person's 报考 changes one at a time (the account row is the lock, as for orders):
        # fifty identical submits in parallel leave one registration and one order.
        get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=candidate.user_id)
        registration = Registration.objects.select_for_update().filter(exam_number=exam_number,
                                                                       sitting=sitting).first()
        first = registration is None
        if not first:
            _apply_paid_orders(registration)
        if first:
            registration = Registration.objects.create(
                exam_number=exam_number, sitting=sitting, exam_area=exam_area, major=major,
                status=Status.PENDING_PAYMENT, guide_agreed_at=now, submitted_at=now)
        before = Status.CANCELLED if first else registration.status
        registration.exam_area, registration.major = exam_area, major
        registration.guide_agreed_at, registration.submitted_at = now, now
        registration.submission_count += 1
        registration.save()

        active = {rc.course_id: rc for rc in registration.courses.filter(status__in=RegisteredCourse.ACTIVE)
                  .select_related("order_item__order", "course")}
        wanted = {sc.course_id: sc for sc in chosen}
        refunding = [_course_label(sc) for course_id, sc in wanted.items()
                     if course_id in active and active[course_id].status == CourseStatus.REFUNDING]
        if refunding:
            raise RegistrationError(gettext("以下课程正在退款，不能再次选择：%(courses)s") % {"courses": "、".join(refunding)},
                                    field="courses")
        removed_paid = []
        for course_id, rc in active.items():
            if course_id in wanted:
                continue
            if rc.status == CourseStatus.UNPAID:
                rc.status = CourseStatus.REMOVED
                rc.save(update_fields=["status", "updated_at"])
            elif rc.status == CourseStatus.PAID:
                removed_paid.append(rc)
        for course_id, sc in wanted.items():
            if course_id not in active:
                RegisteredCourse.objects.create(registration=registration, sitting_course=sc, course_id=course_id,
                                                fee=sc.fee, cross_major=course_id not in plan_course_ids)
        # The major may have changed: 跨专业 is relative to the major of the last submission.
        for rc in registration.courses.filter(status__in=RegisteredCourse.ACTIVE):
            cross = rc.course_id not in plan_course_ids
            if rc.cross_major != cross:
                rc.cross_major = cross
                rc.save(update_fields=["cross_major", "updated_at"])

        if removed_paid:
            _refund_removed_paid(removed=removed_paid, actor=actor, request=request)
        _bill_unpaid(registration=registration, actor=actor)
        _record(registration=registration, action=Action.SUBMITTED if first else Action.CHANGED, actor=actor,
                from_status=before)
    return registration


def registration_cancel(*, registration: Registration, actor, now=None) -> Registration:
    """取消报考 before paying: the unpaid courses are dropped and the unpaid order is cancelled. Paid
    courses stay (take them out by 修改报考, which refunds them inside the window)."""
    business_window(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=registration.sitting,
                    exam_area=registration.exam_area, now=now).require_open(RegistrationError)
    _sync_pending_order(registration)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("exam_area", "major", "sitting",
                                                                                 "exam_number__candidate").get(
            pk=registration.pk)
        _apply_paid_orders(registration)
        unpaid = registration.courses.filter(status=CourseStatus.UNPAID)
        if not unpaid.exists():
            raise RegistrationError(gettext("没有待缴费的课程，无需取消。已缴费的课程如需退选，请修改报考。"))
        unpaid.update(status=CourseStatus.REMOVED, updated_at=timezone.now())
        _bill_unpaid(registration=registration, actor=actor)
        _record(registration=registration, action=Action.CANCELLED, actor=actor)
    return registration


def registration_refund_request(*, registration: Registration, registered_course_ids: list, reason: str, actor,
                                request=None, now=None) -> list[Refund]:
    """报考退款申请 (seed 003): inside the 退款 window, for paid courses; staff review it in 订单与退款."""
    business_window(kind=BusinessWindow.Kind.REFUND, sitting=registration.sitting, exam_area=registration.exam_area,
                    now=now).require_open(RegistrationError)
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(gettext("请填写退款原因。"), field="reason")
    try:
        ids = {int(pk) for pk in registered_course_ids}
    except (TypeError, ValueError):
        ids = set()
    if not ids:
        raise RegistrationError(gettext("请选择要退款的课程。"), field="courses")
    refunds = []
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("exam_area", "major").get(
            pk=registration.pk)
        courses = list(registration.courses.filter(pk__in=ids).select_related("order_item__order", "course"))
        not_paid = [f"{rc.course.code}《{rc.course.name}》" for rc in courses if rc.status != CourseStatus.PAID]
        if len(courses) != len(ids) or not_paid:
            raise RegistrationError(gettext("只能为已缴费的课程申请退款：%(courses)s") % {"courses": "、".join(not_paid)}
                                    if not_paid else gettext("所选课程无效，请刷新页面后重新选择。"), field="courses")
        by_order = defaultdict(list)
        for rc in courses:
            by_order[rc.order_item.order_id].append(rc)
        for group in by_order.values():
            try:
                refund = payments.refund_request(order=group[0].order_item.order, items=[rc.order_item for rc in group],
                                                 reason=reason, actor=actor, request=request)
            except payments.PaymentError as exc:
                raise RegistrationError(exc.message, field="courses") from None
            RegisteredCourse.objects.filter(pk__in=[rc.pk for rc in group]).update(
                status=CourseStatus.REFUNDING, refund=refund, updated_at=timezone.now())
            refunds.append(refund)
        _record(registration=registration, action=Action.REFUND_REQUESTED, actor=actor, comment=reason)
    return refunds


# --- What payments tell us ------------------------------------------------------------------------


def _registration_of_order(order: Order) -> Registration | None:
    if not order.reference.startswith("R") or not order.reference[1:].isdigit():
        return None
    return Registration.objects.filter(pk=int(order.reference[1:])).first()


COMMENT_PAID_TWICE = gettext_noop("课程已退选或已在其他订单缴费，重复缴纳的报考费自动退款")


def _apply_paid_order(*, registration: Registration, order: Order) -> bool:
    """Make the courses billed in a paid `order` 已缴费 (registration locked by the caller). Matched by
    the order items' references, whatever order a course was billed in since: a change submitted while
    the gateway was telling us about the payment must not lose it. A fee paid for a course that is no
    longer unpaid (taken out, or paid in another order meanwhile) is refunded automatically."""
    items = {item.reference: item for item in order.items.all()}
    courses = {str(rc.pk): rc for rc in registration.courses.filter(pk__in=[int(r) for r in items if r.isdigit()])}
    applied, surplus = 0, []
    for reference, item in items.items():
        rc = courses.get(reference)
        if rc is not None and rc.order_item_id == item.pk:
            continue  # applied before
        if rc is not None and rc.status == CourseStatus.UNPAID:
            rc.status, rc.order, rc.order_item = CourseStatus.PAID, order, item
            rc.save(update_fields=["status", "order", "order_item", "updated_at"])
            applied += 1
        elif not item.refunds.exists():
            surplus.append(item)
    if surplus:
        refund = payments.refund_request(order=order, items=surplus, actor=None, reason=gettext(COMMENT_PAID_TWICE))
        payments.refund_approve(refund=refund, actor=None)
    if applied:
        _record(registration=registration, action=Action.PAID,
                comment=gettext_noop("订单 %(number)s") % {"number": order.number})
    return bool(applied)


def _apply_paid_orders(registration: Registration) -> None:
    """Apply every paid order of the registration not applied yet (its callback may still be queued
    behind the lock we hold)."""
    for order in Order.objects.filter(purpose=PURPOSE, reference=registration.order_reference,
                                      status=Order.Status.PAID):
        if registration.courses.filter(order_item__order=order).count() < order.items.count():
            _apply_paid_order(registration=registration, order=order)


def order_paid_apply(order: Order) -> None:
    """on_order_paid: the courses billed in this order become 已缴费 (and an unpaid order that still
    bills them is replaced by one for the courses left unpaid)."""
    registration = _registration_of_order(order)
    if registration is None:
        logger.warning("paid order %s names no registration", order.number)
        return
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related(
            "exam_area", "major", "sitting", "exam_number__candidate").get(pk=registration.pk)
        if not _apply_paid_order(registration=registration, order=order):
            return
        pending = _pending_order(registration)
        if pending is not None:
            unpaid = {str(pk) for pk in registration.courses.filter(status=CourseStatus.UNPAID).values_list(
                "pk", flat=True)}
            if set(pending.items.values_list("reference", flat=True)) != unpaid:
                try:
                    _bill_unpaid(registration=registration, actor=None)
                except RegistrationError:
                    logger.info("order %s was paid too; its callback settles it", pending.number)


def refund_settled_apply(refund: Refund) -> None:
    """on_refund_settled: 已退款 → the courses are 已退款; 已驳回 → they are 已缴费 again."""
    courses = RegisteredCourse.objects.filter(refund=refund)
    registration_ids = set(courses.values_list("registration_id", flat=True))
    for registration_id in registration_ids:
        with transaction.atomic():
            registration = Registration.objects.select_for_update().select_related("exam_area", "major").get(
                pk=registration_id)
            mine = registration.courses.filter(refund=refund, status=CourseStatus.REFUNDING)
            if refund.status == Refund.Status.REFUNDED:
                mine.update(status=CourseStatus.REFUNDED, updated_at=timezone.now())
                action, comment = Action.REFUNDED, refund.number
            elif refund.status == Refund.Status.REJECTED:
                mine.update(status=CourseStatus.PAID, refund=None, updated_at=timezone.now())
                action, comment = Action.REFUND_REJECTED, refund.review_comment
            else:
                continue  # 退款失败: still 退款中 until staff retry
            _record(registration=registration, action=action, comment=comment)
