"""IDOR sweep: for every URL pattern that names an object, another candidate's object and another
jurisdiction's object answer 404.

The sweep walks the URL resolver, so a new pattern with an object in its path fails
`test_every_object_url_is_swept` until it is added to `CANDIDATE_URLS`, `STAFF_URLS` or `NOT_OBJECTS`
(with the reason it names no object of a person or a jurisdiction).

The world: the demo province (offices, staff, sittings, 兰州 exam sites) plus, for 张浩然 (a 兰州
candidate of 城关区), one object of every kind a URL can name. The attackers: 王雅琴, another 兰州
candidate, and staff of every office kind in 天水 (city, exam area, district, registration point) and
another university.
"""

import hashlib
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from kaowu.accounts.models import User
from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.catalog.models import (
    Announcement,
    BusinessWindow,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
    SittingSession,
)
from kaowu.demo.services import demo_seed
from kaowu.organization.models import Office, StaffMember

PREFIXES = ["62", "14"]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


# --- which patterns are swept ---------------------------------------------------------------------------

# Patterns with path parameters that name nothing owned by a person or a jurisdiction, with why.
NOT_OBJECTS = {
    "accounts:security_email_verify": "a single-use token mailed to the address being bound",
    "verification:captcha_image": "a captcha key (no person's data)",
    "verification:sms_send": "the purpose of a code, not an object",
    "identity:photo_upload": "the kind of photo the signed-in candidate uploads for himself",
    "catalog:announcement_detail": "public 通知公告",
    "catalog:major_detail": "public 专业 page",
    "payments:notify": "the gateway's notification endpoint (signed; see test_payment_notify)",
    "payments:dev_cashier": "the development gateway's cashier (demo only, keyed by an unguessable trade number)",
    "appeals:progress": "申诉进度 by a signed link given to the appellant, who has no login",
    "appeals:dev_face_check": "the development Alipay face page (demo only, an unguessable session id)",
    "signatures:sign": "the phone page of 扫码签字, reached by the unguessable single-use QR token without login",
    "documents:verify_redirect": "the 准考证's QR code: redirects to the staff verification page, which is swept",
    "graduation:certificate_verify": "the 毕业证明书's QR code: a signed token, public by design (name masked)",
    "upgrade:notice": "one of the three public notices by name",
    "upgrade:volunteers_edit": "a batch code; the page shows the signed-in candidate's own volunteers",
    "upgrade:supplementary": "a batch code; the page shows the signed-in candidate's own 征集志愿",
    "upgrade:form_download": "a form name; the PDF is the signed-in candidate's own",
    "backoffice:exams_staff:session_pdf": "a 场次 of the sitting, shared by every exam area; the PDF lists the "
                                          "seats of the staff member's own exam area only",
}
# The province administrators' Django admin (reference data and the audit log, province only), and the
# catalog's staff pages: 专业, 考试计划 and 通知 are province-wide reference data that every staff member may
# read (they are public on /catalog/ as well); changing them needs the province authority
# (`test_catalog_changes_need_the_province_authority`). The same holds for the 免考 rules.
NOT_OBJECTS_PREFIXES = ("province_admin:", "backoffice:catalog_staff:", "backoffice:exemptions_staff:")


def _object_patterns() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace="", has_params=False):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                child = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, child, has_params or bool(pattern.pattern.regex.groupindex))
            elif isinstance(pattern, URLPattern):
                if pattern.pattern.regex.groupindex or has_params:
                    names.add(namespace + (pattern.name or repr(pattern.pattern)))

    walk(get_resolver().url_patterns)
    return names


