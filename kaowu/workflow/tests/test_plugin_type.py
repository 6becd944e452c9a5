"""The proof that the engine is a plug-in point: a new simple type — 毕业证明书申请 reviewed by the
candidate's 报名点 and then the 主考学校 of their major — declared in this file (about 60 lines, no
view, no template) goes through the generic candidate pages end to end: landing → form → preview →
提交 → review by both offices → detail with the timeline and the step rail → print."""

import datetime

import pytest
from django import forms
from django.urls import include, path, reverse
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow
from kaowu.catalog.tests.factories import MajorFactory
from kaowu.core.text import Form
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import OfficeFactory, StaffMemberFactory
from kaowu.workflow import services
from kaowu.workflow.models import Application
from kaowu.workflow.pages import type_urls
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import (
    ApplicationType,
    ReviewStep,
    TypePages,
    register,
    registration_point_of_candidate,
    university_of_major,
)

CODE = "test_certificate"
OUTCOMES = []


# --- the whole type -------------------------------------------------------------------------------

class CertificateForm(Form):
    purpose = forms.CharField(label="用途", max_length=50, error_messages={"required": "请填写用途"})
    copies = forms.IntegerField(label="份数", min_value=1, max_value=5)
    proof = forms.FileField(label="证明材料（选填）", required=False)
    agree = forms.BooleanField(label="本人承诺所填信息真实准确", error_messages={"required": "请勾选承诺"})


class CertificateType(ApplicationType):
    code = CODE
    label = "毕业证明书"
    form_class = CertificateForm
    review_chain = (
        ReviewStep("报名点审核", Office.Kind.REGISTRATION_POINT, registration_point_of_candidate),
        ReviewStep("主考学校审核", Office.Kind.UNIVERSITY, university_of_major()),
    )
    window_kind = BusinessWindow.Kind.CHANGE_REQUEST
    window_per_sitting = False
    attachment_kinds = {"proof": "证明材料"}
    pages = TypePages(namespace="certificate", prefix="certificate")
    list_columns = (("用途", "purpose"),)

    def validate(self, application, data):
        if data.get("copies", 0) > 3 and not application.current_version.attachments.exists():
            raise services.WorkflowError("申请3份以上请上传证明材料", field="proof")

    def outcome(self, application, *, approved, **result):
        OUTCOMES.append((application.number, approved))


register(CertificateType)
urlpatterns = [path("", include("kaowu.urls")),
               path("certificates/", include((type_urls(CODE), "certificate")))]


# --- the walk -------------------------------------------------------------------------------------

@pytest.fixture
def world(candidate, offices):
    point = OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, code="RP620101", name="城关区报名点",
                          region=Region.objects.get(code="620102"))
    university = OfficeFactory(kind=Office.Kind.UNIVERSITY, code="U10730", name="兰州大学",
                               region=Region.objects.get(code="620100"))
    MajorFactory(name="行政管理", university=university)
    candidate.registration_point = point
    candidate.save(update_fields=["registration_point"])
    number = candidate.exam_numbers.get()
    number.major_name = "行政管理"
    number.save(update_fields=["major_name"])
    now = timezone.now()
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.CHANGE_REQUEST, starts_at=now - datetime.timedelta(days=1),
                                  ends_at=now + datetime.timedelta(days=10))
    return {"point": StaffMemberFactory(office=point), "university": StaffMemberFactory(office=university)}


@pytest.mark.urls(__name__)
def test_a_new_simple_type_runs_on_the_generic_pages(client, candidate, world):
    client.force_login(candidate.user)
    landing = client.get("/certificates/certificate/").content.decode()
    assert "毕业证明书申请" in landing and "申请毕业证明书" in landing

    form = client.get("/certificates/certificate/apply/").content.decode()
    assert "毕业证明书申请信息填报" in form and 'name="purpose"' in form and "填写申请" in form
    refused = client.post("/certificates/certificate/apply/", {"copies": "2"})
    assert refused.status_code == 400 and "请填写用途" in refused.content.decode()
    saved = client.post("/certificates/certificate/apply/", {"purpose": "求职", "copies": "2", "agree": "on"})
    application = Application.objects.get(type_code=CODE)
    assert saved["Location"] == f"/certificates/certificate/{application.number}/preview/"

    preview = client.get(saved["Location"]).content.decode()
    assert "确认毕业证明书申请" in preview and "求职" in preview and "未上传" in preview
    submitted = client.post(saved["Location"])
    assert submitted["Location"] == f"/certificates/certificate/{application.number}/"
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.reviewing_office.name == "城关区报名点"

    # the 报名点, then the 主考学校 of the candidate's major (the office resolvers), on the staff pages
    services.application_approve(application=application, staff=world["point"], comment="同意")
    application.refresh_from_db()
    assert application.reviewing_office.name == "兰州大学"
    client.force_login(world["university"].user)
    page = client.post(reverse("backoffice:workflow_staff:detail", args=[application.pk]),
                       {"action": "approve", "approve-comment": "材料齐全"})
    assert page.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED and OUTCOMES[-1] == (application.number, True)

    client.force_login(candidate.user)
    detail = client.get(f"/certificates/certificate/{application.number}/").content.decode()
    assert "毕业证明书申请信息详情" in detail and "申请已办结" in detail
    for text in ("报名点审核", "主考学校审核", "材料齐全", "城关区报名点", "兰州大学"):
        assert text in detail, text
    assert detail.count('class="is-done"') == 4  # every step of the derived rail is done
    printed = client.get(f"/certificates/certificate/{application.number}/print/").content.decode()
    assert "高等教育自学考试毕业证明书申请信息详情" in printed and "求职" in printed and "兰州大学" in printed


@pytest.mark.urls(__name__)
def test_the_type_s_own_rule_refuses_a_submission_on_the_preview(client, candidate, world):
    client.force_login(candidate.user)
    client.post("/certificates/certificate/apply/", {"purpose": "求职", "copies": "4", "agree": "on"})
    application = Application.objects.get(type_code=CODE)
    response = client.post(f"/certificates/certificate/{application.number}/preview/", follow=True)
    assert "申请3份以上请上传证明材料" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_the_type_is_about_150_lines_or_fewer():
    import inspect

    source = inspect.getsource(CertificateForm) + inspect.getsource(CertificateType)
    assert len(source.splitlines()) <= 150
