"""实践性环节报名 by the candidate: the rules of 保存 (window, own plan, 实践 only, not passed, not
registered twice, one open registration per sitting), the itemised order, 删除 before paying, paying
registers him at the 主考学校, and every illegal transition refused."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from kaowu.notifications.models import InboxMessage
from kaowu.payments.models import Order
from kaowu.practicals import services
from kaowu.practicals.types import ALL_STATUSES, CODE, COMPLETED, FLOW, PENDING_PAYMENT, REGISTERED
from kaowu.records.models import PassedCourse
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application, ApplicationTransition
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

from .conftest import order_of


def register(world, codes=("04748",), **kwargs):
    candidate = kwargs.pop("candidate", world["candidate"])
    return services.practical_register(actor=candidate.user, candidate=candidate,
                                       exam_number=kwargs.pop("exam_number", world["exam_number"]),
                                       course_codes=list(codes), **kwargs)


# --- 保存 -----------------------------------------------------------------------------------------

def test_saving_makes_it_unpaid_with_one_order_line_per_course(world, settings):
    settings.KAOWU_PRACTICAL_FEE = "60.00"
    application = register(world, ["04748", "04737"])
    assert application.type_code == CODE and application.status == PENDING_PAYMENT
    assert application.sitting == world["sitting"]
    assert application.data["major"] == "080901" and application.data["university"] == "U10731"
    order = order_of(application)
    assert order.status == Order.Status.PENDING and order.amount == Decimal("120.00")
    assert sorted((i.description, i.amount, i.reference) for i in order.items.all()) == [
        ("04737 C++程序设计（实践） 实践性环节报名费", Decimal("60.00"), "04737"),
        ("04748 Java语言程序设计（一）（实践） 实践性环节报名费", Decimal("60.00"), "04748")]
    assert list(application.items.values_list("key", "decision")) == [("04737", "pending"), ("04748", "pending")]


def test_outside_the_window_nothing_is_saved(world):
    world["window"].starts_at = timezone.now() + datetime.timedelta(days=1)
    world["window"].ends_at = timezone.now() + datetime.timedelta(days=5)
    world["window"].save()
    with pytest.raises(WorkflowError, match="不在|未开始|尚未"):
        register(world)
    assert not Application.objects.filter(type_code=CODE).exists()
    assert not Order.objects.exists()


def test_after_the_window_closed_nothing_is_saved(world):
    world["window"].starts_at = timezone.now() - datetime.timedelta(days=5)
    world["window"].ends_at = timezone.now() - datetime.timedelta(minutes=1)
    world["window"].save()
    with pytest.raises(WorkflowError):
        register(world)
    assert not Application.objects.filter(type_code=CODE).exists()


def test_a_theory_course_of_the_plan_is_refused(world):
    with pytest.raises(WorkflowError, match="02324 不是实践课程"):
        register(world, ["04748", "02324"])
    assert not Application.objects.filter(type_code=CODE).exists()


def test_a_practical_course_of_another_major_is_refused(world):
    with pytest.raises(WorkflowError, match="00052 不在您的专业计划中"):
        register(world, ["00052"])


def test_an_unknown_course_is_refused(world):
    with pytest.raises(WorkflowError, match="99999 不存在"):
        register(world, ["99999"])


def test_nothing_chosen_is_refused(world):
    with pytest.raises(WorkflowError, match="请至少选择一门实践课程"):
        register(world, [])


@pytest.mark.parametrize("source", [PassedCourse.Source.PRACTICE, PassedCourse.Source.EXEMPTION,
                                    PassedCourse.Source.TRANSFER_IN])
def test_a_course_already_on_the_record_is_refused(world, source):
    PassedCourse.objects.create(candidate=world["candidate"], course=world["courses"]["04748"], source=source,
                                passed_on=datetime.date(2026, 11, 20))
    with pytest.raises(WorkflowError, match="04748 已合格"):
        register(world, ["04748", "04737"])
    assert not Application.objects.filter(type_code=CODE).exists()


def test_a_second_registration_in_the_same_sitting_is_refused(world):
    first = register(world, ["04748"])
    with pytest.raises(WorkflowError, match=f"已有一份实践性环节报名（{first.number}）"):
        register(world, ["04737"])
    assert Application.objects.filter(type_code=CODE).count() == 1


def test_a_second_registration_is_refused_once_the_first_is_paid_too(world, registered):
    registered(["04748"])
    with pytest.raises(WorkflowError, match="不能重复报名"):
        register(world, ["04737"])


def test_a_course_still_open_in_a_registration_of_an_earlier_sitting_is_refused(world, registered):
    earlier = registered(["04748"])
    world["sitting"].is_current = False
    world["sitting"].save()
    from kaowu.catalog.models import BusinessWindow, ExamSitting

    sitting = ExamSitting.objects.create(code="2027-10", name="2027年10月", is_current=True)
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.PRACTICE_REGISTRATION, sitting=sitting,
                                  starts_at=timezone.now() - datetime.timedelta(days=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=3))
    assert earlier.status == REGISTERED
    with pytest.raises(WorkflowError, match="04748 已在其他实践性环节报名中"):
        register(world, ["04748"])
    assert register(world, ["04737"]).sitting == sitting  # another course of the new sitting is fine


def test_without_an_active_exam_number_nothing_is_saved(world):
    number = world["exam_number"]
    target = ExamNumberFactory(candidate=world["candidate"], exam_area=world["offices"]["area"], major_name="法学")
    number.status, number.merged_into, number.merged_at = "merged", target, timezone.now()
    number.save()
    with pytest.raises(WorkflowError, match="在籍的准考证号"):
        register(world)


def test_another_candidates_exam_number_is_refused(world):
    other = ExamNumberFactory(candidate=CandidateFactory(), exam_area=world["offices"]["area"],
                              major_name="计算机科学与技术")
    with pytest.raises(WorkflowError, match="准考证号"):
        register(world, exam_number=other)


def test_only_the_candidate_himself_registers(world):
    with pytest.raises(WorkflowError, match="本人"):
        services.practical_register(actor=CandidateFactory().user, candidate=world["candidate"],
                                    exam_number=world["exam_number"], course_codes=["04748"])


def test_a_major_taken_by_registration_counts_as_his_plan(world):
    """His plans: the 准考证号's major and the majors of his 报考 (here: 会计学 through a 报考)."""
    from kaowu.practicals.selectors import candidate_majors
    from kaowu.registration.models import Registration

    Registration.objects.create(exam_number=world["exam_number"], sitting=world["sitting"],
                                exam_area=world["offices"]["area"], major=world["accounting"],
                                guide_agreed_at=timezone.now(), submitted_at=timezone.now())
    assert [m.code for m in candidate_majors(candidate=world["candidate"])] == ["080901", "120203K"]
    application = register(world, ["00052"])
    assert application.data["major"] == "120203K" and application.data["university"] == "U10730"