# --- the world ----------------------------------------------------------------------------------------


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo_seed(region_prefixes=PREFIXES)
    now = timezone.now()
    victim = User.objects.get(username="demo-b")  # 张浩然, 城关区, 兰州市考区
    candidate = Candidate.objects.get(user=victim)
    exam_number = ExamNumber.objects.filter(candidate=candidate).first()
    lanzhou_area = Office.objects.get(code="EA6201")
    province = Office.objects.get(code="P62")
    sitting = ExamSitting.objects.get(is_current=True)
    past = ExamSitting.objects.exclude(pk=sitting.pk).first()
    clerk = User.objects.get(username="gs-reviewer")
    w: dict = {"victim": victim}

    # identity: a photo of his verification
    from kaowu.identity.models import Photo, Verification

    verification = Verification.objects.filter(user=victim).first()
    assert verification is not None
    photo = Photo.objects.create(verification=verification, kind=Photo.Kind.ID_PHOTO,
                                 file=ContentFile(_png(), name="p.png"), width=8, height=8,
                                 sha256=hashlib.sha256(_png()).hexdigest(), face_box=[1, 1, 6, 6])
    verification.review_office = lanzhou_area
    verification.save(update_fields=["review_office"])
    w["photo_token"] = photo.token
    w["verification"] = verification.pk

    # payments: a paid order, a refund of it, a reconciliation issue on it
    from kaowu.payments.models import Order, Payment, ReconciliationIssue, Refund

    order = Order.objects.create(number="IDOR0000000000000001", user=victim, purpose=Order.Purpose.DEMO,
                                 reference="idor", title="演示订单", amount=Decimal("10.00"),
                                 status=Order.Status.PAID, expires_at=now + timedelta(minutes=30), paid_at=now,
                                 provider="wechat", provider_trade_no="IDORTRADE1")
    pending = Order.objects.create(number="IDOR0000000000000002", user=victim, purpose=Order.Purpose.DEMO,
                                   reference="idor-2", title="演示订单", amount=Decimal("10.00"),
                                   expires_at=now + timedelta(minutes=30))
    payment = Payment.objects.create(order=order, channel="wechat", trade_no="IDORTRADE1", amount=Decimal("10.00"),
                                     paid_at=now, outcome=Payment.Outcome.values[0], source=Payment.Source.values[0])
    refund = Refund.objects.create(number="IDORREFUND0000000001", order=order, payment=payment,
                                   kind=Refund.Kind.values[0], status=Refund.Status.values[0],
                                   amount=Decimal("10.00"), reason="测试", requested_by=victim)
    issue = ReconciliationIssue.objects.create(date=date.today(), kind=ReconciliationIssue.Kind.values[0],
                                               channel="wechat", trade_no="IDORTRADE1")
    w.update(order=order.number, pending_order=pending.number, refund=refund.number, issue=issue.pk)

    # applications: the demo's 省内转考 and 考籍转出 (of generated 兰州 candidates), and an attachment
    from kaowu.workflow.models import Application, ApplicationAttachment

    within = Application.objects.get(type_code="transfer_within_province")
    out = Application.objects.get(type_code="transfer_out")
    attachment = ApplicationAttachment.objects.create(
        version=within.current_version, kind="proof", file=ContentFile(_png(), name="a.png"),
        original_name="a.png", size=len(_png()), content_type="image/png", uploaded_at=now)
    w.update(within=within, out=out, attachment=attachment.pk)
    for application in (within, out):
        assert application.candidate.district_id is None or True

    # 成绩复核: an application of his on a published score
    review = Application.objects.create(type_code="score_review", number="SQIDOR000000000001", applicant=victim,
                                        candidate=candidate, exam_number=exam_number, sitting=past,
                                        status="reviewing", reviewing_office=province, current_step=0)
    from kaowu.workflow.models import ApplicationVersion

    version = ApplicationVersion.objects.create(application=review, number=1, created_by=victim,
                                                data={"reason": "复核"})
    review.current_version = version
    review.save(update_fields=["current_version"])
    w["review"] = review

    # 考籍转入 (the demo's, for 张浩然)
    from kaowu.transfers.models import IncomingTransfer

    w["incoming"] = IncomingTransfer.objects.get()

    # 扫码签字 request of his
    from kaowu.signatures.models import SignatureRequest

    signature = SignatureRequest.objects.create(token=uuid.uuid4().hex, user=victim, purpose="确认转入",
                                                subject="transfers.IncomingTransfer:1", digest="0" * 64,
                                                summary="内容", return_url="/", expires_at=now + timedelta(minutes=5),
                                                status=SignatureRequest.Status.SIGNED, signed_at=now,
                                                image=ContentFile(_png(), name="s.png"))
    w["signature"] = signature.token

    # 建档 of a 兰州 candidate
    from kaowu.filing.models import Filing

    filing_user = User.objects.get(username="demo-g")
    filing = Filing.objects.create(candidate=Candidate.objects.get(user=filing_user), exam_area=lanzhou_area,
                                   gender="女", nation="汉族", political_status="群众", education="高中",
                                   occupation="学生", household_type="城镇", address="兰州市城关区",
                                   postcode="730030", notice_agreed_at=now, submitted_at=now)
    w["filing"] = filing.pk

    # 成绩导入, 准考证 batch, 考场编排 run, sites and rooms of 兰州
    from kaowu.documents.models import TicketBatch
    from kaowu.exams.models import ArrangementRun, ExamRoom, ExamSite
    from kaowu.records.models import ScoreImport

    score_import = ScoreImport.objects.create(sitting=past, file=ContentFile(b"a,b\n", name="s.csv"),
                                              original_name="s.csv", uploaded_by=clerk)
    w["score_import"] = score_import.pk
    w["sitting"] = past.pk
    w["batch"] = TicketBatch.objects.create(sitting=sitting, exam_area=lanzhou_area).pk
    w["run"] = ArrangementRun.objects.create(sitting=sitting, exam_area=lanzhou_area).pk
    site = ExamSite.objects.filter(exam_area=lanzhou_area).first()
    w["site"] = site.pk
    w["room"] = ExamRoom.objects.filter(site=site).first().pk
    w["session"] = SittingSession.objects.filter(sitting=sitting).first().pk

    # a 准考证 token of his
    from kaowu.documents.verification import ticket_token

    w["ticket_token"] = ticket_token(exam_number=exam_number.number, sitting_code=sitting.code)

    # 专升本: a 兰州 candidate's registration, and the province's admission run
    from kaowu.upgrade.models import AdmissionBatch, AdmissionRun, UpgradeRegistration

    upgrade = UpgradeRegistration.objects.first()
    w["upgrade"] = upgrade.pk
    w["upgrade_report"] = upgrade.pk
    w["admission"] = AdmissionRun.objects.create(batch=AdmissionBatch.objects.first(), run_by=clerk).pk

    # a material appeal's video
    from kaowu.appeals.models import AppealVideo

    appeal = Application.objects.create(type_code="phone_appeal", number="SQIDOR000000000002", applicant=victim,
                                        candidate=candidate, status="reviewing", current_step=0,
                                        reviewing_office=Office.objects.get(code="D620102"))
    AppealVideo.objects.create(application=appeal, file=ContentFile(b"\0" * 16, name="v.mp4"),
                               original_name="v.mp4", size=16, duration_seconds=10)
    w["appeal"] = appeal.pk

    # 免考申请 of his (a draft), a 免考 rule, and the province's 毕业资格初审 run
    exemption = Application.objects.create(type_code="exemption", number="SQIDOR000000000003", applicant=victim,
                                           candidate=candidate, exam_number=exam_number, status="draft")
    exemption.current_version = ApplicationVersion.objects.create(application=exemption, number=1,
                                                                  created_by=victim, data={})
    exemption.save(update_fields=["current_version"])
    w["exemption"] = exemption
    # 毕业申请 of his (a draft), for the candidate pages and the reviewers' photo and PDF
    graduation = Application.objects.create(type_code="graduation", number="SQIDOR000000000004", applicant=victim,
                                            candidate=candidate, exam_number=exam_number, status="draft")
    graduation.current_version = ApplicationVersion.objects.create(
        application=graduation, number=1, created_by=victim,
        data={"major": "120402", "major_name": "行政管理", "level": "bachelor", "level_label": "本科"})
    graduation.save(update_fields=["current_version"])
    w["graduation"] = graduation
    from kaowu.exemptions.models import ExemptionRule
    from kaowu.graduation.models import EligibilityRun

    rule = ExemptionRule.objects.create(kind=ExemptionRule.Kind.values[0], certificate="专科及以上学历",
                                        major=Major.objects.first())
    w["exemption_rule"] = rule.pk
    # 毕业论文答辩申请 of his, in the queue of his major's 主考学校 (西北师范大学)
    thesis = Application.objects.create(type_code="thesis", number="SQIDORTHESIS00000001", applicant=victim,
                                        candidate=candidate, exam_number=exam_number, sitting=sitting,
                                        status="reviewing", current_step=0,
                                        reviewing_office=Office.objects.get(code="U10736"))
    thesis.current_version = ApplicationVersion.objects.create(application=thesis, number=1, created_by=victim,
                                                               data={"major": "050105", "thesis_course": "07042"})
    thesis.save(update_fields=["current_version"])
    w["thesis"] = thesis

    # 实践性环节报名 of his, paid: in the list of a 主考学校 (兰州大学), with one course to record
    from kaowu.workflow.models import ApplicationItem

    practical = Application.objects.create(type_code="practical_registration", number="SQIDORPRACTICAL00001",
                                           applicant=victim, candidate=candidate, exam_number=exam_number,
                                           sitting=sitting, status="reviewing", current_step=0,
                                           reviewing_office=Office.objects.get(code="U10730"))
    practical.current_version = ApplicationVersion.objects.create(application=practical, number=1,
                                                                  created_by=victim, data={"courses": []})
    practical.save(update_fields=["current_version"])
    w["practical"] = practical
    w["practical_item"] = ApplicationItem.objects.create(application=practical, key="04748", label="04748").pk
    # 毕业证明书申请 of his, approved (so that its PDF is there to download), for one of his graduations
    from kaowu.graduation.models import Graduate

    graduated = Graduate.objects.filter(candidate=candidate).first() or Graduate.objects.create(
        candidate=candidate, major=Major.objects.get(code="080901"), certificate_number="IDOR00000000000001",
        graduated_on=date(2024, 6, 30))
    certificate = Application.objects.create(type_code="graduation_certificate", number="SQIDOR000000000005",
                                             applicant=victim, candidate=candidate, exam_number=exam_number,
                                             status="approved", current_step=0, decided_at=now)
    certificate.current_version = ApplicationVersion.objects.create(
        application=certificate, number=1, created_by=victim, submitted_at=now,
        data={"graduate": graduated.pk, "certificate_number": graduated.certificate_number, "reason": "lost"})
    certificate.save(update_fields=["current_version"])
    w["certificate"] = certificate
    w["eligibility_run"] = EligibilityRun.objects.create(requested_by=clerk).pk

    # reference data the province keeps
    major = Major.objects.first()
    w["major"] = major.pk
    w["plan_course"] = PlanCourse.objects.first().pk
    w["course"] = PlanCourse.objects.first().course_id
    w["sitting_course"] = SittingCourse.objects.first().pk
    w["window"] = BusinessWindow.objects.first().pk
    w["announcement"] = Announcement.objects.first().pk
    w["candidate"] = candidate.pk

    # attackers
    w["attacker"] = User.objects.get(username="demo-c")  # 王雅琴, also 兰州, identity verified too
    Verification.objects.update_or_create(user=w["attacker"], kind=verification.kind,
                                          defaults={"status": Verification.Status.PASSED})
    staff = {}
    for code in ("C6205", "EA6205", "D620502", "RP620501", "U10731"):
        office = Office.objects.get(code=code)
        user = User.objects.create(username=f"idor-{code}", kind=User.Kind.STAFF, exam_type="", real_name="测试")
        StaffMember.objects.create(user=user, office=office, role=StaffMember.Role.REVIEWER)
        staff[code] = user
    w["staff"] = staff
    return w


