"""材料辅助申诉: identify → new phone + SMS code, 所属区县, 报考考试, reason, MP4 → 区县招办 reviews with the
video → approved: the phone is replaced (login by the new phone's SMS works); rejected: unchanged, the
reason on the progress page."""

import re

import pytest
from django.urls import reverse

from kaowu.accounts.tests.helpers import captcha_key
from kaowu.appeals import services
from kaowu.appeals.models import AppealVideo
from kaowu.audit.models import AuditEvent
from kaowu.notifications.models import DevInboxMessage
from kaowu.testing.factories import UserFactory
from kaowu.workflow.models import Application
from kaowu.workflow.services import (
    WorkflowError,
    application_approve,
    application_reject,
    application_return,
    application_withdraw,
)

from .conftest import video_upload
from .helpers import identify, send_code
from .mp4s import mp4_bytes

NEW_PHONE = "13912345678"


def submit_page(client, captcha_solver, sms_inbox, candidate, *, phone=NEW_PHONE, video=None, code=None):
    identify(client, captcha_solver, candidate.user)
    sent = send_code(client, captcha_solver, "/appeals/material/", phone)
    assert "验证码已发送" in sent, sent
    return client.post("/appeals/material/", {
        "phone": phone, "sms_code": code or sms_inbox(phone), "district": "620102", "exam_type": "self_study",
        "reason": "原手机号已停用", "video": video or video_upload(), "agree": "on"})


def submitted(candidate, *, phone=NEW_PHONE):
    """An appeal submitted through the service (the code sent and read as the candidate would)."""
    from kaowu.verification.services import code_send

    code_send(target=phone, purpose=services.PURPOSE, ip=None)


    code = re.search(r"验证码(\d{6})", DevInboxMessage.objects.filter(recipient=phone).latest("id").body).group(1)
    return services.material_appeal_submit(user=candidate.user, new_phone=phone, sms_code=code, district_code="620102",
                                           exam_type="self_study", reason="原手机号已停用", video=video_upload())


def test_the_material_form_preselects_the_district_and_exam(client, captcha_solver, candidate):
    identify(client, captcha_solver, candidate.user)
    page = client.get("/appeals/material/").content.decode()
    assert re.search(r'<option value="620102" selected>城关区</option>', page)
    assert re.search(r'<option value="self_study" selected>', page)
    assert "视频格式仅限：MP4" in page


def test_an_appeal_is_approved_and_the_new_phone_logs_in(client, captcha_solver, sms_inbox, candidate, staff,
                                                          django_capture_on_commit_callbacks):
    old_phone = candidate.user.phone
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_page(client, captcha_solver, sms_inbox, candidate)
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get(type_code="phone_appeal")
    assert application.status == "reviewing" and application.reviewing_office == staff["district"].office
    assert AppealVideo.objects.get(application=application).duration_seconds == 10
    progress = client.get(response["Location"]).content.decode()
    assert "城关区招生办审核中" in progress and "0931-8888823" in progress and application.number in progress

    # the district office sees the video on the detail page and can seek in it
    client.force_login(staff["district"].user)
    detail = client.get(f"/backoffice/applications/{application.pk}/").content.decode()
    assert '<video class="appeal-video" controls preload="metadata"' in detail
    assert "退回修改" not in detail.split("审核（")[1].split("办理记录")[0]
    video_url = reverse("appeals_staff:video", args=[application.pk])
    partial = client.get(video_url, HTTP_RANGE="bytes=0-99")
    assert partial.status_code == 206 and len(b"".join(partial.streaming_content)) == 100
    assert AuditEvent.objects.filter(action="pii.view", detail__fields=["appeal_video"]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/backoffice/applications/{application.pk}/",
                           {"action": "approve", "approve-comment": ""}, follow=True)
    assert "已审核通过" in done.content.decode()
    candidate.user.refresh_from_db()
    assert candidate.user.phone == NEW_PHONE != old_phone
    assert AuditEvent.objects.filter(action="account.phone_appeal_replace").exists()
    texts = list(DevInboxMessage.objects.filter(recipient=NEW_PHONE).order_by("id").values_list("body", flat=True))
    assert "账号申诉已提交" in texts[-2] and "已审核通过" in texts[-1]
    link = re.search(r"查询进度：http://testserver(/appeals/progress/\S+/)", texts[-2]).group(1)
    assert application.number in client.get(link).content.decode()

    # the candidate logs in by an SMS code sent to the new phone
    client.logout()
    key = captcha_key(client.get("/accounts/login/?mode=sms").content.decode())
    client.post("/verify/sms/login/", {"phone": NEW_PHONE, "captcha_0": key, "captcha_1": captcha_solver(key)})
    page = client.post("/accounts/login/", {"mode": "sms", "phone": NEW_PHONE, "sms_code": sms_inbox(NEW_PHONE)},
                       follow=True).content.decode()
    assert "个人中心" in page
    approved = client.get(reverse("appeals:progress", args=[services.appeal_progress_token(application)])).content.decode()
    assert "申诉审核通过" in approved


def test_a_rejected_appeal_keeps_the_phone_and_shows_the_reason(client, captcha_solver, candidate, staff,
                                                                 django_capture_on_commit_callbacks):
    old_phone = candidate.user.phone
    application = submitted(candidate)
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(application=application, staff=staff["district"], reason="视频中未展示身份证件")
    candidate.user.refresh_from_db()
    assert candidate.user.phone == old_phone
    # the progress page, found by number + 身份证号
    key = captcha_key(client.get("/appeals/progress/").content.decode())
    response = client.post("/appeals/progress/", {"number": application.number, "id_number": candidate.user.id_number,
                                                  "captcha_0": key, "captcha_1": captcha_solver(key)}, follow=True)
    page = response.content.decode()
    assert "申诉审核未通过" in page and "视频中未展示身份证件" in page and "0931-8888823" in page


    assert "视频中未展示身份证件" in DevInboxMessage.objects.filter(recipient=NEW_PHONE).latest("id").body