def test_courses_of_two_plans_in_one_registration_are_refused(world):
    from kaowu.registration.models import Registration

    Registration.objects.create(exam_number=world["exam_number"], sitting=world["sitting"],
                                exam_area=world["offices"]["area"], major=world["accounting"],
                                guide_agreed_at=timezone.now(), submitted_at=timezone.now())
    with pytest.raises(WorkflowError, match="不属于同一个专业计划"):
        register(world, ["00052", "04748"])


# --- 删除 and 缴费 ----------------------------------------------------------------------------------

def test_the_candidate_may_delete_an_unpaid_registration_and_its_order_is_cancelled(world):
    application = register(world)
    services.practical_delete(application=application, actor=world["candidate"].user)
    assert not Application.objects.filter(pk=application.pk).exists()
    assert Order.objects.get(reference=application.number).status == Order.Status.CANCELLED
    assert register(world, ["04737"]).status == PENDING_PAYMENT  # he may register again


def test_a_paid_registration_cannot_be_deleted(world, registered):
    application = registered()
    with pytest.raises(WorkflowError, match="不能删除"):
        services.practical_delete(application=application, actor=world["candidate"].user)
    application.refresh_from_db()
    assert application.status == REGISTERED
    assert order_of(application).status == Order.Status.PAID


def test_another_candidate_cannot_delete_it(world):
    application = register(world)
    with pytest.raises(WorkflowError):
        services.practical_delete(application=application, actor=CandidateFactory().user)
    assert Application.objects.filter(pk=application.pk).exists()


def test_paying_registers_him_in_the_list_of_the_majors_university(world, registered):
    application = registered()
    assert application.status == REGISTERED and application.current_step == 0
    assert application.reviewing_office == world["offices"]["lut"]
    assert application.submitted_at is not None and application.current_version.is_frozen
    assert application.status_display == "报名成功（主考学校登记成绩）"
    messages = list(InboxMessage.objects.filter(user=world["candidate"].user).values_list("title", flat=True))
    assert "您的实践性环节报名已缴费，报名成功" in messages