# URL name → (kwargs from the world, methods). Every candidate URL is requested by 王雅琴 for 张浩然's
# (or another candidate's) object.
CANDIDATE_URLS = {
    "identity:photo": lambda w: {"token": w["photo_token"]},
    "payments:order_detail": lambda w: {"number": w["order"]},
    "payments:order_pay": lambda w: {"number": w["pending_order"]},
    "payments:order_sync": lambda w: {"number": w["pending_order"]},
    "payments:order_cancel": lambda w: {"number": w["pending_order"]},
    "payments:order_refund_request": lambda w: {"number": w["order"]},
    "records:review_detail": lambda w: {"number": w["review"].number},
    "records:review_upload": lambda w: {"number": w["review"].number},
    "records:review_form_pdf": lambda w: {"number": w["review"].number},
    "workflow:detail": lambda w: {"number": w["within"].number},
    "workflow:withdraw": lambda w: {"number": w["within"].number},
    "workflow:attachment": lambda w: {"number": w["within"].number, "pk": w["attachment"]},
    "transfers:within_detail": lambda w: {"number": w["within"].number},
    "transfers:within_edit": lambda w: {"number": w["within"].number},
    "transfers:within_preview": lambda w: {"number": w["within"].number},
    "transfers:within_print": lambda w: {"number": w["within"].number},
    "transfers:out_detail": lambda w: {"number": w["out"].number},
    "transfers:out_edit": lambda w: {"number": w["out"].number},
    "transfers:out_delete": lambda w: {"number": w["out"].number},
    "transfers:out_pay": lambda w: {"number": w["out"].number},
    "transfers:out_submit": lambda w: {"number": w["out"].number},
    "transfers:out_submit_confirm": lambda w: {"number": w["out"].number},
    "transfers:out_form_pdf": lambda w: {"number": w["out"].number},
    "transfers:in_detail": lambda w: {"number": w["incoming"].number},
    "transfers:in_confirm": lambda w: {"number": w["incoming"].number},
    "transfers:in_confirm_done": lambda w: {"number": w["incoming"].number},
    "transfers:in_form_pdf": lambda w: {"number": w["incoming"].number},
    "exemptions:exemption_detail": lambda w: {"number": w["exemption"].number},
    "exemptions:exemption_edit": lambda w: {"number": w["exemption"].number},
    "exemptions:exemption_preview": lambda w: {"number": w["exemption"].number},
    "exemptions:exemption_print": lambda w: {"number": w["exemption"].number},
    **{f"theses:thesis_{page}": lambda w: {"number": w["thesis"].number}
       for page in ("detail", "edit", "preview", "print")},
    **{f"graduation:certificate_{page}": lambda w: {"number": w["certificate"].number}
       for page in ("detail", "edit", "preview", "print", "pdf")},
    "practicals:registration_detail": lambda w: {"number": w["practical"].number},
    "practicals:registration_pay": lambda w: {"number": w["practical"].number},
    "practicals:registration_delete": lambda w: {"number": w["practical"].number},
    **{f"graduation:application_{page}": lambda w: {"number": w["graduation"].number}
       for page in ("detail", "edit", "preview", "degree", "register", "form_pdf", "confirm", "dispute")},
    "signatures:desktop": lambda w: {"token": w["signature"]},
    "signatures:status": lambda w: {"token": w["signature"]},
    "signatures:renew": lambda w: {"token": w["signature"]},
    "signatures:image": lambda w: {"token": w["signature"]},
}

