"""The candidate's and the reviewers' pages of the engine."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kaowu.audit.models import AuditEvent
from kaowu.notifications.models import InboxMessage
from kaowu.testing.files import png_bytes
from kaowu.workflow import services
from kaowu.workflow.models import Application
from kaowu.workflow.statuses import Status

from .helpers import draft, submitted

PNG = png_bytes()


def queue_url(**params):
    from urllib.parse import urlencode

    return reverse("backoffice:workflow_staff:queue") + ("?" + urlencode(params) if params else "")


def detail_url(application):
    return reverse("backoffice:workflow_staff:detail", args=[application.pk])


# --- candidate ------------------------------------------------------------------------------------

def test_the_timeline_page_shows_each_step(client, candidate, staff, change_window):
    application = services.application_approve(application=submitted(candidate), staff=staff["district"],
                                               comment="同意")
    application = services.application_return(application=application, staff=staff["city"], reason="请写全称")
    client.force_login(candidate.user)
    page = client.get(reverse("workflow:detail", args=[application.number])).content.decode()
    for text in ("保存草稿", "提交申请", "审核通过，转下一步", "区县招办审核", "城关区招生办", "同意",
                 "退回修改", "市考办审核", "兰州市教育考试院", "请写全称", "第1版",
                 "退回修改：</strong>请按意见修改后重新提交"):
        assert text in page, text
    assert "年" in page and "月" in page  # 2027年04月12日 09:00
    assert staff["city"].user.real_name not in page  # candidates see offices, not reviewers' names


def test_my_applications_lists_only_my_own(client, candidate, change_window, gansu):
    from kaowu.testing.factories import CandidateFactory

    mine = draft(candidate)
    stranger = CandidateFactory()
    client.force_login(stranger.user)
    assert mine.number not in client.get(reverse("workflow:list")).content.decode()
    assert client.get(reverse("workflow:detail", args=[mine.number])).status_code == 404
    client.force_login(candidate.user)
    assert mine.number in client.get(reverse("workflow:list")).content.decode()


def test_withdraw_asks_for_confirmation_then_withdraws(client, candidate, change_window):
    application = submitted(candidate)
    client.force_login(candidate.user)
    url = reverse("workflow:withdraw", args=[application.number])
    page = client.get(url).content.decode()
    assert "确认撤回" in page
    application.refresh_from_db()
    assert application.status == Status.REVIEWING
    client.post(url, {"reason": "不转了"})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    page = client.get(url).content.decode()
    assert "不能撤回" in page and "确认撤回" not in page
    response = client.post(url)
    assert response.status_code == 302  # refused with a message, never a 500


def test_the_inbox_page_lists_messages_and_marks_them_read(client, candidate, change_window,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(candidate)
    client.force_login(candidate.user)
    home = client.get(reverse("portal:candidate_home")).content.decode()
    assert "消息（1条未读）" in home
    page = client.get(reverse("inbox:list")).content.decode()
    assert "您的测试变更申请已提交" in page and application.number in page
    assert not InboxMessage.objects.filter(user=candidate.user, read_at__isnull=True).exists()
    assert "条未读" not in client.get(reverse("portal:candidate_home")).content.decode()


# --- staff ----------------------------------------------------------------------------------------

def test_the_queue_shows_the_offices_pending_applications(client, candidate, staff, change_window):
    application = submitted(candidate)
    client.force_login(staff["district"].user)
    page = client.get(queue_url()).content.decode()
    assert application.number in page and "批量审核通过" in page
    client.force_login(staff["city"].user)
    assert application.number not in client.get(queue_url()).content.decode()
    client.force_login(staff["other_district"].user)
    assert application.number not in client.get(queue_url(tab="all")).content.decode()


def test_the_done_tab_holds_what_the_office_decided(client, candidate, staff, change_window):
    application = services.application_approve(application=submitted(candidate), staff=staff["district"])
    client.force_login(staff["district"].user)
    assert application.number not in client.get(queue_url()).content.decode()
    assert application.number in client.get(queue_url(tab="done")).content.decode()
    assert client.get(detail_url(application)).status_code == 200  # history stays readable
    client.force_login(staff["city"].user)
    assert application.number in client.get(queue_url()).content.decode()


def test_search_filters_and_keeps_the_name_out_of_the_url(client, candidate, staff, change_window, gansu):
    from kaowu.testing.factories import CandidateFactory, ExamNumberFactory

    mine = submitted(candidate)
    other = CandidateFactory(district=candidate.district, user__real_name="欧阳修")
    ExamNumberFactory(candidate=other, exam_area=candidate.exam_numbers.first().exam_area)
    theirs = submitted(other)
    client.force_login(staff["district"].user)
    response = client.post(queue_url(), {"tab": "pending", "q": "欧阳修"})
    assert "欧阳修" not in response["Location"] and "s=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert theirs.number in page and mine.number not in page
    page = client.get(queue_url(tab="all", status="approved")).content.decode()
    assert theirs.number not in page
    for query in (mine.number, candidate.exam_numbers.first().number):
        location = client.post(queue_url(), {"tab": "all", "q": query})["Location"]
        page = client.get(location).content.decode()
        assert mine.number in page and theirs.number not in page


def test_staff_of_another_office_get_404_on_the_detail(client, candidate, staff, change_window):
    application = submitted(candidate)
    for other in ("other_district", "city", "tianshui", "area"):
        client.force_login(staff[other].user)
        assert client.get(detail_url(application)).status_code == 404
        assert client.post(detail_url(application), {"action": "approve"}).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.current_step == 0


def test_the_detail_page_approves_and_the_reason_is_required(client, candidate, staff, change_window):
    application = submitted(candidate)
    client.force_login(staff["district"].user)
    page = client.get(detail_url(application)).content.decode()
    assert candidate.user.id_number not in page and candidate.user.id_number[-4:] in page  # masked
    response = client.post(detail_url(application), {"action": "reject", "reject-reason": ""})
    assert response.status_code == 400 and "请填写审核未通过原因" in response.content.decode()
    response = client.post(detail_url(application), {"action": "approve", "approve-comment": "同意"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.current_step == 1
    # The office's step is done: the forms are gone, the page stays.
    assert "approve-comment" not in client.get(detail_url(application)).content.decode()


def test_the_detail_page_shows_the_difference_between_versions(client, candidate, staff, change_window):
    application = services.application_return(application=submitted(candidate, "甲"), staff=staff["district"],
                                              reason="请修改")
    services.application_save_draft(application=application, actor=candidate.user, data={"value": "乙"})
    services.application_submit(application=application, actor=candidate.user)
    client.force_login(staff["district"].user)
    page = client.get(detail_url(application)).content.decode()
    assert "修改内容（第1版 → 第2版）" in page and "<del>甲</del>" in page and "已修改" in page


def test_bulk_approve_from_the_queue(client, candidate, staff, change_window):
    application = submitted(candidate)
    client.force_login(staff["district"].user)
    response = client.post(reverse("backoffice:workflow_staff:bulk_approve"),
                           {"ids": [str(application.pk), "999999"], "comment": "批量同意"}, follow=True)
    page = response.content.decode()
    assert "已审核通过 1 条申请" in page and "#999999" in page
    application.refresh_from_db()
    assert application.current_step == 1 and application.transitions.last().comment == "批量同意"


def test_excel_export_holds_the_queue_masked_and_is_audited(client, candidate, staff, change_window):
    application = submitted(candidate, "兰州市城关区")
    client.force_login(staff["district"].user)
    response = client.get(reverse("backoffice:workflow_staff:export") + "?tab=pending")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("申请编号", "申请类型", "姓名", "身份证号")
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == application.number and row[1] == "测试变更" and row[2] == candidate.user.real_name
    assert row[3] != candidate.user.id_number and row[3].endswith(candidate.user.id_number[-4:]) and "*" in row[3]
    assert row[4] == "010219100023" and row[6] == "审核中" and row[7] == "区县招办审核"
    assert "新值：兰州市城关区" in row[11]
    event = AuditEvent.objects.get(action="application.export")
    assert event.detail["rows"] == 1


def test_attachments_are_served_to_the_reviewer_and_logged(client, candidate, staff, change_window, settings,
                                                          tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = services.application_submit(
        application=draft(candidate, attachments={"proof": SimpleUploadedFile("证明.png", PNG)}), actor=candidate.user)
    attachment = application.current_version.attachments.get()
    url = reverse("backoffice:workflow_staff:attachment", args=[application.pk, attachment.pk])
    client.force_login(staff["city"].user)
    assert client.get(url).status_code == 404
    client.force_login(staff["district"].user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # the decoded image, re-encoded
    assert AuditEvent.objects.filter(action="pii.view", detail__fields=["attachment:proof"]).count() == 1
    client.force_login(candidate.user)
    own = reverse("workflow:attachment", args=[application.number, attachment.pk])
    assert client.get(own).status_code == 200


def test_candidates_are_sent_away_from_the_staff_queue(client, candidate):
    client.force_login(candidate.user)
    response = client.get(queue_url())
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("tab", ["pending", "done", "all", "bogus"])
def test_every_tab_renders(client, staff, tab, candidate, change_window):
    submitted(candidate)
    client.force_login(staff["district"].user)
    assert client.get(queue_url(tab=tab, type="test_change", submitted_from="2020-01-01")).status_code == 200


def test_the_side_nav_counts_pending_applications(client, staff, candidate, change_window):
    submitted(candidate)
    client.force_login(staff["district"].user)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert "申请审核" in page
    assert Application.objects.filter(reviewing_office=staff["district"].office).count() == 1
