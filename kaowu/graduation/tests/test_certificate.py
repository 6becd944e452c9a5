"""毕业证明书申请: only a graduate applies (choosing the graduation), the province authority decides, the
approved certificate downloads as a PDF whose QR code opens a public page that says whether it is
genuine; everything out of order is refused on the server."""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from kaowu.catalog.tests.factories import MajorFactory
from kaowu.graduation import certificate
from kaowu.graduation.certificate import CODE, certificate_token, certificate_verify_url
from kaowu.graduation.certificate_pdf import certificate_pdf
from kaowu.graduation.models import Graduate
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application
from kaowu.workflow.statuses import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(gansu):
    office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                           name="甘肃省教育考试院", code="P62")
    return StaffMemberFactory(office=office)


def graduate_of(candidate, *, code="120402", name="行政管理", number="107306202405000088"):
    if not candidate.exam_numbers.exists():
        ExamNumberFactory(candidate=candidate)
    return Graduate.objects.create(candidate=candidate, major=MajorFactory(code=code, name=name),
                                   certificate_number=number, graduated_on=datetime.date(2024, 6, 30), credits=72)


@pytest.fixture
def graduate(province):
    candidate = CandidateFactory(user__real_name="孙明远")
    return graduate_of(candidate)


def form(graduate, **changes):
    return {"graduate": str(graduate.pk), "reason": "lost", "reason_detail": "搬家时遗失", "phone": "13893100108",
            "address": "甘肃省兰州市城关区民主东路1号", "agree": "on", **changes}