# Staff URLs: requested by staff of every office kind in 天水 and by another university for a 兰州 object
# or a province-level one.
STAFF_URLS = {
    "backoffice:filing_staff:detail": lambda w: {"pk": w["filing"]},
    "backoffice:filing_staff:photo": lambda w: {"pk": w["filing"]},
    "backoffice:records_staff:detail": lambda w: {"pk": w["score_import"]},
    "backoffice:records_staff:status": lambda w: {"pk": w["score_import"]},
    "backoffice:records_staff:error_report": lambda w: {"pk": w["score_import"]},
    "backoffice:records_staff:publication": lambda w: {"sitting_pk": w["sitting"]},
    "backoffice:records_staff:review_result": lambda w: {"pk": w["review"].pk},
    "backoffice:records_staff:review_form_pdf": lambda w: {"pk": w["review"].pk},
    "backoffice:workflow_staff:detail": lambda w: {"pk": w["within"].pk},
    "backoffice:workflow_staff:attachment": lambda w: {"pk": w["within"].pk, "attachment_pk": w["attachment"]},
    "backoffice:transfers_staff:out_dossier": lambda w: {"pk": w["out"].pk},
    "backoffice:transfers_staff:out_form_pdf": lambda w: {"pk": w["out"].pk},
    "backoffice:transfers_staff:out_package": lambda w: {"pk": w["out"].pk},
    "backoffice:transfers_staff:out_package_download": lambda w: {"pk": w["out"].pk},
    "backoffice:transfers_staff:in_detail": lambda w: {"pk": w["incoming"].pk},
    "backoffice:transfers_staff:in_receive": lambda w: {"pk": w["incoming"].pk},
    "backoffice:transfers_staff:in_void": lambda w: {"pk": w["incoming"].pk},
    "backoffice:candidate_detail": lambda w: {"pk": w["candidate"]},
    "backoffice:candidate_merge": lambda w: {"pk": w["candidate"]},
    "backoffice:candidate_id_correction": lambda w: {"pk": w["candidate"]},
    "backoffice:identity_review_detail": lambda w: {"pk": w["verification"]},
    "backoffice:identity_review_photo": lambda w: {"token": w["photo_token"]},
    "backoffice:payments_staff:refund_detail": lambda w: {"number": w["refund"]},
    "backoffice:payments_staff:order_detail": lambda w: {"number": w["order"]},
    "backoffice:payments_staff:issue_resolve": lambda w: {"pk": w["issue"]},
    "backoffice:documents_staff:verify": lambda w: {"token": w["ticket_token"]},
    "backoffice:documents_staff:verify_photo": lambda w: {"token": w["ticket_token"]},
    "backoffice:documents_staff:batch_status": lambda w: {"pk": w["batch"]},
    "backoffice:documents_staff:batch_download": lambda w: {"pk": w["batch"]},
    "backoffice:upgrade_staff:detail": lambda w: {"pk": w["upgrade"]},
    "backoffice:upgrade_staff:document": lambda w: {"pk": w["upgrade"], "kind": "form"},
    "backoffice:upgrade_staff:unlock": lambda w: {"pk": w["upgrade_report"]},
    "backoffice:upgrade_staff:admission_results": lambda w: {"pk": w["admission"]},
    "backoffice:exams_staff:run_status": lambda w: {"pk": w["run"]},
    "backoffice:exams_staff:room_list": lambda w: {"pk": w["room"], "session_pk": w["session"]},
    "backoffice:exams_staff:room_pdf": lambda w: {"pk": w["room"], "session_pk": w["session"], "kind": "list"},
    "backoffice:exams_staff:site_detail": lambda w: {"pk": w["site"]},
    "backoffice:exams_staff:site_edit": lambda w: {"pk": w["site"]},
    "backoffice:exams_staff:room_add": lambda w: {"site_pk": w["site"]},
    "backoffice:exams_staff:room_edit": lambda w: {"pk": w["room"]},
    "appeals_staff:video": lambda w: {"pk": w["appeal"]},
    "backoffice:graduation_staff:detail": lambda w: {"pk": w["eligibility_run"]},
    "backoffice:graduation_staff:status": lambda w: {"pk": w["eligibility_run"]},
    "backoffice:graduation_staff:export": lambda w: {"pk": w["eligibility_run"]},
    "backoffice:theses_staff:accept": lambda w: {"pk": w["thesis"].pk},
    "backoffice:theses_staff:result": lambda w: {"pk": w["thesis"].pk},
    "backoffice:practicals_staff:result": lambda w: {"pk": w["practical_item"]},
    "backoffice:graduation_staff:application_photo": lambda w: {"pk": w["graduation"].pk},
    "backoffice:graduation_staff:application_form_pdf": lambda w: {"pk": w["graduation"].pk},
}


