"""毕业申请 on the engine: only a major whose plan the 考籍 completes; 学历认证 for 本科 (the development
provider's three outcomes, a timeout losing nothing); the review by the 主考学校 then the province; 待考生
网上确认 (the engine's ConfirmGate) → 确认无误 → a graduate with a 毕业证书编号 that is never reused, or 有误 →
修改 → round the chain again; every out-of-order action refused on the server."""

import datetime
import re

import pytest
from django.utils import timezone

from kaowu.catalog.models import Major
from kaowu.catalog.tests.factories import MajorFactory, UniversityFactory
from kaowu.graduation import services_application as services
from kaowu.graduation.application import AWAITING_CONFIRMATION, CORRECTING, MATERIAL, major_choices
from kaowu.graduation.models import CertificateNumberSequence, Graduate
from kaowu.notifications.models import InboxMessage
from kaowu.records.models import PassedCourse
from kaowu.testing.factories import CandidateFactory
from kaowu.workflow import services as workflow
from kaowu.workflow.gates import ConfirmGate
from kaowu.workflow.models import Application
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

from .application_fixtures import *  # noqa: F403
from .application_fixtures import FAILING, PASSING, REGISTER, TIMEOUT, material

pytestmark = pytest.mark.django_db


def fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def chosen(g, major=None, application=None):
    return services.graduation_major_choose(actor=g.user, candidate=g.candidate, exam_number=g.number,
                                           major_code=(major or g.major).code, application=application)


def checked(g, application, number=PASSING):
    services.graduation_degree_check(application=application, actor=g.user, consent=True, certificate_number=number)
    return fresh(application)


def filled(g, application, *, upload=None, **changes):
    return services.graduation_register_save(application=application, actor=g.user, register={**REGISTER, **changes},
                                             material=upload)


def submitted(g, number=PASSING):
    application = filled(g, checked(g, chosen(g), number))
    return workflow.application_submit(application=application, actor=g.user)


def awaiting(g):
    application = workflow.application_approve(application=submitted(g), staff=g.university_staff)
    return workflow.application_approve(application=application, staff=g.province_staff)


def confirm(g, application):
    return application.type.gate(ConfirmGate).confirm(application=fresh(application), actor=g.user)


def dispute(g, application, reason=""):
    return application.type.gate(ConfirmGate).dispute(application=fresh(application), actor=g.user, reason=reason)


# --- 毕业专业 -------------------------------------------------------------------------------------

def test_only_majors_the_record_completes_can_be_chosen(grad):
    selectable, others, _ = major_choices(candidate=grad.candidate)
    assert {c.major.code for c in selectable} == {"120402", "690206"}
    PassedCourse.objects.filter(candidate=grad.candidate, course__code="00312").delete()
    selectable, others, _ = major_choices(candidate=grad.candidate)
    assert [c.major.code for c in selectable] == ["690206"]
    lacking = next(o for o in others if o.major.code == "120402")
    assert [c.code for c in lacking.missing] == ["00312"] and lacking.verdict.courses_missing == 1
    with pytest.raises(WorkflowError, match=r"还差 1 门课程：00312 政治学概论"):
        chosen(grad)
    assert not Application.objects.filter(candidate=grad.candidate).exists()


def test_a_closed_major_cannot_be_chosen(grad):
    Major.objects.filter(pk=grad.major.pk).update(status=Major.Status.CLOSED)
    with pytest.raises(WorkflowError):
        chosen(grad)


def test_a_second_application_while_one_is_open_is_refused(grad):
    chosen(grad)
    with pytest.raises(WorkflowError, match="正在办理的毕业申请"):
        chosen(grad)


# --- 学历认证 (本科) ---------------------------------------------------------------------------------

def test_a_passing_certificate_number_passes_and_the_application_goes_to_the_university(grad):
    application = submitted(grad)
    assert application.status == Status.REVIEWING and application.current_step == 0
    assert application.reviewing_office == grad.major.university
    degree = application.data["degree"]
    assert degree["status"] == "passed" and degree["school"] == "兰州职业技术学院" and degree["consent"] is True


def test_a_failing_number_needs_the_material_before_submission(grad):
    application = filled(grad, checked(grad, chosen(grad), FAILING))
    assert application.data["degree"]["status"] == "failed"
    with pytest.raises(WorkflowError, match="请上传学历认证材料"):
        workflow.application_submit(application=application, actor=grad.user)
    application = filled(grad, fresh(application), upload=material())
    assert fresh(application).current_version.attachments.filter(kind=MATERIAL).exists()
    assert workflow.application_submit(application=application, actor=grad.user).status == Status.REVIEWING


