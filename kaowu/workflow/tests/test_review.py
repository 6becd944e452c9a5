"""The review chain end to end through the services: offices, versions, reasons, bulk approval,
notifications."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.catalog.models import BusinessWindow
from kaowu.notifications.models import DevInboxMessage, InboxMessage
from kaowu.testing.files import png_bytes
from kaowu.workflow import services
from kaowu.workflow.models import Application, ApplicationVersion
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

from .conftest import APPROVED_CALLS
from .helpers import draft, submitted

PNG = png_bytes()


def test_a_draft_is_saved_without_entering_any_queue(candidate, change_window):
    application = draft(candidate)
    assert application.status == Status.DRAFT and application.reviewing_office is None
    assert application.number.startswith("SQ") and len(application.number) == 18
    assert application.current_version.number == 1 and not application.current_version.is_frozen
    assert [t.to_status for t in application.transitions.all()] == [Status.DRAFT]


def test_the_happy_path_runs_through_both_offices_of_the_chain(candidate, staff, offices, change_window):
    application = submitted(candidate)
    assert application.status == Status.REVIEWING and application.current_step == 0
    assert application.reviewing_office == offices["district"]
    assert application.current_version.is_frozen

    application = services.application_approve(application=application, staff=staff["district"], comment="材料齐全")
    assert application.status == Status.REVIEWING and application.current_step == 1
    assert application.reviewing_office == offices["city"]

    application = services.application_approve(application=application, staff=staff["city"])
    assert application.status == Status.APPROVED and application.reviewing_office is None
    assert application.decided_at is not None
    assert application.number in APPROVED_CALLS

    rows = list(application.transitions.values_list("from_status", "to_status", "from_step", "to_step",
                                                    "actor_office__code", "comment"))
    assert rows == [
        ("", "draft", None, None, None, "保存草稿"),
        ("draft", "reviewing", None, 0, None, "提交申请"),
        ("reviewing", "reviewing", 0, 1, "D620102", "材料齐全"),
        ("reviewing", "approved", 1, 1, "C6201", "审核通过"),
    ]
    assert AuditEvent.objects.filter(action="application.approved").count() == 2


def test_staff_of_another_office_cannot_act(candidate, staff, change_window):
    application = submitted(candidate)
    for other in ("other_district", "city", "tianshui"):
        with pytest.raises(WorkflowError, match="不在本机构的待审核队列"):
            services.application_approve(application=application, staff=staff[other])
        with pytest.raises(WorkflowError):
            services.application_reject(application=application, staff=staff[other], reason="x")
        with pytest.raises(WorkflowError):
            services.application_return(application=application, staff=staff[other], reason="x")
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.current_step == 0


def test_after_its_step_an_office_can_no_longer_act(candidate, staff, change_window):
    application = services.application_approve(application=submitted(candidate), staff=staff["district"])
    with pytest.raises(WorkflowError, match="不在本机构"):
        services.application_reject(application=application, staff=staff["district"], reason="改主意了")


@pytest.mark.parametrize("action", ["reject", "return"])
def test_reject_and_return_need_a_reason(action, candidate, staff, change_window):
    application = submitted(candidate)
    act = services.application_reject if action == "reject" else services.application_return
    for blank in ("", "   "):
        with pytest.raises(WorkflowError) as refused:
            act(application=application, staff=staff["district"], reason=blank)
        assert refused.value.field == "reason"
    application.refresh_from_db()
    assert application.status == Status.REVIEWING


def test_reject_records_the_reason_and_ends_the_application(candidate, staff, change_window):
    application = services.application_reject(application=submitted(candidate), staff=staff["district"],
                                              reason="新地址与户籍证明不一致")
    assert application.status == Status.REJECTED and application.decided_at
    assert application.transitions.last().comment == "新地址与户籍证明不一致"
    with pytest.raises(WorkflowError):
        services.application_save_draft(application=application, actor=candidate.user, data={"value": "再试"})


def test_return_then_edit_makes_version_two_and_keeps_version_one(candidate, staff, offices, change_window):
    application = services.application_approve(application=submitted(candidate, "旧值"), staff=staff["district"])
    application = services.application_return(application=application, staff=staff["city"], reason="请写全称")
    assert application.status == Status.RETURNED and application.reviewing_office is None

    application = services.application_save_draft(application=application, actor=candidate.user,
                                                  data={"value": "新值全称"})
    assert application.current_version.number == 2 and not application.current_version.is_frozen
    first = ApplicationVersion.objects.get(application=application, number=1)
    assert first.data == {"value": "旧值"} and first.is_frozen

    # A second save before submitting changes version 2 again, not a version 3.
    application = services.application_save_draft(application=application, actor=candidate.user,
                                                  data={"value": "新值全称2"})
    assert application.versions.count() == 2

    application = services.application_submit(application=application, actor=candidate.user)
    # Back to the first step of the chain: every office sees the modified data.
    assert application.current_step == 0 and application.reviewing_office == offices["district"]
    last = application.transitions.last()
    assert (last.from_status, last.to_status, last.version_number, last.comment) == (
        "returned", "reviewing", 2, "修改后重新提交")
    first.refresh_from_db()
    assert first.data == {"value": "旧值"}


def test_a_submitted_version_cannot_be_changed_while_under_review(candidate, change_window):
    application = submitted(candidate)
    with pytest.raises(WorkflowError, match="不能修改"):
        services.application_save_draft(application=application, actor=candidate.user, data={"value": "x"})


def test_an_application_under_review_cannot_be_submitted_again(candidate, staff, offices, change_window):
    """A second 提交 would put it back at the first step and refreeze the version: refused at any step."""
    application = submitted(candidate)
    application = services.application_approve(application=application, staff=staff["district"], comment="")
    assert application.current_step == 1
    transitions = application.transitions.count()
    with pytest.raises(WorkflowError):
        services.application_submit(application=application, actor=candidate.user)
    application.refresh_from_db()
    assert application.current_step == 1 and application.reviewing_office == offices["city"]
    assert application.transitions.count() == transitions


def test_another_candidate_cannot_touch_an_application(candidate, change_window, gansu):
    from kaowu.testing.factories import CandidateFactory

    stranger = CandidateFactory()
    application = draft(candidate)
    for act in (lambda: services.application_submit(application=application, actor=stranger.user),
                lambda: services.application_withdraw(application=application, actor=stranger.user),
                lambda: services.application_save_draft(application=application, actor=stranger.user, data={})):
        with pytest.raises(WorkflowError, match="申请不存在"):
            act()


def test_a_closed_window_refuses_the_submission(candidate, change_window):
    application = draft(candidate)
    BusinessWindow.objects.filter(pk=change_window.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(WorkflowError, match="当前不在办理时间内"):
        services.application_submit(application=application, actor=candidate.user)
    application.refresh_from_db()
    assert application.status == Status.DRAFT and not application.current_version.is_frozen


def test_no_window_at_all_refuses_the_submission(candidate):
    with pytest.raises(WorkflowError, match="尚未公布"):
        services.application_submit(application=draft(candidate), actor=candidate.user)


def test_bulk_approve_reports_each_application(candidate, staff, change_window, gansu):
    from kaowu.testing.factories import CandidateFactory, ExamNumberFactory

    first, second = submitted(candidate, "一"), None
    other = CandidateFactory(district=candidate.district)
    ExamNumberFactory(candidate=other, exam_area=candidate.exam_numbers.first().exam_area)
    second = submitted(other, "二")
    decided = services.application_reject(application=submitted(CandidateFactory(district=candidate.district), "三"),
                                          staff=staff["district"], reason="不符合条件")
    elsewhere = submitted(CandidateFactory(district=staff["other_district"].office.region), "四")

    results = services.applications_bulk_approve(staff=staff["district"],
                                                 ids=[first.pk, second.pk, decided.pk, elsewhere.pk, 999999])
    outcome = {r.pk: (r.ok, r.number) for r in results}
    assert outcome[first.pk] == (True, first.number) and outcome[second.pk] == (True, second.number)
    assert outcome[decided.pk] == (False, "") and outcome[elsewhere.pk] == (False, "")
    assert outcome[999999] == (False, "")
    assert "转兰州市教育考试院" in next(r.message for r in results if r.pk == first.pk)
    assert Application.objects.get(pk=first.pk).current_step == 1
    assert Application.objects.get(pk=elsewhere.pk).current_step == 0


def test_every_transition_sends_an_inbox_message_and_an_sms(candidate, staff, change_window,
                                                             django_capture_on_commit_callbacks):
    phone = candidate.user.phone
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(candidate)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_return(application=application, staff=staff["district"], reason="请补充")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_save_draft(application=application, actor=candidate.user, data={"value": "改"})
        application = services.application_submit(application=application, actor=candidate.user)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_approve(application=application, staff=staff["district"])
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_approve(application=application, staff=staff["city"])

    titles = list(InboxMessage.objects.filter(user=candidate.user).order_by("id").values_list("title", flat=True))
    assert titles == ["您的测试变更申请已提交", "您的测试变更申请被退回修改", "您的测试变更申请已提交",
                      "您的测试变更申请已通过区县招办审核", "您的测试变更申请已审核通过"]
    returned = InboxMessage.objects.get(user=candidate.user, title__contains="退回")
    assert "请补充" in returned.body and "前修改后重新提交" in returned.body
    assert returned.link == f"/applications/{application.number}/"
    sms = list(DevInboxMessage.objects.filter(recipient=phone).order_by("id").values_list("body", flat=True))
    assert len(sms) == 5 and all(application.number in text for text in sms)


def test_a_withdrawal_is_notified_too(candidate, change_window, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=submitted(candidate), actor=candidate.user)
    assert InboxMessage.objects.filter(user=candidate.user, title__contains="撤回").count() == 1


def test_nothing_is_sent_for_a_refused_action(candidate, staff, change_window, django_capture_on_commit_callbacks):
    application = submitted(candidate)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(WorkflowError):
        services.application_approve(application=application, staff=staff["city"])
    assert callbacks == []


def test_attachments_are_checked_by_content_and_carried_into_the_next_version(candidate, staff, change_window,
                                                                             settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(WorkflowError, match="PDF、JPG或PNG") as refused:
        draft(candidate, attachments={"proof": SimpleUploadedFile("proof.png", b"not really a png")})
    assert refused.value.field == "proof"
    application = draft(candidate, attachments={"proof": SimpleUploadedFile("工作证明.png", PNG)})
    stored = application.current_version.attachments.get()
    assert (stored.original_name, stored.content_type) == ("工作证明.png", "image/png")
    assert stored.size == stored.file.size > 0  # the decoded image, re-encoded
    assert stored.file.name.startswith(f"applications/{application.pk}/")
    application = services.application_submit(application=application, actor=candidate.user)
    application = services.application_return(application=application, staff=staff["district"], reason="不清晰")
    application = services.application_save_draft(application=application, actor=candidate.user, data={"value": "v2"})
    carried = application.current_version.attachments.get()
    assert carried.pk != stored.pk and carried.file.name == stored.file.name


def test_attachments_required_by_the_type_are_checked_at_submission(candidate, change_window):

    from kaowu.workflow.types import application_type, register

    from .conftest import TEST_TYPE

    original = application_type(TEST_TYPE)
    register(original.copy(attachments_required=True))
    try:
        with pytest.raises(WorkflowError, match="请上传证明材料"):
            services.application_submit(application=draft(candidate), actor=candidate.user)
    finally:
        register(original)
