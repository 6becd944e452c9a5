"""毕业论文答辩申请 on the engine: submitted inside the window to the major's 主考学校; 打回 and
【修改申请信息】 back to the university; 审核通过（待答辩）; the result with its grade, a pass joining the
考籍 in the same transaction; every illegal transition refused on the server; every change told to the
candidate (消息 + SMS) and audited."""

import datetime

import pytest
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.graduation.eligibility import evaluate, plan_of
from kaowu.notifications.models import DevInboxMessage, InboxMessage
from kaowu.records.models import PassedCourse
from kaowu.records.selectors import passed_course_ids
from kaowu.theses import services
from kaowu.theses.models import DefenceResult
from kaowu.theses.types import AWAITING_DEFENCE, DEFENCE_FAILED
from kaowu.workflow import services as workflow
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

from .helpers import draft, submitted

TODAY = timezone.localdate


def accepted(candidate, staff, arrangement="2030年05月20日 09:00 西北师范大学文学院302室"):
    return services.thesis_accept(application=submitted(candidate), staff=staff["nwnu"], arrangement=arrangement)


def titles(candidate):
    return list(InboxMessage.objects.filter(user=candidate.user).order_by("id").values_list("title", flat=True))


def test_submission_goes_to_the_university_of_the_major(eligible, staff, window, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(eligible)
    assert application.status == Status.REVIEWING and application.current_step == 0
    assert application.reviewing_office == staff["nwnu"].office
    assert application.data["thesis_course"] == "07042" and application.data["university"] == "西北师范大学"
    message = InboxMessage.objects.get(user=eligible.user)
    assert message.title == "您的毕业论文答辩申请已提交" and "西北师范大学" in message.body


def test_submission_outside_the_window_is_refused(eligible, staff, window):
    application = draft(eligible)
    window.starts_at = timezone.now() - datetime.timedelta(days=10)
    window.ends_at = timezone.now() - datetime.timedelta(days=1)
    window.save()
    with pytest.raises(WorkflowError, match="不在办理时间内"):
        workflow.application_submit(application=application, actor=eligible.user)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_second_application_while_one_is_open_is_refused(eligible, staff, window):
    first = submitted(eligible)
    with pytest.raises(WorkflowError, match=first.number):
        draft(eligible)
    services.thesis_accept(application=first, staff=staff["nwnu"])
    with pytest.raises(WorkflowError, match=first.number):  # 待答辩 is still open
        draft(eligible)


def test_another_university_cannot_decide(eligible, staff, window):
    application = submitted(eligible)
    with pytest.raises(WorkflowError, match="不在本机构的待审核队列中"):
        services.thesis_accept(application=application, staff=staff["lzu"])
    with pytest.raises(WorkflowError, match="不在本机构的待审核队列中"):
        workflow.application_return(application=application, staff=staff["lzu"], reason="不是本校")
    with pytest.raises(WorkflowError, match="不在本机构的待审核队列中"):
        services.thesis_accept(application=application, staff=staff["province"])
    services.thesis_accept(application=application, staff=staff["nwnu"])
    with pytest.raises(WorkflowError, match="不在本机构的待审核队列中"):
        services.thesis_record_result(application=application, staff=staff["lzu"], passed=True, grade="good",
                                      defended_on=TODAY())
    application.refresh_from_db()
    assert application.status == AWAITING_DEFENCE and not PassedCourse.objects.filter(source="thesis").exists()


def test_the_outcome_cannot_be_recorded_before_acceptance(eligible, staff, window):
    application = submitted(eligible)
    with pytest.raises(WorkflowError, match="申请当前状态为“审核中”，不能登记答辩结果"):
        services.thesis_record_result(application=application, staff=staff["nwnu"], passed=True, grade="good",
                                      defended_on=TODAY())
    assert not DefenceResult.objects.exists() and not PassedCourse.objects.filter(source="thesis").exists()


def test_the_generic_approval_is_refused_bulk_too(eligible, staff, window):
    application = submitted(eligible)
    with pytest.raises(WorkflowError, match="毕业论文答辩"):
        workflow.application_approve(application=application, staff=staff["nwnu"])
    [result] = workflow.applications_bulk_approve(staff=staff["nwnu"], ids=[application.pk])
    assert not result.ok
    application.refresh_from_db()
    assert application.status == Status.REVIEWING


def test_resubmitting_is_refused_unless_returned(eligible, staff, window):
    application = submitted(eligible)
    with pytest.raises(WorkflowError, match="不能提交"):
        workflow.application_submit(application=application, actor=eligible.user)
    with pytest.raises(WorkflowError, match="不能修改"):
        workflow.application_save_draft(actor=eligible.user, application=application, data=application.data)
    services.thesis_accept(application=application, staff=staff["nwnu"])
    with pytest.raises(WorkflowError, match="不能提交"):
        workflow.application_submit(application=application, actor=eligible.user)


def test_returned_modified_and_resubmitted_to_the_university(eligible, staff, window,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(eligible)
        workflow.application_return(application=application, staff=staff["nwnu"], reason="论文题目与专业方向不符")
    application.refresh_from_db()
    assert application.status == Status.RETURNED and application.status_label == "已打回"
    assert "论文题目与专业方向不符" in InboxMessage.objects.filter(user=eligible.user).latest("id").body
    with django_capture_on_commit_callbacks(execute=True):
        changed = workflow.application_save_draft(actor=eligible.user, application=application,
                                                  data={**application.data, "title": "论汪曾祺小说的语言风格"})
        workflow.application_submit(application=changed, actor=eligible.user)
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.reviewing_office == staff["nwnu"].office
    assert application.current_version.number == 2 and application.data["title"] == "论汪曾祺小说的语言风格"
    assert titles(eligible) == ["您的毕业论文答辩申请已提交", "您的毕业论文答辩申请被退回修改",
                                "您的毕业论文答辩申请已提交"]


def test_accepted_waits_for_the_defence_and_the_candidate_reads_the_arrangement(eligible, staff, window,
                                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = accepted(eligible, staff)
    assert application.status == AWAITING_DEFENCE and application.status_label == "待答辩"
    assert application.reviewing_office == staff["nwnu"].office
    message = InboxMessage.objects.filter(user=eligible.user).latest("id")
    assert message.title == "您的毕业论文答辩申请已审核通过" and "西北师范大学文学院302室" in message.body
    assert AuditEvent.objects.filter(action="application.thesis_accepted", actor=staff["nwnu"].user).exists()
    with pytest.raises(WorkflowError, match="不能撤回"):  # the defence is arranged: no withdrawal
        workflow.application_withdraw(application=application, actor=eligible.user)


def test_a_pass_puts_the_thesis_on_the_record_with_its_grade(eligible, plan, staff, window,
                                                            django_capture_on_commit_callbacks):
    application = accepted(eligible, staff)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.thesis_record_result(application=application, staff=staff["nwnu"], passed=True,
                                                    grade="good", defended_on=TODAY(), note="论证充分")
    assert application.status == Status.APPROVED and application.status_label == "答辩通过"
    assert application.decided_at is not None and application.reviewing_office is None
    record = PassedCourse.objects.get(candidate=eligible, course__code="07042")
    assert record.source == PassedCourse.Source.THESIS and record.score is None
    assert record.note == f"答辩成绩：良好（{application.number}）"
    result = DefenceResult.objects.get(application=application)
    assert result.passed and result.get_grade_display() == "良好" and result.office == staff["nwnu"].office
    message = InboxMessage.objects.filter(user=eligible.user).latest("id")
    assert message.title == "您的毕业论文答辩通过" and "成绩等级良好" in message.body and "已记入考籍" in message.body
    sms = DevInboxMessage.objects.filter(channel="sms", recipient=eligible.user.phone).first()
    assert "您的毕业论文答辩通过" in sms.body and application.number in sms.body
    audit = AuditEvent.objects.get(action="application.thesis_result")
    assert audit.detail["grade"] == "good" and audit.detail["passed"] is True
    # 毕业预测 counts it: 现代汉语 and the practice course are what is missing now, not the thesis
    verdict = evaluate(plan_of(plan["major"]), passed_course_ids(candidate=eligible))
    courses = plan["courses"]
    assert set(verdict.missing_course_ids) == {courses["00535"].pk, courses["00538"].pk}
    with pytest.raises(WorkflowError, match="已记入考籍"):
        draft(eligible)


def test_a_failed_defence_leaves_the_record_and_he_may_apply_again(eligible, staff, window,
                                                                   django_capture_on_commit_callbacks):
    application = accepted(eligible, staff)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.thesis_record_result(application=application, staff=staff["nwnu"], passed=False,
                                                    grade="fail", defended_on=TODAY(), note="论文结构不完整")
    assert application.status == DEFENCE_FAILED and application.status_label == "答辩未通过"
    assert not PassedCourse.objects.filter(course__code="07042").exists()
    message = InboxMessage.objects.filter(user=eligible.user).latest("id")
    assert message.title == "您的毕业论文答辩未通过" and "论文结构不完整" in message.body
    with pytest.raises(WorkflowError, match="不能"):  # recorded once: out of every queue
        services.thesis_record_result(application=application, staff=staff["nwnu"], passed=True, grade="good",
                                      defended_on=TODAY())
    assert submitted(eligible).status == Status.REVIEWING


@pytest.mark.parametrize(("passed", "grade"), [(True, "fail"), (False, "good"), (True, "A+")])
def test_a_grade_that_does_not_match_the_outcome_is_refused(eligible, staff, window, passed, grade):
    application = accepted(eligible, staff)
    with pytest.raises(WorkflowError, match="成绩等级"):
        services.thesis_record_result(application=application, staff=staff["nwnu"], passed=passed, grade=grade,
                                      defended_on=TODAY())
    application.refresh_from_db()
    assert application.status == AWAITING_DEFENCE


def test_a_defence_date_in_the_future_is_refused(eligible, staff, window):
    application = accepted(eligible, staff)
    with pytest.raises(WorkflowError, match="答辩日期不能晚于今天"):
        services.thesis_record_result(application=application, staff=staff["nwnu"], passed=True, grade="excellent",
                                      defended_on=TODAY() + datetime.timedelta(days=1))
