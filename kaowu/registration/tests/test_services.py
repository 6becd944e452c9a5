"""报考 rules, as a candidate meets them: what is refused and why, what each change does to the
orders, and what paying and refunds do to the courses."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kaowu.catalog.models import Major
from kaowu.filing.models import Filing
from kaowu.identity.models import Verification
from kaowu.payments.models import Order, Refund
from kaowu.payments.services import refund_approve, refund_reject
from kaowu.records.models import PassedCourse
from kaowu.registration.models import RegisteredCourse, Registration, RegistrationSubmission
from kaowu.registration.services import (
    RegistrationError,
    registration_cancel,
    registration_refund_request,
    registration_submit,
)
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory

from .conftest import pending_order

CourseStatus = RegisteredCourse.Status


def submit(exam_number, world, *codes, area=None, major=None, agreed=True, now=None):
    return registration_submit(exam_number=exam_number, sitting=world.sitting, exam_area=area or world.lanzhou,
                               major=major or world.accounting, sitting_course_ids=world.ids(*codes),
                               guide_agreed=agreed, actor=exam_number.candidate.user, now=now)


def active_codes(registration) -> list[str]:
    return sorted(registration.courses.filter(status__in=RegisteredCourse.ACTIVE)
                  .values_list("course__code", flat=True))


# --- A first submission ---------------------------------------------------------------------------


def test_a_submission_makes_one_order_with_one_fee_per_course(world, exam_number):
    registration = submit(exam_number, world, "00043", "00015")
    assert registration.status == Registration.Status.PENDING_PAYMENT
    order = pending_order(registration)
    assert order.amount == Decimal("65.00") and order.title == "2027年4月报考费"
    assert sorted(order.items.values_list("description", "amount")) == [
        ("00015 英语（二） 报考费", Decimal("35.00")), ("00043 经济法概论（财经类） 报考费", Decimal("30.00"))]
    # 00015 is not in 会计's plan: chosen through "显示全部开考课程"
    assert dict(registration.courses.values_list("course__code", "cross_major")) == {"00043": False, "00015": True}
    assert registration.submissions.get().action == RegistrationSubmission.Action.SUBMITTED


def test_submitting_the_same_again_keeps_the_same_order(world, exam_number):
    first = pending_order(submit(exam_number, world, "00041"))
    again = pending_order(submit(exam_number, world, "00041"))
    assert first.pk == again.pk and Order.objects.count() == 1


def test_the_guide_must_be_agreed_to(world, exam_number):
    with pytest.raises(RegistrationError, match="报考简章"):
        submit(exam_number, world, "00041", agreed=False)
    assert not Registration.objects.exists()


# --- Refusals -------------------------------------------------------------------------------------


def test_two_courses_at_the_same_time_are_refused(world, exam_number):
    with pytest.raises(RegistrationError, match=r"00041《基础会计学》与00015《英语（二）》的考试时间相同（2027年04月10日 上午"):
        submit(exam_number, world, "00041", "00015", "00043", "03708", "00227")
    assert not Registration.objects.exists() and not Order.objects.exists()


def test_a_course_already_passed_is_refused(world, exam_number):
    PassedCourse.objects.create(candidate=exam_number.candidate, course=world.courses["00041"].course, score=72,
                                passed_on=datetime.date(2026, 4, 20))
    with pytest.raises(RegistrationError, match="已合格，不能重复报考：00041《基础会计学》"):
        submit(exam_number, world, "00041", "00043")


def test_the_same_course_twice_is_refused(world, exam_number):
    with pytest.raises(RegistrationError, match="不能重复报考同一门课程"):
        registration_submit(exam_number=exam_number, sitting=world.sitting, exam_area=world.lanzhou,
                            major=world.accounting, sitting_course_ids=world.ids("00041", "00041"), guide_agreed=True,
                            actor=exam_number.candidate.user)


def test_the_same_course_under_another_exam_number_of_the_same_person_is_refused(world, exam_number):
    other = ExamNumberFactory(candidate=exam_number.candidate, exam_area=world.lanzhou)
    submit(other, world, "00043")
    with pytest.raises(RegistrationError, match=f"已用准考证号 {other.number} 报考"):
        submit(exam_number, world, "00041", "00043")


def test_a_course_not_offered_in_the_sitting_is_refused(world, exam_number):
    with pytest.raises(RegistrationError, match="不在本次考期的开考课程中"):
        registration_submit(exam_number=exam_number, sitting=world.sitting, exam_area=world.lanzhou,
                            major=world.accounting, sitting_course_ids=[999999], guide_agreed=True,
                            actor=exam_number.candidate.user)


def test_no_course_is_refused(world, exam_number):
    with pytest.raises(RegistrationError, match="请至少选择一门报考课程"):
        submit(exam_number, world)


def test_a_major_in_transition_takes_no_new_candidates(world, exam_number):
    with pytest.raises(RegistrationError, match="法学专业处于停考过渡期，不接收新生报考"):
        submit(exam_number, world, "00227", major=world.law)


def test_a_major_in_transition_keeps_its_own_candidates(world):
    number = ExamNumberFactory(exam_area=world.lanzhou, major_name="法学")
    Verification.objects.create(user=number.candidate.user, kind="two_photos", status="passed")
    registration = submit(number, world, "00227", major=world.law)
    assert registration.status == Registration.Status.PENDING_PAYMENT


def test_a_closed_major_is_refused(world, exam_number):
    assert world.closed.status == Major.Status.CLOSED
    with pytest.raises(RegistrationError, match="汉语言文学专业已停考"):
        submit(exam_number, world, "00015", major=world.closed)


def test_an_exam_area_not_holding_the_sitting_is_refused(world, exam_number):
    from kaowu.catalog.tests.factories import ExamAreaFactory

    with pytest.raises(RegistrationError, match="请选择本次考期开考的报考考区"):
        submit(exam_number, world, "00041", area=ExamAreaFactory())


def test_without_identity_verification_there_is_no_registration(world):
    number = ExamNumberFactory(exam_area=world.lanzhou)
    with pytest.raises(RegistrationError, match="请先完成身份认证"):
        submit(number, world, "00041")


def test_the_filing_must_be_approved_first(world):
    from kaowu.registration.services import registration_prerequisite_error

    candidate = CandidateFactory()
    Verification.objects.create(user=candidate.user, kind="three_photos", status="passed")
    assert "请先完成基本信息填报" in registration_prerequisite_error(candidate=candidate, exam_number=None)
    Filing.objects.create(candidate=candidate, exam_area=world.lanzhou, gender="女", nation="汉族",
                          political_status="群众", education="普通高中", occupation="学生", household_type="城镇",
                          address="兰州", postcode="730030", notice_agreed_at=timezone.now(),
                          submitted_at=timezone.now())
    assert "正在等待考区审核" in registration_prerequisite_error(candidate=candidate, exam_number=None)


# --- The window -----------------------------------------------------------------------------------


def test_outside_the_window_nothing_is_accepted(world, exam_number):
    world.window.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    world.window.starts_at = world.window.ends_at - datetime.timedelta(days=10)
    world.window.save()
    with pytest.raises(RegistrationError, match="报考时间为.*当前不在办理时间内"):
        submit(exam_number, world, "00041")
    assert not Registration.objects.exists()


def test_an_exam_area_window_replaces_the_province_window(world, exam_number):
    from kaowu.catalog.models import BusinessWindow

    past = timezone.now() - datetime.timedelta(days=2)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=world.sitting,
                                  exam_area=world.tianshui, starts_at=past - datetime.timedelta(days=5), ends_at=past)
    assert submit(exam_number, world, "00041").exam_area == world.lanzhou
    with pytest.raises(RegistrationError, match="当前不在办理时间内"):
        submit(exam_number, world, "00041", area=world.tianshui)


def test_leaving_an_exam_area_whose_window_closed_is_refused(world, exam_number):
    from kaowu.catalog.models import BusinessWindow

    registration = submit(exam_number, world, "00041")
    past = timezone.now() - datetime.timedelta(minutes=5)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=world.sitting,
                                  exam_area=world.lanzhou, starts_at=past - datetime.timedelta(days=5), ends_at=past)
    with pytest.raises(RegistrationError, match="当前不在办理时间内"):
        submit(exam_number, world, "00041", area=world.tianshui)
    registration.refresh_from_db()
    assert registration.exam_area == world.lanzhou


# --- Changing, paying, refunds --------------------------------------------------------------------


def test_a_change_before_paying_replaces_the_unpaid_order(world, exam_number):
    first = pending_order(submit(exam_number, world, "00041"))
    registration = submit(exam_number, world, "00043", "03708", area=world.tianshui)
    first.refresh_from_db()
    assert first.status == Order.Status.CANCELLED
    assert first.history.last().comment == "已被新订单替代"
    second = pending_order(registration)
    assert second.amount == Decimal("60.00")
    assert active_codes(registration) == ["00043", "03708"]
    assert registration.exam_area == world.tianshui and registration.submission_count == 2


def test_paying_makes_the_registration_succeed(world, exam_number, pay):
    registration = submit(exam_number, world, "00041", "00043")
    order = pay(pending_order(registration))
    assert order.status == Order.Status.PAID
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUCCEEDED
    assert set(registration.courses.values_list("status", flat=True)) == {CourseStatus.PAID}
    assert list(registration.submissions.values_list("action", flat=True)) == ["submitted", "paid"]


def test_after_paying_an_added_course_gets_its_own_order(world, exam_number, pay):
    registration = submit(exam_number, world, "00041")
    paid = pay(pending_order(registration))
    registration = submit(exam_number, world, "00041", "00043")
    assert registration.status == Registration.Status.PENDING_PAYMENT
    new = pending_order(registration)
    assert new.pk != paid.pk and new.amount == Decimal("30.00")
    assert list(new.items.values_list("description", flat=True)) == ["00043 经济法概论（财经类） 报考费"]
    paid.refresh_from_db()
    assert paid.status == Order.Status.PAID


def test_a_paid_course_removed_inside_the_window_is_refunded(world, exam_number, pay, committed):
    registration = submit(exam_number, world, "00041", "00043")
    paid = pay(pending_order(registration))
    with committed():
        registration = submit(exam_number, world, "00041")
    refund = Refund.objects.get(order=paid)
    assert refund.status == Refund.Status.REFUNDED and refund.amount == Decimal("30.00")
    paid.refresh_from_db()
    assert paid.status == Order.Status.PARTIALLY_REFUNDED
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUCCEEDED
    assert dict(registration.courses.values_list("course__code", "status")) == {
        "00041": CourseStatus.PAID, "00043": CourseStatus.REFUNDED}
    assert pending_order(registration) is None
    # Registering the refunded course again bills it again.
    registration = submit(exam_number, world, "00041", "00043")
    assert pending_order(registration).amount == Decimal("30.00")


def test_cancel_before_paying(world, exam_number):
    registration = submit(exam_number, world, "00041")
    order = pending_order(registration)
    registration = registration_cancel(registration=registration, actor=exam_number.candidate.user)
    assert registration.status == Registration.Status.CANCELLED
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    with pytest.raises(RegistrationError, match="没有待缴费的课程"):
        registration_cancel(registration=registration, actor=exam_number.candidate.user)
    # and register again
    assert submit(exam_number, world, "00043").status == Registration.Status.PENDING_PAYMENT


@pytest.fixture
def refund_window(world):
    from kaowu.catalog.models import BusinessWindow

    return BusinessWindow.objects.create(kind=BusinessWindow.Kind.REFUND, sitting=world.sitting,
                                         starts_at=timezone.now() - datetime.timedelta(hours=1),
                                         ends_at=timezone.now() + datetime.timedelta(days=3))


def test_refund_request_is_reviewed_by_staff(world, exam_number, pay, committed, refund_window, area_staff):
    registration = submit(exam_number, world, "00041", "00043")
    pay(pending_order(registration))
    course = registration.courses.get(course__code="00043")
    (refund,) = registration_refund_request(registration=registration, registered_course_ids=[course.pk],
                                            reason="工作调动，无法参加考试", actor=exam_number.candidate.user)
    assert refund.status == Refund.Status.PENDING_REVIEW and refund.amount == Decimal("30.00")
    course.refresh_from_db()
    assert course.status == CourseStatus.REFUNDING
    with committed():
        refund_approve(refund=refund, actor=area_staff.user)
    course.refresh_from_db()
    assert course.status == CourseStatus.REFUNDED
    assert registration.submissions.last().action == RegistrationSubmission.Action.REFUNDED


def test_a_rejected_refund_leaves_the_course_paid(world, exam_number, pay, committed, refund_window, area_staff):
    registration = submit(exam_number, world, "00041")
    pay(pending_order(registration))
    course = registration.courses.get()
    (refund,) = registration_refund_request(registration=registration, registered_course_ids=[course.pk],
                                            reason="个人原因", actor=exam_number.candidate.user)
    with committed():
        refund_reject(refund=refund, actor=area_staff.user, reason="已过退款期限")
    course.refresh_from_db()
    registration.refresh_from_db()
    assert course.status == CourseStatus.PAID and registration.status == Registration.Status.SUCCEEDED
    assert registration.submissions.last().comment == "已过退款期限"


def test_refund_requests_only_inside_the_refund_window(world, exam_number, pay):
    registration = submit(exam_number, world, "00041")
    pay(pending_order(registration))
    with pytest.raises(RegistrationError, match="报考退款申请时间尚未公布"):
        registration_refund_request(registration=registration, registered_course_ids=[registration.courses.get().pk],
                                    reason="个人原因", actor=exam_number.candidate.user)


def test_refund_only_for_paid_courses(world, exam_number, refund_window):
    registration = submit(exam_number, world, "00041")
    with pytest.raises(RegistrationError, match="只能为已缴费的课程申请退款"):
        registration_refund_request(registration=registration, registered_course_ids=[registration.courses.get().pk],
                                    reason="个人原因", actor=exam_number.candidate.user)


def test_an_unpublished_pass_does_not_refuse_the_course(world, exam_number):
    """报考 must not reveal a score before its publication time."""
    from kaowu.catalog.tests.factories import ExamSittingFactory

    last = ExamSittingFactory(code="2026-10", name="2026年10月",
                              score_publication_at=timezone.now() + datetime.timedelta(days=3))
    PassedCourse.objects.create(candidate=exam_number.candidate, course=world.courses["00041"].course, score=75,
                                sitting=last, passed_on=datetime.date(2026, 10, 25))
    assert submit(exam_number, world, "00041").status == Registration.Status.PENDING_PAYMENT
