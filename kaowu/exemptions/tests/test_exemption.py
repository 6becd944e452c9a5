"""免考申请 on the engine: window, own plan, courses already passed or exempted refused; the review by
the exam area then the province, course by course; every illegal transition; an approved course joins
the 考籍 as 免考, which 报考 then refuses and 毕业预测 counts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow, PlanCourse, SittingCourse, SittingSession
from kaowu.catalog.tests.factories import MajorFactory, SittingExamAreaFactory
from kaowu.exemptions.models import ExemptionRule
from kaowu.identity.models import Verification
from kaowu.records.models import PassedCourse
from kaowu.records.selectors import passed_courses_visible_to_candidate
from kaowu.registration.services import RegistrationError, registration_check
from kaowu.workflow import services
from kaowu.workflow.models import Application, ApplicationItem
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

from .helpers import draft, submitted


def at_the_province(candidate, rules, staff):
    application = submitted(candidate, rules["academic"], ["03708", "00018"])
    return services.application_approve(application=application, staff=staff["area"])


def test_submission_goes_to_the_exam_area_with_one_item_per_course(candidate, rules, staff, window):
    application = submitted(candidate, rules["academic"], ["03708", "00018"])
    assert application.status == Status.REVIEWING
    assert application.reviewing_office == staff["area"].office
    assert list(application.items.values_list("key", "decision")) == [("00018", "pending"), ("03708", "pending")]


def test_submission_outside_the_window_is_refused(candidate, rules, window):
    application = draft(candidate, rules["academic"], ["03708"])
    window.starts_at = timezone.now() + datetime.timedelta(days=1)
    window.ends_at = timezone.now() + datetime.timedelta(days=5)
    window.save()
    with pytest.raises(WorkflowError, match="不在办理时间内"):
        services.application_submit(application=application, actor=candidate.user)
    with pytest.raises(WorkflowError, match="不在办理时间内"):  # nor changed: a draft is kept as it was
        services.application_save_draft(actor=candidate.user, data={"kind": "x"}, application=application)
    application.refresh_from_db()
    assert application.status == Status.DRAFT and not application.items.exists()
    assert application.data["courses"] == ["03708"]


def test_without_a_window_nothing_can_be_saved_or_submitted(candidate, rules, sitting):
    with pytest.raises(WorkflowError, match="尚未公布"):
        draft(candidate, rules["academic"], ["03708"])
    assert not Application.objects.filter(candidate=candidate).exists()  # nothing half-written


def test_a_rule_of_another_major_is_refused(candidate, rules, plan, window):
    other = MajorFactory(code="050101", name="汉语言文学")
    PlanCourse.objects.create(major=other, course=plan["courses"]["03708"])
    foreign = ExemptionRule.objects.create(kind="academic", certificate="本科及以上学历", major=other)
    foreign.courses.set([plan["courses"]["03708"]])
    application = draft(candidate, foreign, ["03708"])
    with pytest.raises(WorkflowError, match="不适用于您的报考专业"):
        services.application_submit(application=application, actor=candidate.user)


def test_a_course_the_rule_does_not_exempt_is_refused(candidate, rules, window):
    application = draft(candidate, rules["academic"], ["00067"])
    with pytest.raises(WorkflowError, match="00067"):
        services.application_submit(application=application, actor=candidate.user)


@pytest.mark.parametrize("source", [PassedCourse.Source.EXAM, PassedCourse.Source.EXEMPTION])
def test_a_course_already_passed_or_exempted_is_refused(candidate, rules, plan, window, source):
    PassedCourse.objects.create(candidate=candidate, course=plan["courses"]["03708"], source=source,
                                score=Decimal("75") if source == "exam" else None, passed_on=datetime.date(2024, 5, 1))
    application = draft(candidate, rules["academic"], ["03708", "00018"])
    with pytest.raises(WorkflowError, match="03708 已合格、已免考"):
        services.application_submit(application=application, actor=candidate.user)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_the_certificate_must_be_uploaded(candidate, rules, window):
    application = draft(candidate, rules["academic"], ["03708"], certificate=False)
    with pytest.raises(WorkflowError, match="请上传证书照片或扫描件"):
        services.application_submit(application=application, actor=candidate.user)


def test_only_one_exemption_application_at_a_time(candidate, rules, window):
    submitted(candidate, rules["academic"], ["03708"])
    second = draft(candidate, rules["english"], ["00015"], kind="non_academic")
    with pytest.raises(WorkflowError, match="正在办理的免考申请"):
        services.application_submit(application=second, actor=candidate.user)


def test_approved_courses_join_the_record_as_exemptions_and_rejected_ones_do_not(candidate, rules, staff,
                                                                                    window, plan):
    application = at_the_province(candidate, rules, staff)
    assert application.reviewing_office == staff["province"].office
    with pytest.raises(WorkflowError, match="还有2个项目未审核"):
        services.application_approve(application=application, staff=staff["province"])
    services.application_item_decide(application=application, staff=staff["province"], key="03708", approved=True)
    with pytest.raises(WorkflowError, match="请填写不通过的原因"):
        services.application_item_decide(application=application, staff=staff["province"], key="00018",
                                         approved=False)
    services.application_item_decide(application=application, staff=staff["province"], key="00018",
                                     approved=False, comment="证书专业与课程不对应")
    application = services.application_approve(application=application, staff=staff["province"])
    assert application.status == Status.APPROVED

    record = PassedCourse.objects.get(candidate=candidate)
    assert record.course.code == "03708" and record.source == PassedCourse.Source.EXEMPTION and record.score is None
    assert ApplicationItem.objects.get(application=application, key="00018").comment == "证书专业与课程不对应"

    # 毕业预测 (the planner) reads the record as the candidate sees it: the exemption is on it at once
    visible = passed_courses_visible_to_candidate(candidate=candidate)
    assert [(p.course.code, p.source) for p in visible] == [("03708", "exemption")]

    # and it cannot be asked for again
    again = draft(candidate, rules["academic"], ["03708"])
    with pytest.raises(WorkflowError, match="已合格、已免考"):
        services.application_submit(application=again, actor=candidate.user)


def test_register_refuses_an_exempted_course(candidate, rules, staff, window, sitting, offices, plan):
    application = at_the_province(candidate, rules, staff)
    for key in ("03708", "00018"):
        services.application_item_decide(application=application, staff=staff["province"], key=key, approved=True)
    services.application_approve(application=application, staff=staff["province"])

    exam_number = candidate.exam_numbers.get()
    Verification.objects.create(user=candidate.user, kind="two_photos", status="passed")
    SittingExamAreaFactory(sitting=sitting, exam_area=offices["area"])
    session = SittingSession.objects.create(sitting=sitting, date=datetime.date(2030, 4, 10), half_day="am",
                                            start_time=datetime.time(9), end_time=datetime.time(11, 30))
    offered = SittingCourse.objects.create(sitting=sitting, session=session, course=plan["courses"]["03708"],
                                           fee=Decimal("30.00"))
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting,
                                  starts_at=timezone.now() - datetime.timedelta(days=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=10))
    with pytest.raises(RegistrationError, match="已合格，不能重复报考"):
        registration_check(exam_number=exam_number, sitting=sitting, exam_area=offices["area"], major=plan["major"],
                           sitting_course_ids=[offered.pk], guide_agreed=True)


def test_returned_application_is_corrected_and_resubmitted_to_the_exam_area(candidate, rules, staff, window):
    application = at_the_province(candidate, rules, staff)
    application = services.application_return(application=application, staff=staff["province"],
                                              reason="毕业证书编号有误")
    assert application.status == Status.RETURNED
    services.application_save_draft(actor=candidate.user, application=application,
                                    data={**application.data, "academic_number": "107301201805009999",
                                          "courses": ["03708"], "course_labels": ["03708 中国近现代史纲要"]})
    application = services.application_submit(application=application, actor=candidate.user)
    assert application.status == Status.REVIEWING and application.reviewing_office == staff["area"].office
    assert application.current_version.number == 2
    assert list(application.items.values_list("key", "decision")) == [("03708", "pending")]


def test_a_rejected_application_writes_nothing(candidate, rules, staff, window):
    application = submitted(candidate, rules["academic"], ["03708"])
    services.application_reject(application=application, staff=staff["area"], reason="证书不符合免考条件")
    assert not PassedCourse.objects.filter(candidate=candidate).exists()


# --- every illegal transition ---------------------------------------------------------------------

def test_a_draft_cannot_be_decided(candidate, rules, staff, window):
    application = draft(candidate, rules["academic"], ["03708"])
    for call in (lambda: services.application_approve(application=application, staff=staff["area"]),
                 lambda: services.application_reject(application=application, staff=staff["area"], reason="x"),
                 lambda: services.application_return(application=application, staff=staff["area"], reason="x")):
        with pytest.raises(WorkflowError):
            call()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_only_the_office_whose_queue_it_is_in_decides(candidate, rules, staff, window):
    application = submitted(candidate, rules["academic"], ["03708"])
    for office in ("province", "district"):
        with pytest.raises(WorkflowError, match="不在本机构的待审核队列中"):
            services.application_approve(application=application, staff=staff[office])
        with pytest.raises(WorkflowError, match="不在本机构的待审核队列中"):
            services.application_item_decide(application=application, staff=staff[office], key="03708",
                                             approved=True)
    application.refresh_from_db()
    assert application.reviewing_office == staff["area"].office


def test_a_submitted_application_cannot_be_changed_or_submitted_again(candidate, rules, window):
    application = submitted(candidate, rules["academic"], ["03708"])
    with pytest.raises(WorkflowError, match="不能修改"):
        services.application_save_draft(actor=candidate.user, application=application, data=application.data)
    with pytest.raises(WorkflowError, match="不能提交"):
        services.application_submit(application=application, actor=candidate.user)
    with pytest.raises(WorkflowError, match="不能修改"):
        services.application_items_set(application=application, items=[("00015", "00015 英语（二）")])


@pytest.mark.parametrize("end", ["approved", "rejected", "withdrawn"])
def test_nothing_happens_to_a_decided_application(candidate, rules, staff, window, end):
    application = submitted(candidate, rules["academic"], ["03708"])
    if end == "approved":
        application = services.application_approve(application=application, staff=staff["area"])
        services.application_item_decide(application=application, staff=staff["province"], key="03708",
                                         approved=True)
        application = services.application_approve(application=application, staff=staff["province"])
    elif end == "rejected":
        application = services.application_reject(application=application, staff=staff["area"], reason="不符合")
    else:
        application = services.application_withdraw(application=application, actor=candidate.user)
    for call in (lambda: services.application_approve(application=application, staff=staff["province"]),
                 lambda: services.application_return(application=application, staff=staff["province"], reason="x"),
                 lambda: services.application_item_decide(application=application, staff=staff["province"],
                                                          key="03708", approved=False, comment="x"),
                 lambda: services.application_withdraw(application=application, actor=candidate.user),
                 lambda: services.application_submit(application=application, actor=candidate.user)):
        with pytest.raises(WorkflowError):
            call()
    application.refresh_from_db()
    assert application.status == end
    assert PassedCourse.objects.filter(candidate=candidate).count() == (1 if end == "approved" else 0)


def test_someone_else_cannot_act_on_the_candidates_application(candidate, rules, window, offices, plan):
    from kaowu.testing.factories import CandidateFactory

    application = draft(candidate, rules["academic"], ["03708"])
    other = CandidateFactory()
    with pytest.raises(WorkflowError):
        services.application_submit(application=application, actor=other.user)
    with pytest.raises(WorkflowError):
        services.application_withdraw(application=application, actor=other.user)