def test_the_progress_query_refuses_a_wrong_id_number(client, captcha_solver, candidate, staff):
    application = submitted(candidate)
    other = UserFactory()
    key = captcha_key(client.get("/appeals/progress/").content.decode())
    page = client.post("/appeals/progress/", {"number": application.number, "id_number": other.id_number,
                                              "captcha_0": key, "captcha_1": captcha_solver(key)}).content.decode()
    assert "未找到该申诉" in page
    assert client.get("/appeals/progress/forged-token/").status_code == 404


def test_another_districts_staff_get_404(client, candidate, staff):
    application = submitted(candidate)
    client.force_login(staff["other_district"].user)
    assert client.get(f"/backoffice/applications/{application.pk}/").status_code == 404
    assert client.get(reverse("appeals_staff:video", args=[application.pk])).status_code == 404
    with pytest.raises(WorkflowError):
        application_approve(application=application, staff=staff["other_district"])


def test_a_candidate_cannot_fetch_the_video(client, candidate, staff):
    application = submitted(candidate)
    client.force_login(candidate.user)
    assert client.get(reverse("appeals_staff:video", args=[application.pk])).status_code == 302


def test_illegal_transitions_are_refused(candidate, staff):
    application = submitted(candidate)
    district = staff["district"]
    with pytest.raises(WorkflowError, match="不能退回"):
        application_return(application=application, staff=district, reason="请补充")
    with pytest.raises(WorkflowError, match="不能撤回"):
        application_withdraw(application=application, actor=candidate.user)
    application_reject(application=application, staff=district, reason="视频不清晰")
    with pytest.raises(WorkflowError):
        application_approve(application=application, staff=district)
    with pytest.raises(WorkflowError):
        application_reject(application=application, staff=district, reason="再次")
    application.refresh_from_db()
    assert application.status == "rejected"


def test_approval_fails_when_another_account_took_the_phone(candidate, staff):
    application = submitted(candidate)
    UserFactory(phone=NEW_PHONE)
    with pytest.raises(WorkflowError, match="已绑定其他账号"):
        application_approve(application=application, staff=staff["district"])
    application.refresh_from_db()
    assert application.status == "reviewing"


def test_a_second_appeal_while_one_is_reviewed_is_refused(candidate, staff):
    submitted(candidate)
    with pytest.raises(services.AppealError, match="正在审核的申诉"):
        submitted(candidate, phone="13912345679")


def test_a_bound_phone_gets_no_code(client, captcha_solver, candidate, staff):
    taken = UserFactory()
    identify(client, captcha_solver, candidate.user)
    sent = send_code(client, captcha_solver, "/appeals/material/", taken.phone)
    assert "已绑定其他账号" in sent


def test_the_page_refuses_a_renamed_file_a_wrong_code_and_a_long_video(client, captcha_solver, sms_inbox, candidate,
                                                                        staff):
    png = video_upload(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, name="appeal.mp4")
    page = submit_page(client, captcha_solver, sms_inbox, candidate, video=png).content.decode()
    assert "视频格式仅限MP4" in page
    page = client.post("/appeals/material/", {
        "phone": NEW_PHONE, "sms_code": "000000", "district": "620102", "exam_type": "self_study",
        "reason": "原手机号已停用", "video": video_upload(), "agree": "on"}).content.decode()
    assert "验证码错误" in page
    page = client.post("/appeals/material/", {
        "phone": NEW_PHONE, "sms_code": sms_inbox(NEW_PHONE), "district": "620102", "exam_type": "self_study",
        "reason": "原手机号已停用", "video": video_upload(mp4_bytes(seconds=300)), "agree": "on"}).content.decode()
    assert "超过120秒" in page
    assert not Application.objects.exists()


def test_a_video_over_the_size_limit_is_cut_off(client, captcha_solver, sms_inbox, candidate, staff, monkeypatch):
    monkeypatch.setattr(services, "VIDEO_MAX_BYTES", 4096)
    page = submit_page(client, captcha_solver, sms_inbox, candidate,
                       video=video_upload(mp4_bytes(mdat_size=8192))).content.decode()
    assert "超过0MB的限制" in page or "视频大小超过" in page
    assert not Application.objects.exists()


def test_pages_need_the_identity_first(client, gansu):
    response = client.get("/appeals/material/")
    assert response.status_code == 302 and response["Location"] == "/appeals/"
    assert client.get("/appeals/face/")["Location"] == "/appeals/"


def test_a_wrong_name_is_refused(client, captcha_solver, candidate):
    key = captcha_key(client.get("/appeals/").content.decode())
    page = client.post("/appeals/", {"id_number": candidate.user.id_number, "real_name": "某某某",
                                     "captcha_0": key, "captcha_1": captcha_solver(key)}).content.decode()
    assert "身份证号与姓名不匹配" in page


def test_login_and_password_reset_pages_link_the_appeal(client, gansu):
    assert 'href="/appeals/"' in client.get("/accounts/login/").content.decode()
    assert 'href="/appeals/"' in client.get("/accounts/password/reset/").content.decode()


def test_the_video_is_served_whole_without_a_range(client, candidate, staff):
    application = submitted(candidate)
    client.force_login(staff["district"].user)
    response = client.get(reverse("appeals_staff:video", args=[application.pk]))
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes" and content[4:8] == b"ftyp"
    assert int(response["Content-Length"]) == len(content) == AppealVideo.objects.get().size