def apply(client, graduate, **changes) -> Application:
    """The candidate fills in the form (→ preview) and submits, through the pages."""
    client.force_login(graduate.candidate.user)
    response = client.post(reverse("graduation:certificate_apply"), form(graduate, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.filter(candidate=graduate.candidate, type_code=CODE).latest("created_at")
    client.post(reverse("graduation:certificate_preview", args=[application.number]))
    application.refresh_from_db()
    return application


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace(" ", "")


def test_a_graduate_applies_the_province_approves_and_the_certificate_downloads(client, graduate, province):
    client.force_login(graduate.candidate.user)
    landing = client.get(reverse("graduation:certificate")).content.decode()
    assert "107306202405000088" in landing and "可申请" in landing
    form_page = client.get(reverse("graduation:certificate_apply")).content.decode()
    assert "行政管理（120402）· 毕业证书编号 107306202405000088" in form_page

    application = apply(client, graduate)
    assert application.status == Status.REVIEWING
    assert application.reviewing_office == province.office
    assert application.data["certificate_number"] == "107306202405000088"

    workflow.application_approve(application=application, staff=province)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    number = "ZM" + application.number[2:]
    detail = client.get(reverse("graduation:certificate_detail", args=[application.number])).content.decode()
    assert number in detail and "下载毕业证明书" in detail

    response = client.get(reverse("graduation:certificate_pdf", args=[application.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    user = graduate.candidate.user
    for value in (number, "107306202405000088", user.real_name, user.id_number, "行政管理", "本科",
                  "2024年06月30日", "甘肃省教育考试院", "毕业证明书"):
        assert value in text, value
    assert re.search(rf"HTTP://TESTSERVER/GZ/{number}-[A-Z2-7]{{16}}", text)


def test_the_qr_code_opens_a_public_page_that_says_genuine(client, graduate, province):
    application = apply(client, graduate)
    workflow.application_approve(application=application, staff=province)
    number = "ZM" + application.number[2:]
    url = certificate_verify_url(base_url="http://testserver", certificate_number=number)
    client.logout()

    response = client.get(url.replace("HTTP://TESTSERVER", ""))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-verify-result="genuine"' in page
    assert "孙**" in page and "孙明远" not in page and graduate.candidate.user.id_number not in page
    for value in (number, "107306202405000088", "行政管理", "2024年06月30日"):
        assert value in page


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),       # the signature altered
    lambda token: token.replace("ZM", "ZM").replace(token[2:6], "1999"),  # the number altered
    lambda token: "ZM0000000000000000-AAAAAAAAAAAAAAAA",                   # made up
    lambda token: '"><svg onload=alert(1)>',
])
def test_an_altered_or_unknown_token_cannot_be_verified(client, graduate, province, mangle):
    application = apply(client, graduate)
    workflow.application_approve(application=application, staff=province)
    client.logout()
    token = certificate_token("ZM" + application.number[2:])
    response = client.get(reverse("graduation:certificate_verify", args=[mangle(token)]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "无法核验" in page and 'data-verify-result="unverifiable"' in page and "<svg onload" not in page


def test_a_certificate_not_yet_approved_is_neither_downloaded_nor_verified(client, graduate, province):
    application = apply(client, graduate)
    response = client.get(reverse("graduation:certificate_pdf", args=[application.number]))
    assert response.status_code == 302
    assert "审核通过后才能下载" in str(list(get_messages(response.wsgi_request))[-1])
    token = certificate_token("ZM" + application.number[2:])
    assert client.get(reverse("graduation:certificate_verify", args=[token])).status_code == 404
    with pytest.raises(certificate.CertificateError):
        certificate.certificate_issued(application)
    workflow.application_reject(application=application, staff=province, reason="身份信息不符")
    application.refresh_from_db()
    assert client.get(reverse("graduation:certificate_pdf", args=[application.number])).status_code == 302


def test_someone_who_has_not_graduated_cannot_apply(client, province):
    candidate = CandidateFactory()
    ExamNumberFactory(candidate=candidate)
    client.force_login(candidate.user)
    assert "只有已毕业的考生可以申请毕业证明书" in client.get(reverse("graduation:certificate")).content.decode()
    response = client.post(reverse("graduation:certificate_apply"), {"reason": "lost", "agree": "on"})
    assert response.status_code == 302 and not Application.objects.filter(type_code=CODE).exists()
    # nor through the engine directly, nor for someone else's graduation
    other = graduate_of(CandidateFactory())
    with pytest.raises(workflow.WorkflowError, match="只有已毕业的考生"):
        workflow.application_save_draft(actor=candidate.user, candidate=candidate, type_code=CODE,
                                        data={"graduate": other.pk})


def test_a_graduation_that_is_not_his_is_refused_at_submission(client, graduate, province):
    other = graduate_of(CandidateFactory(), code="050105", name="汉语言文学", number="107366202306000011")
    candidate = graduate.candidate
    application = workflow.application_save_draft(
        actor=candidate.user, candidate=candidate, type_code=CODE,
        data={"graduate": other.pk, "certificate_number": other.certificate_number, "major": "050105"})
    with pytest.raises(workflow.WorkflowError, match="不是您的毕业记录"):
        workflow.application_submit(application=application, actor=candidate.user)
    # and the form does not offer it
    client.force_login(candidate.user)
    response = client.post(reverse("graduation:certificate_apply"), form(other))
    assert response.status_code == 400


def test_one_application_at_a_time_per_graduation(client, graduate, province):
    second = graduate_of(graduate.candidate, code="050105", name="汉语言文学", number="107366202306000011")
    first = apply(client, graduate)
    # the form offers only the other graduation now
    page = client.get(reverse("graduation:certificate_apply")).content.decode()
    assert "107366202306000011" in page and "107306202405000088" not in page
    assert client.post(reverse("graduation:certificate_apply"), form(graduate)).status_code == 400
    # a draft of the same graduation made behind the form's back is refused at submission
    candidate = graduate.candidate
    draft = workflow.application_save_draft(actor=candidate.user, candidate=candidate, type_code=CODE,
                                            data=dict(first.data))
    with pytest.raises(workflow.WorkflowError, match="已有一份正在办理的毕业证明书申请"):
        workflow.application_submit(application=draft, actor=candidate.user)
    workflow.application_withdraw(application=draft, actor=candidate.user)
    # the other graduation may be applied for meanwhile; once both are in progress, 申请 leads to one
    assert apply(client, second).status == Status.REVIEWING
    response = client.get(reverse("graduation:certificate_apply"))
    assert response.status_code == 302 and "/graduation/certificate/SQ" in response["Location"]
    # once decided, the same graduation may be applied for again
    workflow.application_approve(application=first, staff=province)
    assert apply(client, graduate).status == Status.REVIEWING


def test_the_home_page_offers_the_tile_only_to_a_graduate(client, graduate):
    client.force_login(graduate.candidate.user)
    page = client.get(reverse("portal:candidate_home")).content.decode()
    assert 'data-entry="graduation_certificate"' in page and reverse("graduation:certificate") in page
    other = CandidateFactory()
    ExamNumberFactory(candidate=other)
    client.force_login(other.user)
    assert 'data-entry="graduation_certificate"' not in client.get(reverse("portal:candidate_home")).content.decode()


def test_the_pdf_draws_every_value_as_literal_text(client, graduate, province):
    application = apply(client, graduate)
    workflow.application_approve(application=application, staff=province)
    application.refresh_from_db()
    issued = certificate.certificate_issued(application)
    issued["user"].real_name = '<b>孙</b>&明远"'
    issued["major"].name = '行政<img src="/etc/passwd"/>管理'
    text = pdf_text(certificate_pdf(issued, verify_url="HTTP://EXAMPLE.ORG/GZ/X"))
    assert '<b>孙</b>&明远"' in text and '行政<imgsrc="/etc/passwd"/>管理' in text