def test_a_timeout_keeps_everything_and_can_be_retried(grad):
    application = filled(grad, checked(grad, chosen(grad), PASSING))
    application = checked(grad, application, TIMEOUT)
    degree = application.data["degree"]
    assert degree["status"] == "unavailable" and degree["certificate_number"] == TIMEOUT
    assert application.data["register"] == REGISTER  # nothing he filled in is lost
    with pytest.raises(WorkflowError, match="请上传学历认证材料"):
        workflow.application_submit(application=application, actor=grad.user)
    application = checked(grad, application, PASSING)  # retry
    assert application.data["degree"]["status"] == "passed"
    assert workflow.application_submit(application=application, actor=grad.user).status == Status.REVIEWING


def test_a_bachelor_without_the_degree_check_or_consent_is_refused(grad):
    application = filled(grad, chosen(grad))
    with pytest.raises(WorkflowError, match="同意学历认证"):
        workflow.application_submit(application=application, actor=grad.user)
    with pytest.raises(WorkflowError, match="同意学历认证"):
        services.graduation_degree_check(application=application, actor=grad.user, consent=False,
                                         certificate_number=PASSING)


def test_a_junior_college_major_needs_no_degree_check(grad):
    application = filled(grad, chosen(grad, grad.junior))
    with pytest.raises(WorkflowError, match="不需要学历认证"):
        services.graduation_degree_check(application=application, actor=grad.user, consent=True,
                                         certificate_number=PASSING)
    assert workflow.application_submit(application=application, actor=grad.user).status == Status.REVIEWING


def test_the_register_form_must_be_filled_before_submission(grad):
    application = checked(grad, chosen(grad))
    with pytest.raises(WorkflowError, match="毕业生登记表"):
        workflow.application_submit(application=application, actor=grad.user)


def test_submission_outside_the_window_is_refused(grad):
    application = filled(grad, checked(grad, chosen(grad)))
    grad.window.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    grad.window.save()
    with pytest.raises(WorkflowError, match="不在办理时间内|已结束"):
        workflow.application_submit(application=application, actor=grad.user)


def test_a_record_that_no_longer_completes_the_plan_is_refused_at_submission(grad):
    application = filled(grad, checked(grad, chosen(grad)))
    PassedCourse.objects.filter(candidate=grad.candidate, course__code="03709").delete()
    with pytest.raises(WorkflowError, match="03709"):
        workflow.application_submit(application=application, actor=grad.user)


# --- the review chain and 网上确认 --------------------------------------------------------------------