def test_every_object_url_is_swept():
    swept = set(CANDIDATE_URLS) | set(STAFF_URLS) | set(NOT_OBJECTS)
    missing = sorted(name for name in _object_patterns()
                     if name not in swept and not name.startswith(NOT_OBJECTS_PREFIXES))
    assert missing == [], f"URL patterns naming an object that the IDOR sweep does not request: {missing}"
    stale = sorted(swept - _object_patterns())
    assert stale == [], f"swept names that are no longer URL patterns: {stale}"


CATALOG_CHANGES = {
    "backoffice:catalog_staff:major_edit": lambda w: {"pk": w["major"]},
    "backoffice:catalog_staff:plan_course_remove": lambda w: {"pk": w["plan_course"]},
    "backoffice:catalog_staff:sitting_edit": lambda w: {"pk": w["sitting"]},
    "backoffice:catalog_staff:session_delete": lambda w: {"pk": w["session"]},
    "backoffice:catalog_staff:window_delete": lambda w: {"pk": w["window"]},
    "backoffice:catalog_staff:announcement_delete": lambda w: {"pk": w["announcement"]},
    "backoffice:exemptions_staff:edit": lambda w: {"pk": w["exemption_rule"]},
    "backoffice:exemptions_staff:delete": lambda w: {"pk": w["exemption_rule"]},
}