def test_a_payment_notification_told_twice_registers_once(world, registered):
    application = registered()
    services.practical_order_paid(order_of(application))
    assert ApplicationTransition.objects.filter(application=application, to_status=REGISTERED).count() == 1


def test_an_expired_order_is_replaced_only_inside_the_window(world):
    application = register(world)
    order = order_of(application)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    new = services.practical_order(application=application, actor=world["candidate"].user)
    assert new.pk != order.pk and new.status == Order.Status.PENDING and new.amount == order.amount
    Order.objects.filter(pk=new.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    world["window"].ends_at = timezone.now() - datetime.timedelta(minutes=1)
    world["window"].save()
    with pytest.raises(WorkflowError):
        services.practical_order(application=application, actor=world["candidate"].user)


def test_the_candidate_cannot_submit_it_without_paying(world):
    application = register(world)
    with pytest.raises(WorkflowError, match="缴费"):
        workflow.application_submit(application=application, actor=world["candidate"].user)
    application.refresh_from_db()
    assert application.status == PENDING_PAYMENT and application.reviewing_office is None


# --- the flow as written down -----------------------------------------------------------------------

def test_the_flow_is_the_documented_one():
    allowed = {(a, b) for a, b in itertools.product(ALL_STATUSES, ALL_STATUSES) if FLOW.allowed(a, b)}
    assert allowed == {(PENDING_PAYMENT, REGISTERED), (REGISTERED, COMPLETED)}


def _attempt(target, application, world):
    lut = world["staff"]["lut"]
    if target == REGISTERED:
        return workflow.application_transition(application=application, to=REGISTERED, step=0, action="缴费")
    if target == COMPLETED:
        return workflow.application_transition(application=application, to=COMPLETED, actor=lut.user,
                                               actor_office=lut.office, in_queue=True, action="登记成绩")
    if target == PENDING_PAYMENT:
        return workflow.application_transition(application=application, to=PENDING_PAYMENT, action="缴费")
    raise AssertionError(target)


ILLEGAL = [(a, b) for a, b in itertools.product(ALL_STATUSES, ALL_STATUSES) if not FLOW.allowed(a, b)]


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_an_illegal_transition_is_refused(current, target, world):
    application = register(world)
    office = world["offices"]["lut"] if current == REGISTERED else None
    Application.objects.filter(pk=application.pk).update(status=current, current_step=0 if office else None,
                                                          reviewing_office=office)
    application.refresh_from_db()
    before = ApplicationTransition.objects.filter(application=application).count()
    with pytest.raises(WorkflowError, match="不能"):
        _attempt(target, application, world)
    application.refresh_from_db()
    assert application.status == current
    assert ApplicationTransition.objects.filter(application=application).count() == before


@pytest.mark.parametrize("decision", ["approve", "reject", "return", "withdraw", "bulk"])
def test_the_generic_decisions_and_withdrawal_are_refused(world, registered, decision):
    application = registered()
    lut = world["staff"]["lut"]
    if decision == "bulk":
        [result] = workflow.applications_bulk_approve(staff=lut, ids=[application.pk])
        assert not result.ok
    else:
        with pytest.raises(WorkflowError):
            if decision == "approve":
                workflow.application_approve(application=application, staff=lut)
            elif decision == "reject":
                workflow.application_reject(application=application, staff=lut, reason="不符合")
            elif decision == "return":
                workflow.application_return(application=application, staff=lut, reason="请修改")
            else:
                workflow.application_withdraw(application=application, actor=world["candidate"].user)
    application.refresh_from_db()
    assert application.status == REGISTERED
    assert not PassedCourse.objects.exists()


def test_the_status_words_are_the_types_own(world, registered):
    application = registered()
    assert application.status_label == "报名成功"
    assert Status.REVIEWING == REGISTERED


def test_a_payment_whose_callback_failed_registers_him_when_he_opens_去缴费(world, registered):
    """The paid callback runs after the payment commits; if it failed then, 去缴费 moves it on."""
    application = registered()
    ApplicationTransition.objects.filter(application=application, to_status=REGISTERED).delete()
    Application.objects.filter(pk=application.pk).update(status=PENDING_PAYMENT, reviewing_office=None)
    application.refresh_from_db()
    services.practical_order(application=application, actor=world["candidate"].user)
    application.refresh_from_db()
    assert application.status == REGISTERED and application.reviewing_office == world["offices"]["lut"]