def test_the_province_approval_waits_for_the_candidates_online_confirmation(grad, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = workflow.application_approve(application=submitted(grad), staff=grad.university_staff)
    assert application.current_step == 1 and application.reviewing_office == grad.province_staff.office
    with django_capture_on_commit_callbacks(execute=True):
        application = workflow.application_approve(application=application, staff=grad.province_staff)
    assert application.status == AWAITING_CONFIRMATION and application.reviewing_office is None
    assert application.decided_at is None and not Graduate.objects.exists()
    titles = list(InboxMessage.objects.filter(user=grad.user).order_by("id").values_list("title", flat=True))
    assert titles[-1] == "您的毕业申请已审核通过，待网上确认"
    assert "您的毕业申请已提交" in titles and "您的毕业申请已通过主考学校审核" in titles


def test_bulk_approval_at_the_province_leads_to_the_confirmation(grad):
    application = workflow.application_approve(application=submitted(grad), staff=grad.university_staff)
    [result] = workflow.applications_bulk_approve(staff=grad.province_staff, ids=[application.pk])
    assert result.ok and result.message == "已审核通过"
    assert fresh(application).status == AWAITING_CONFIRMATION


def test_confirming_makes_him_a_graduate_with_a_certificate_number(grad, django_capture_on_commit_callbacks):
    application = awaiting(grad)
    with django_capture_on_commit_callbacks(execute=True):
        application = confirm(grad, application)
    assert application.status == Status.APPROVED and application.decided_at is not None
    graduate = Graduate.objects.get(candidate=grad.candidate)
    school = re.sub(r"\D", "", grad.major.university.code)[-5:].rjust(5, "0")
    assert graduate.certificate_number == f"{school}6{timezone.localdate().year}05000001"
    assert graduate.major == grad.major and graduate.application == application and graduate.credits == 30
    assert graduate.graduated_on == timezone.localdate()
    assert [row["course"] for row in graduate.snapshot] == ["00015", "03708", "03709", "00312", "00024"]
    message = InboxMessage.objects.filter(user=grad.user).order_by("-id").first()
    assert message.title == "您已毕业" and graduate.certificate_number in message.body


def test_confirming_twice_before_the_approval_or_outside_the_window_is_refused(grad):
    application = submitted(grad)
    with pytest.raises(WorkflowError, match="不能网上确认"):
        confirm(grad, application)  # before the approval
    application = workflow.application_approve(application=application, staff=grad.university_staff)
    with pytest.raises(WorkflowError, match="不能网上确认"):
        dispute(grad, application)  # still at the province
    application = workflow.application_approve(application=application, staff=grad.province_staff)
    grad.window.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    grad.window.save()
    # outside the window and past the working days given after the approval
    application.transitions.filter(to_status=AWAITING_CONFIRMATION).update(
        created_at=timezone.now() - datetime.timedelta(days=30))
    with pytest.raises(WorkflowError):
        confirm(grad, application)
    with pytest.raises(WorkflowError):
        dispute(grad, application)
    assert fresh(application).status == AWAITING_CONFIRMATION
    grad.window.ends_at = timezone.now() + datetime.timedelta(days=1)
    grad.window.save()
    confirm(grad, application)
    with pytest.raises(WorkflowError, match="不能网上确认"):
        confirm(grad, application)  # twice
    assert Graduate.objects.count() == 1


def test_another_person_cannot_confirm(grad):
    application = awaiting(grad)
    stranger = CandidateFactory()
    with pytest.raises(WorkflowError, match="申请不存在"):
        application.type.gate(ConfirmGate).confirm(application=application, actor=stranger.user)
    assert fresh(application).status == AWAITING_CONFIRMATION


def test_a_record_changed_since_the_review_refuses_the_confirmation(grad):
    application = awaiting(grad)
    PassedCourse.objects.filter(candidate=grad.candidate, course__code="00015").delete()
    with pytest.raises(WorkflowError, match="请联系主考学校"):
        confirm(grad, application)
    assert fresh(application).status == AWAITING_CONFIRMATION and not Graduate.objects.exists()


def test_a_second_graduation_in_the_same_major_is_refused(grad):
    confirm(grad, awaiting(grad))
    with pytest.raises(WorkflowError, match="您已在行政管理专业毕业"):
        chosen(grad)
    selectable, others, _ = major_choices(candidate=grad.candidate)
    assert "120402" not in {c.major.code for c in selectable}
    assert next(o for o in others if o.major.code == "120402").graduate is not None


def test_wrong_information_goes_back_to_modify_and_round_the_chain_again(grad, django_capture_on_commit_callbacks):
    application = awaiting(grad)
    with django_capture_on_commit_callbacks(execute=True):
        application = dispute(grad, application, reason="工作单位填写有误")
    assert application.status == CORRECTING and application.type.is_editable(CORRECTING)
    assert "工作单位填写有误" in application.transitions.order_by("-id").first().comment
    assert InboxMessage.objects.filter(user=grad.user, title="请修改毕业信息后重新提交").exists()
    with pytest.raises(WorkflowError):
        confirm(grad, application)  # not any more
    application = filled(grad, fresh(application), work_unit="兰州市七里河区人民政府")
    assert application.current_version.number == 2
    application = workflow.application_submit(application=application, actor=grad.user)
    assert application.current_step == 0 and application.reviewing_office == grad.major.university
    assert application.transitions.order_by("-id").first().comment == "修改后重新提交"
    application = workflow.application_approve(application=application, staff=grad.university_staff)
    application = workflow.application_approve(application=application, staff=grad.province_staff)
    application = confirm(grad, application)
    assert application.status == Status.APPROVED
    assert Graduate.objects.get(candidate=grad.candidate).application.data["register"]["work_unit"] == "兰州市七里河区人民政府"


def test_returned_by_the_university_then_resubmitted(grad):
    application = workflow.application_return(application=submitted(grad), staff=grad.university_staff,
                                              reason="自我鉴定过于简单")
    assert application.status == Status.RETURNED
    application = filled(grad, fresh(application), self_assessment="补充后的自我鉴定，内容详实。")
    application = workflow.application_submit(application=application, actor=grad.user)
    assert application.status == Status.REVIEWING and application.current_step == 0


def test_rejected_is_final(grad):
    application = workflow.application_reject(application=submitted(grad), staff=grad.university_staff,
                                              reason="专科学历存疑")
    assert application.status == Status.REJECTED
    with pytest.raises(WorkflowError):
        dispute(grad, application)
    with pytest.raises(WorkflowError):
        chosen(grad, application=fresh(application))


def test_another_university_cannot_review_it(grad):
    with pytest.raises(WorkflowError, match="不在本机构"):
        workflow.application_approve(application=submitted(grad), staff=grad.other_university_staff)


def test_a_submitted_application_cannot_be_changed(grad):
    application = submitted(grad)
    with pytest.raises(WorkflowError, match="不能修改"):
        filled(grad, application)
    with pytest.raises(WorkflowError, match="不能修改"):
        services.graduation_degree_check(application=application, actor=grad.user, consent=True,
                                         certificate_number=PASSING)


# --- 毕业证书编号 --------------------------------------------------------------------------------------

def test_certificate_numbers_are_sequential_per_school_year_and_level_and_never_reused(gansu):
    lzu = UniversityFactory(code="U10730")
    bachelor, junior = MajorFactory(university=lzu), MajorFactory(university=lzu, level=Major.Level.JUNIOR_COLLEGE)
    on = datetime.date(2027, 6, 30)
    issued = [services.certificate_number_issue(major=major, on=on) for major in (bachelor, bachelor, junior)]
    assert issued == ["107306202705000001", "107306202705000002", "107306202706000001"]
    # a number is never given again, even when nothing holds the previous one any more
    Graduate.objects.create(candidate=CandidateFactory(), major=bachelor, certificate_number=issued[0], graduated_on=on)
    Graduate.objects.all().delete()
    assert services.certificate_number_issue(major=bachelor, on=on) == "107306202705000003"


def test_a_number_already_on_a_graduate_is_skipped(grad):
    on = timezone.localdate()
    taken = services.certificate_number_issue(major=grad.major, on=on)
    Graduate.objects.create(candidate=CandidateFactory(), major=grad.junior, certificate_number=taken[:-1] + "2",
                            graduated_on=on)
    CertificateNumberSequence.objects.filter(prefix=taken[:12]).update(last=1)  # a sequence set back by hand
    assert services.certificate_number_issue(major=grad.major, on=on) == taken[:-1] + "3"


def test_two_graduates_get_two_numbers(grad):
    confirm(grad, awaiting(grad))
    other = grad.world.numbers["n3"]
    grad.candidate, grad.user, grad.number = other.candidate, other.candidate.user, other
    from .application_fixtures import passes

    passes(other.candidate, grad.courses, ("00015", "03708", "03709", "00312", "01848"))
    confirm(grad, awaiting(grad))
    numbers = sorted(Graduate.objects.values_list("certificate_number", flat=True))
    assert len(set(numbers)) == 2 and int(numbers[1]) == int(numbers[0]) + 1


def test_an_approval_after_the_window_closed_leaves_working_days_to_confirm_or_withdraw(grad):
    """Reviews go on after the window: the candidate approved late is not locked out."""
    application = workflow.application_approve(application=submitted(grad), staff=grad.university_staff)
    grad.window.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    grad.window.save()
    application = workflow.application_approve(application=application, staff=grad.province_staff)
    assert application.status == AWAITING_CONFIRMATION
    confirm(grad, application)
    assert fresh(application).status == Status.APPROVED and Graduate.objects.count() == 1


def test_an_application_waiting_for_the_confirmation_can_be_withdrawn(grad):
    application = awaiting(grad)
    workflow.application_withdraw(application=application, actor=grad.user)
    assert fresh(application).status == Status.WITHDRAWN and not Graduate.objects.exists()


def test_the_online_degree_check_is_limited_per_day_and_refused_outside_the_window(grad, settings):
    from django.core.cache import cache

    from kaowu.graduation.services_application import DEGREE_CHECKS_PER_DAY

    cache.clear()
    application = chosen(grad)
    for _ in range(DEGREE_CHECKS_PER_DAY):
        application = checked(grad, application)
    with pytest.raises(WorkflowError, match="次数已用完"):
        checked(grad, application)
    assert fresh(application).data["degree"]["status"] == "passed"  # the last answer is kept
    cache.clear()
    grad.window.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    grad.window.save()
    with pytest.raises(WorkflowError, match="不在办理时间内|已结束"):
        checked(grad, application)