def _request(client, method, url):
    return client.get(url) if method == "get" else client.post(url, {})


def test_another_candidates_objects_answer_404(world, client):
    client.force_login(world["attacker"])
    wrong = []
    for name, kwargs in CANDIDATE_URLS.items():
        url = reverse(name, kwargs=kwargs(world))
        for method in ("get", "post"):
            response = _request(client, method, url)
            if response.status_code not in (404, 405):
                wrong.append((name, method, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


def test_the_owner_reaches_his_own_objects(world, client):
    """The sweep's objects are real: their owner is not refused (so a 404 above is about ownership)."""
    client.force_login(world["victim"])
    reached = {}
    for name in ("identity:photo", "payments:order_detail", "records:review_detail", "transfers:in_detail",
                 "signatures:image", "exemptions:exemption_detail", "practicals:registration_detail",
                 "graduation:certificate_detail", "graduation:certificate_pdf",
                 "theses:thesis_detail"):
        reached[name] = client.get(reverse(name, kwargs=CANDIDATE_URLS[name](world))).status_code
    assert reached == dict.fromkeys(reached, 200)


@pytest.mark.parametrize("office", ["C6205", "EA6205", "D620502", "RP620501", "U10731"])
def test_another_jurisdictions_objects_answer_404(world, client, office):
    client.force_login(world["staff"][office])
    wrong = []
    for name, kwargs in STAFF_URLS.items():
        url = reverse(name, kwargs=kwargs(world))
        for method in ("get", "post"):
            response = _request(client, method, url)
            if response.status_code not in (404, 405):
                wrong.append((name, method, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


def test_province_staff_reach_the_swept_objects(world, client):
    """The sweep's staff objects exist: the office that owns each is not refused with 404."""
    refused = []
    for username, name in (("gs-reviewer", "backoffice:candidate_detail"),
                           ("lz-city", "backoffice:workflow_staff:detail"),
                           ("gs-reviewer", "backoffice:transfers_staff:in_detail"),
                           ("gs-reviewer", "backoffice:filing_staff:detail"),
                           ("gs-reviewer", "backoffice:payments_staff:order_detail"),
                           ("lz-area", "backoffice:documents_staff:verify"),
                           ("cg-district", "backoffice:documents_staff:verify_photo"),
                           ("gs-reviewer", "backoffice:graduation_staff:detail")):
        client.force_login(User.objects.get(username=username))
        status = client.get(reverse(name, kwargs=STAFF_URLS[name](world))).status_code
        if status == 404:
            refused.append(name)
    assert refused == []


def test_catalog_changes_need_the_province_authority(world, client):
    from kaowu.audit.models import AuditEvent

    client.force_login(world["staff"]["C6205"])
    from kaowu.exemptions.models import ExemptionRule

    rule = ExemptionRule.objects.get(pk=world["exemption_rule"])
    before = (PlanCourse.objects.count(), SittingSession.objects.count(), BusinessWindow.objects.count(),
              Announcement.objects.count(), AuditEvent.objects.count(), ExemptionRule.objects.count())
    statuses = {name: client.post(reverse(name, kwargs=kwargs(world)), {"name": "改"}).status_code
                for name, kwargs in CATALOG_CHANGES.items()}
    assert set(statuses.values()) <= {302, 403, 404}
    assert (PlanCourse.objects.count(), SittingSession.objects.count(), BusinessWindow.objects.count(),
            Announcement.objects.count(), AuditEvent.objects.count(), ExemptionRule.objects.count()) == before
    rule.refresh_from_db()
    assert rule.certificate == "专科及以上学历"
