"""毕业申请's pages: the steps in order through the client (majors one cannot choose listed with what they
lack, the test numbers shown in demo mode, the material asked for after a failed check), the 毕业生登记表
PDF (font embedded, photo, values drawn as text), 网上确认 on the detail page, the reviewers' panel and
photo, and the planner's 已毕业."""

import pytest
from django.urls import reverse

from kaowu.graduation.application import AWAITING_CONFIRMATION, CORRECTING
from kaowu.graduation.models import Graduate
from kaowu.records.models import PassedCourse
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application
from kaowu.workflow.statuses import Status

from .application_fixtures import *  # noqa: F403
from .application_fixtures import FAILING, PASSING, give_photo, material

pytestmark = pytest.mark.django_db

REGISTER_POST = {"work_unit": "兰州市城关区人民政府", "address": "甘肃省兰州市城关区庆阳路1号", "postcode": "730030",
                 "phone": "13893100199", "resume_1_period": "2012.9-2015.7", "resume_1_unit": "兰州职业技术学院",
                 "resume_1_role": "学生", "self_assessment": "<b>遵纪守法</b> & 刻苦自学"}


def walk_to_preview(client, grad, number=PASSING, upload=False):
    response = client.post(reverse("graduation:application_apply"), {"major": grad.major.code})
    application = Application.objects.get(candidate=grad.candidate)
    assert response.url == reverse("graduation:application_degree", args=[application.number])
    client.post(response.url, {"consent": "on", "certificate_number": number})
    post = {**REGISTER_POST, **({"degree_material": material()} if upload else {})}
    response = client.post(reverse("graduation:application_register", args=[application.number]), post)
    return application, response


def test_the_steps_from_the_major_to_the_submission(client, grad, settings):
    settings.DEMO_MODE = True
    client.force_login(grad.user)
    landing = client.get(reverse("graduation:application")).content.decode()
    assert "毕业申请须知" in landing and reverse("graduation:application_apply") in landing
    page = client.get(reverse("graduation:application_apply")).content.decode()
    assert 'value="120402"' in page and 'value="690206"' in page
    # a major he cannot choose is refused on the server, whatever was posted
    response = client.post(reverse("graduation:application_apply"), {"major": "999999"})
    assert response.status_code == 400 and not Application.objects.exists()
    application, response = walk_to_preview(client, grad, FAILING)
    assert response.status_code == 400 and "请上传学历认证材料" in response.content.decode()
    degree_page = client.get(reverse("graduation:application_degree", args=[application.number])).content.decode()
    assert "查无此证书" in degree_page and "125811202106000123" in degree_page  # the demo's test numbers
    response = client.post(reverse("graduation:application_register", args=[application.number]),
                           {**REGISTER_POST, "degree_material": material()})
    assert response.url == reverse("graduation:application_preview", args=[application.number])
    preview = client.get(response.url).content.decode()
    assert "确认提交申请" in preview and "2012.09—2015.07" in preview and "&lt;b&gt;遵纪守法" in preview
    response = client.post(reverse("graduation:application_preview", args=[application.number]))
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.data["register"]["resume"][0]["period"] == \
        "2012.09—2015.07"


def test_the_register_form_pdf_embeds_the_font_and_the_photo(client, grad):
    give_photo(grad.user)
    client.force_login(grad.user)
    application, _ = walk_to_preview(client, grad)
    response = client.get(reverse("graduation:application_form_pdf", args=[application.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF") and b"WenQuanYi" in content and b"/Subtype /Image" in content
    # another candidate gets nothing
    other = grad.world.numbers["n1"].candidate.user
    client.force_login(other)
    assert client.get(reverse("graduation:application_form_pdf", args=[application.number])).status_code == 404


def test_online_confirmation_on_the_detail_page(client, grad):
    client.force_login(grad.user)
    application, _ = walk_to_preview(client, grad)
    client.post(reverse("graduation:application_preview", args=[application.number]))
    detail = reverse("graduation:application_detail", args=[application.number])
    # before the approval the page offers no confirmation and the server refuses one
    assert "确认毕业信息无误" not in client.get(detail).content.decode()
    client.post(reverse("graduation:application_confirm", args=[application.number]))
    assert Application.objects.get(pk=application.pk).status == Status.REVIEWING
    application = workflow.application_approve(application=application, staff=grad.university_staff)
    workflow.application_approve(application=application, staff=grad.province_staff)
    page = client.get(detail).content.decode()
    assert "待考生网上确认" in page and "确认毕业信息无误" in page and "毕业信息有误，修改重新提交" in page
    response = client.post(reverse("graduation:application_dispute", args=[application.number]))
    assert response.url == reverse("graduation:application_edit", args=[application.number])
    assert Application.objects.get(pk=application.pk).status == CORRECTING
    client.post(reverse("graduation:application_edit", args=[application.number]), {"major": grad.major.code})
    client.post(reverse("graduation:application_register", args=[application.number]),
                {**REGISTER_POST, "postcode": "730050"})
    client.post(reverse("graduation:application_preview", args=[application.number]))
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.REVIEWING and application.current_version.number == 2
    application = workflow.application_approve(application=application, staff=grad.university_staff)
    workflow.application_approve(application=application, staff=grad.province_staff)
    assert Application.objects.get(pk=application.pk).status == AWAITING_CONFIRMATION
    client.post(reverse("graduation:application_confirm", args=[application.number]))
    graduate = Graduate.objects.get(candidate=grad.candidate)
    page = client.get(detail).content.decode()
    assert graduate.certificate_number in page and "已毕业" in page and 'id="approval"' in page
    planner = client.get(reverse("graduation:planner") + "?major=120402").content.decode()
    assert "data-graduated" in planner and graduate.certificate_number in planner


def test_the_reviewers_panel_shows_eligibility_degree_and_photo(client, grad):
    give_photo(grad.user)
    client.force_login(grad.user)
    application, _ = walk_to_preview(client, grad)
    client.post(reverse("graduation:application_preview", args=[application.number]))
    client.force_login(grad.university_staff.user)
    page = client.get(reverse("backoffice:workflow_staff:detail", args=[application.pk])).content.decode()
    assert "data-graduation-panel" in page and "符合毕业条件" in page and "30 / 30 学分" in page
    assert 'data-degree-status="passed"' in page and "兰州职业技术学院" in page
    photo = reverse("backoffice:graduation_staff:application_photo", args=[application.pk])
    assert photo in page and client.get(photo).status_code == 200
    assert client.get(reverse("backoffice:graduation_staff:application_form_pdf",
                              args=[application.pk])).content.startswith(b"%PDF")
    # the live rule: a course gone from the record shows at once
    PassedCourse.objects.filter(candidate=grad.candidate, course__code="00312").delete()
    page = client.get(reverse("backoffice:workflow_staff:detail", args=[application.pk])).content.decode()
    assert "尚未符合" in page and "00312" in page
    client.force_login(grad.other_university_staff.user)
    assert client.get(photo).status_code == 404
