"""考籍转出 (seeds 000, 002, 003): 保存 → 待缴费 (order) → 缴费 → 待提交 → 扫码签字 + 提交 → 审核中
(市考办 → 省级考试机构) → 审核通过 → 寄档 → 已完成; 删除 only while unpaid; the 转出登记表."""

import base64
import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.catalog.tests.factories import CourseFactory
from kaowu.organization.models import Office, Region
from kaowu.organization.services import province_configure
from kaowu.payments.devgateway import gateway
from kaowu.payments.models import Order
from kaowu.payments.services import order_pay_start
from kaowu.records.models import PassedCourse
from kaowu.signatures.services import signature_request_create, signature_submit
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory
from kaowu.transfers import services
from kaowu.transfers.models import DossierDispatch
from kaowu.transfers.out import (
    ALL_STATUSES,
    CODE,
    COMPLETED,
    FLOW,
    PENDING_PAYMENT,
    TO_SUBMIT,
    signature_content,
    signature_subject,
)
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application, ApplicationTransition
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

Kind = BusinessWindow.Kind


# --- the world ------------------------------------------------------------------------------------

@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def block():
        return django_capture_on_commit_callbacks(execute=True)
    return block


@pytest.fixture
def world(gansu):
    qinghai = province_configure(region_code="630000", authority_name="青海省教育招生考试院",
                                 platform_name="青海省自学考试考生服务平台", logo_text="青", hotline="0971-8888888",
                                 address="青海省西宁市城西区五四西路", postcode="810008", is_home=False,
                                 runs_kaowu=False)
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    past = ExamSitting.objects.create(code="2026-10", name="2026年10月",
                                      score_publication_at=timezone.now() - datetime.timedelta(days=30))
    lanzhou = Region.objects.get(code="620100")
    offices = {
        "area": OfficeFactory(kind=Office.Kind.EXAM_AREA, code="EA6201", name="兰州市考区", region=lanzhou),
        "city": OfficeFactory(kind=Office.Kind.CITY_OFFICE, code="C6201", name="兰州市教育考试院", region=lanzhou),
        "province": OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, code="P62", name="甘肃省教育考试院",
                                  region=Region.objects.get(code="620000")),
    }
    staff = {key: StaffMemberFactory(office=office) for key, office in offices.items()}
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="王晓燕")
    exam_number = ExamNumberFactory(candidate=candidate, exam_area=offices["area"], number="010219100023",
                                    major_name="会计学")
    english = CourseFactory(code="00015", name="英语（二）", credits=14)
    history = CourseFactory(code="03708", name="中国近现代史纲要", credits=2)
    PassedCourse.objects.create(candidate=candidate, course=english, score=Decimal("72"), sitting=past,
                                passed_on=datetime.date(2026, 11, 20))
    PassedCourse.objects.create(candidate=candidate, course=history, score=Decimal("65.5"),
                                source=PassedCourse.Source.TRANSFER_IN, passed_on=datetime.date(2025, 6, 1))
    now = timezone.now()
    window = BusinessWindow.objects.create(kind=Kind.TRANSFER_OUT, sitting=sitting,
                                           starts_at=now - datetime.timedelta(days=1),
                                           ends_at=now + datetime.timedelta(days=14))
    return {"qinghai": qinghai, "sitting": sitting, "offices": offices, "staff": staff, "candidate": candidate,
            "exam_number": exam_number, "window": window}


def form_data(world, **extra) -> dict:
    from kaowu.transfers.out import profile_of, transferable_courses

    candidate = world["candidate"]
    courses = transferable_courses(candidate)
    chosen = extra.pop("codes", None)
    if chosen is not None:
        courses = [c for c in courses if c["code"] in chosen]
    data = {"profile": profile_of(candidate, world["exam_number"]), "to_province": "630000",
            "to_province_name": "青海省", "to_province_runs_kaowu": False,
            "receiving_authority": "青海省教育招生考试院", "mailing_address": "青海省西宁市城西区五四西路",
            "postcode": "810008", "contact_phone": "0971-8888888", "courses": courses,
            "credits_total": sum(c["credits"] for c in courses)}
    data.update(extra)
    return data


def saved(world, **extra) -> Application:
    candidate = world["candidate"]
    return services.transfer_out_save(actor=candidate.user, candidate=candidate, exam_number=world["exam_number"],
                                      data=form_data(world, **extra))


def order_of(application, status=None) -> Order:
    orders = Order.objects.filter(purpose=Order.Purpose.TRANSFER_OUT, reference=application.number)
    return orders.get(status=status) if status else orders.get()


@pytest.fixture
def pay(committed):
    def pay_order(order: Order) -> Order:
        order_pay_start(order=order, channel="wechat")
        trade_no = gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no
        with committed():
            gateway.trade_pay(trade_no=trade_no, notify_mode="normal", delay_seconds=0)
        order.refresh_from_db()
        return order
    return pay_order


def drawing() -> str:
    image = Image.new("RGBA", (600, 220), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(40, 150), (120, 60), (200, 160), (300, 70), (420, 150)], fill=(17, 24, 39, 255),
                               width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def sign(application, *, content=None, version=None):
    application.refresh_from_db()
    request = signature_request_create(
        user=application.applicant, purpose="考籍转出申请", subject=signature_subject(application),
        version=version or application.current_version.number,
        content=content if content is not None else signature_content(application), return_url="/")
    return signature_submit(token=request.token, image_data_url=drawing())


@pytest.fixture
def paid(world, pay):
    def make() -> Application:
        application = saved(world)
        pay(order_of(application))
        application.refresh_from_db()
        return application
    return make


@pytest.fixture
def reviewing(world, paid):
    def make() -> Application:
        application = paid()
        sign(application)
        return services.transfer_out_submit(application=application, actor=application.applicant)
    return make


def approved_by_both(world, application) -> Application:
    workflow.application_approve(application=application, staff=world["staff"]["city"])
    return workflow.application_approve(application=application, staff=world["staff"]["province"])


# --- the flow as written down -----------------------------------------------------------------------

def test_the_flow_is_the_documented_one():
    allowed = {(a, b) for a, b in itertools.product(ALL_STATUSES, ALL_STATUSES) if FLOW.allowed(a, b)}
    assert allowed == {
        (PENDING_PAYMENT, TO_SUBMIT),
        (TO_SUBMIT, "reviewing"), (TO_SUBMIT, "withdrawn"),
        ("reviewing", "reviewing"), ("reviewing", "approved"), ("reviewing", "rejected"),
        ("reviewing", "returned"), ("reviewing", "withdrawn"),
        ("returned", "reviewing"), ("returned", "withdrawn"),
        ("approved", COMPLETED),
    }


def _force(application, status, office=None):
    Application.objects.filter(pk=application.pk).update(status=status, current_step=0, reviewing_office=office)
    application.refresh_from_db()
    return application


def _attempt(target, application, world):
    candidate, staff = world["candidate"], world["staff"]
    if target == TO_SUBMIT:
        return workflow.application_advance(application=application, to=TO_SUBMIT, action="缴费")
    if target == Status.REVIEWING:
        if application.status == Status.REVIEWING:
            return workflow.application_approve(application=application, staff=staff["city"])
        sign(application)
        return services.transfer_out_submit(application=application, actor=candidate.user)
    if target == Status.APPROVED:
        return workflow.application_approve(application=application, staff=staff["city"])
    if target == Status.REJECTED:
        return workflow.application_reject(application=application, staff=staff["city"], reason="材料不全")
    if target == Status.RETURNED:
        return workflow.application_return(application=application, staff=staff["city"], reason="请核对地址")
    if target == Status.WITHDRAWN:
        return workflow.application_withdraw(application=application, actor=candidate.user)
    if target == COMPLETED:
        return services.transfer_out_dossier_send(application=application, staff=staff["province"],
                                                  carrier="EMS", tracking_number="1100000000001",
                                                  mailed_on=timezone.localdate())
    if target == PENDING_PAYMENT:  # nothing moves an application back to 待缴费
        return workflow.application_advance(application=application, to=PENDING_PAYMENT, actor=None)
    raise AssertionError(target)


# The last step of the chain approves to 审核通过; put the 审核中 application there for that pair.
ILLEGAL = [(a, b) for a, b in itertools.product(ALL_STATUSES, ALL_STATUSES) if not FLOW.allowed(a, b)]


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_an_illegal_transition_is_refused(current, target, world):
    application = saved(world)
    office = world["offices"]["city"] if current == Status.REVIEWING else None
    application = _force(application, current, office)
    before = ApplicationTransition.objects.filter(application=application).count()
    with pytest.raises(WorkflowError) as refused:
        _attempt(target, application, world)
    assert "不能" in refused.value.message or "队列" in refused.value.message
    application.refresh_from_db()
    assert application.status == current
    assert ApplicationTransition.objects.filter(application=application).count() == before


# --- 保存, 缴费, 删除 ---------------------------------------------------------------------------------

def test_saving_makes_the_application_unpaid_with_its_order(world, settings):
    settings.KAOWU_TRANSFER_OUT_FEE = "50.00"
    application = saved(world)
    assert application.status == PENDING_PAYMENT and application.type_code == CODE
    order = order_of(application)
    assert order.status == Order.Status.PENDING and order.amount == Decimal("50.00")
    assert [i.description for i in order.items.all()] == ["考籍转出手续费"]
    assert order.user == world["candidate"].user
    assert [c["code"] for c in application.data["courses"]] == ["00015", "03708"]
    assert application.data["courses"][0] == {"code": "00015", "name": "英语（二）", "credits": 14, "score": "72",
                                              "sitting": "2026年10月", "source": "考试合格"}
    assert application.data["profile"]["id_number_masked"].count("*") == 10


def test_a_second_transfer_out_is_refused_while_one_is_in_progress(world):
    saved(world)
    with pytest.raises(WorkflowError, match="正在办理"):
        saved(world)


def test_modifying_an_unpaid_application_keeps_its_one_order(world):
    application = saved(world)
    candidate = world["candidate"]
    services.transfer_out_save(actor=candidate.user, candidate=candidate, exam_number=world["exam_number"],
                               data=form_data(world, codes={"00015"}), application=application)
    application.refresh_from_db()
    assert [c["code"] for c in application.data["courses"]] == ["00015"]
    assert Order.objects.filter(reference=application.number).count() == 1


def test_paying_moves_it_to_to_submit_once(world, pay, committed):
    application = saved(world)
    order = pay(order_of(application))
    application.refresh_from_db()
    assert application.status == TO_SUBMIT
    with committed():
        services.transfer_out_order_paid(order)  # told twice: nothing more happens
    assert application.transitions.filter(to_status=TO_SUBMIT).count() == 1
    row = application.transitions.get(to_status=TO_SUBMIT)
    assert row.actor_id is None


def test_the_candidate_may_delete_an_unpaid_application_and_its_order_is_cancelled(world):
    application = saved(world)
    order = order_of(application)
    services.transfer_out_delete(application=application, actor=world["candidate"].user)
    assert not Application.objects.filter(pk=application.pk).exists()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_candidate_cannot_delete_a_paid_transfer(world, paid):
    application = paid()
    with pytest.raises(WorkflowError, match="不能删除"):
        services.transfer_out_delete(application=application, actor=world["candidate"].user)
    assert Application.objects.filter(pk=application.pk).exists()


def test_an_order_paid_at_the_gateway_stops_the_deletion(world, committed):
    application = saved(world)
    order = order_of(application)
    order_pay_start(order=order, channel="wechat")
    trade_no = gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no
    gateway.trade_pay(trade_no=trade_no, notify_mode="lost", delay_seconds=0)  # the platform was not told
    with committed(), pytest.raises(WorkflowError, match="已缴纳"):
        services.transfer_out_delete(application=application, actor=world["candidate"].user)
    application.refresh_from_db()
    assert application.status == TO_SUBMIT  # the deletion asked the gateway, and learnt of the payment


def test_another_candidate_cannot_delete_it(world):
    application = saved(world)
    other = CandidateFactory()
    with pytest.raises(WorkflowError):
        services.transfer_out_delete(application=application, actor=other.user)


def test_an_expired_order_is_replaced_when_the_candidate_goes_to_pay(world):
    application = saved(world)
    Order.objects.filter(reference=application.number).update(status=Order.Status.EXPIRED)
    order = services.transfer_out_order(application=application, actor=world["candidate"].user)
    assert order.status == Order.Status.PENDING and order.reference == application.number


# --- 提交 with the signature ----------------------------------------------------------------------

def test_submitting_without_a_signature_is_refused(world, paid):
    application = paid()
    with pytest.raises(WorkflowError, match="扫码签字"):
        services.transfer_out_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == TO_SUBMIT


def test_submitting_unpaid_is_refused(world):
    application = saved(world)
    sign(application)
    with pytest.raises(WorkflowError, match="待缴费"):
        services.transfer_out_submit(application=application, actor=application.applicant)


def test_a_signature_of_other_content_does_not_count(world, paid):
    application = paid()
    sign(application, content=signature_content(application) + "\n另加一行")
    with pytest.raises(WorkflowError, match="扫码签字"):
        services.transfer_out_submit(application=application, actor=application.applicant)


def test_a_change_after_signing_needs_a_new_signature(world, paid):
    application = paid()
    sign(application)
    candidate = world["candidate"]
    services.transfer_out_save(actor=candidate.user, candidate=candidate, exam_number=world["exam_number"],
                               data=form_data(world, codes={"00015"}), application=application)
    application.refresh_from_db()
    assert application.status == TO_SUBMIT  # the fee stays paid
    with pytest.raises(WorkflowError, match="扫码签字"):
        services.transfer_out_submit(application=application, actor=application.applicant)
    sign(application)
    services.transfer_out_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == Status.REVIEWING


def test_a_signature_of_an_older_version_does_not_count(world, reviewing):
    application = reviewing()
    workflow.application_return(application=application, staff=world["staff"]["city"], reason="请核对邮寄地址")
    candidate = world["candidate"]
    services.transfer_out_save(actor=candidate.user, candidate=candidate, exam_number=world["exam_number"],
                               data=form_data(world, mailing_address="青海省西宁市城中区某路1号"),
                               application=application)
    application.refresh_from_db()
    assert application.current_version.number == 2
    # version 1's signature of the same text is no signature of version 2
    sign(application, version=1, content=signature_content(application))
    with pytest.raises(WorkflowError, match="扫码签字"):
        services.transfer_out_submit(application=application, actor=application.applicant)
    sign(application)
    services.transfer_out_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == Status.REVIEWING and application.current_step == 0


def test_submitting_enters_the_queue_of_the_candidates_city_office(world, reviewing):
    application = reviewing()
    assert application.status == Status.REVIEWING
    assert application.reviewing_office == world["offices"]["city"]
    assert application.current_version.is_frozen


# --- review, 寄档, 已完成 -------------------------------------------------------------------------

def test_the_city_office_then_the_province_authority_approve(world, reviewing):
    application = reviewing()
    with pytest.raises(WorkflowError, match="队列"):
        workflow.application_approve(application=application, staff=world["staff"]["province"])
    application = workflow.application_approve(application=application, staff=world["staff"]["city"])
    assert application.status == Status.REVIEWING and application.reviewing_office == world["offices"]["province"]
    application = workflow.application_approve(application=application, staff=world["staff"]["province"])
    assert application.status == Status.APPROVED
    offices = list(application.transitions.exclude(actor_office=None).values_list("actor_office__code", flat=True))
    assert offices == ["C6201", "P62"]


def test_mailing_completes_the_transfer(world, reviewing):
    application = approved_by_both(world, reviewing())
    with pytest.raises(WorkflowError, match="省级考试机构"):
        services.transfer_out_dossier_send(application=application, staff=world["staff"]["city"], carrier="EMS",
                                           tracking_number="1", mailed_on=timezone.localdate())
    with pytest.raises(WorkflowError, match="晚于今天"):
        services.transfer_out_dossier_send(application=application, staff=world["staff"]["province"],
                                           carrier="EMS", tracking_number="1",
                                           mailed_on=timezone.localdate() + datetime.timedelta(days=1))
    application = services.transfer_out_dossier_send(application=application, staff=world["staff"]["province"],
                                                     carrier="中国邮政EMS", tracking_number="1100123456789",
                                                     mailed_on=timezone.localdate())
    assert application.status == COMPLETED and application.decided_at is not None
    mailing = DossierDispatch.objects.get(application=application)
    assert mailing.tracking_number == "1100123456789" and mailing.office == world["offices"]["province"]
    assert application.status_label == "已完成"
    assert "1100123456789" in application.transitions.get(to_status=COMPLETED).comment


def test_the_candidate_sees_the_tracking_number(world, reviewing, client):
    application = approved_by_both(world, reviewing())
    services.transfer_out_dossier_send(application=application, staff=world["staff"]["province"],
                                       carrier="中国邮政EMS", tracking_number="1100123456789",
                                       mailed_on=timezone.localdate())
    client.force_login(world["candidate"].user)
    page = client.get(reverse("transfers:out_detail", args=[application.number])).content.decode()
    assert "1100123456789" in page and "已完成" in page


# --- the window -----------------------------------------------------------------------------------

def test_a_closed_window_refuses_saving_and_submitting(world, paid):
    application = paid()
    sign(application)
    BusinessWindow.objects.filter(pk=world["window"].pk).update(ends_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(WorkflowError, match="不在办理时间内"):
        services.transfer_out_submit(application=application, actor=application.applicant)
    candidate = world["candidate"]
    with pytest.raises(WorkflowError, match="不在办理时间内"):
        services.transfer_out_save(actor=candidate.user, candidate=candidate, exam_number=world["exam_number"],
                                   data=form_data(world), application=application)
    Application.objects.filter(pk=application.pk).update(status=Status.WITHDRAWN)
    with pytest.raises(WorkflowError, match="不在办理时间内"):
        saved(world)


def test_the_general_transfer_window_counts_when_no_split_one_is_set(world):
    BusinessWindow.objects.filter(pk=world["window"].pk).update(kind=Kind.TRANSFER)
    assert saved(world).status == PENDING_PAYMENT


# --- pages ----------------------------------------------------------------------------------------

def test_the_form_is_prefilled_and_saving_goes_through_the_preview(world, client):
    client.force_login(world["candidate"].user)
    page = client.get(reverse("transfers:out_apply")).content.decode()
    assert "00015" in page and "英语（二）" in page and "010219100023" in page and "青海省" in page
    post = {"to_province": "630000", "receiving_authority": "", "mailing_address": "", "postcode": "",
            "contact_phone": "0971-8888888", "courses": ["00015"], "agree": "on"}
    preview = client.post(reverse("transfers:out_apply"), {**post, "step": "preview"})
    assert preview.status_code == 200 and "确认考籍转出信息" in preview.content.decode()
    assert not Application.objects.exists()
    response = client.post(reverse("transfers:out_apply"), {**post, "step": "save"})
    assert response.status_code == 302 and response["Location"] == reverse("transfers:out")
    application = Application.objects.get()
    assert application.data["receiving_authority"] == "青海省教育招生考试院"  # the province's default
    assert [c["code"] for c in application.data["courses"]] == ["00015"]
    listing = client.get(reverse("transfers:out")).content.decode()
    assert "待缴费" in listing and "去缴费" in listing and "删除" in listing
    pay = client.post(reverse("transfers:out_pay", args=[application.number]))
    assert pay["Location"] == reverse("payments:order_detail", args=[order_of(application).number])


def test_the_submit_page_shows_the_text_and_goes_to_the_signature_page(world, paid, client):
    application = paid()
    client.force_login(world["candidate"].user)
    page = client.get(reverse("transfers:out_submit", args=[application.number])).content.decode()
    assert "生成二维码进行签名" in page and "00015 英语（二）" in page
    response = client.post(reverse("transfers:out_submit", args=[application.number]))
    assert response["Location"].startswith("/signatures/")
    refused = client.get(reverse("transfers:out_submit_confirm", args=[application.number]))
    assert refused["Location"] == reverse("transfers:out_submit", args=[application.number])
    sign(application)
    done = client.get(reverse("transfers:out_submit_confirm", args=[application.number]))
    assert done["Location"] == reverse("transfers:out_detail", args=[application.number])
    application.refresh_from_db()
    assert application.status == Status.REVIEWING


def test_staff_record_mailing_on_the_detail_page(world, reviewing, client):
    application = approved_by_both(world, reviewing())
    client.force_login(world["staff"]["province"].user)
    detail = client.get(reverse("backoffice:workflow_staff:detail", args=[application.pk])).content.decode()
    assert "登记寄档" in detail
    client.post(reverse("backoffice:transfers_staff:out_dossier", args=[application.pk]),
                {"carrier": "中国邮政EMS", "tracking_number": "1100123456789",
                 "mailed_on": timezone.localdate().isoformat()})
    application.refresh_from_db()
    assert application.status == COMPLETED


# --- 转出登记表 -----------------------------------------------------------------------------------

def test_the_registration_form_pdf_has_the_font_courses_signature_and_approvals(world, reviewing, client):
    from pypdf import PdfReader

    application = approved_by_both(world, reviewing())
    client.force_login(world["candidate"].user)
    response = client.get(reverse("transfers:out_form_pdf", args=[application.number]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("考籍转出登记表", "00015", "英语（二）", "03708", "青海省", "兰州市教育考试院", "甘肃省教育考试院"):
        assert expected in text, expected
    fonts = str(reader.pages[0]["/Resources"]["/Font"].get_object())
    assert "WenQuanYi" in "".join(str(f.get_object()["/BaseFont"]) for f in
                                  reader.pages[0]["/Resources"]["/Font"].get_object().values()), fonts
    assert reader.pages[0]["/Resources"].get("/XObject")  # the signature image
    client.force_login(world["staff"]["province"].user)
    staff = client.get(reverse("backoffice:transfers_staff:out_form_pdf", args=[application.pk]))
    assert staff.status_code == 200 and staff.content.startswith(b"%PDF")


def test_another_candidate_cannot_open_it(world, client):
    application = saved(world)
    client.force_login(CandidateFactory().user)
    assert client.get(reverse("transfers:out_detail", args=[application.number])).status_code == 404
    assert client.get(reverse("transfers:out_form_pdf", args=[application.number])).status_code == 404


# --- 撤回 of a paid application refunds the fee ------------------------------------------------------

@pytest.mark.parametrize("where", ["to_submit", "reviewing", "returned"])
def test_withdrawing_a_paid_application_refunds_the_fee(where, world, paid, committed):
    from kaowu.payments.models import Refund

    application = paid()
    if where != TO_SUBMIT:
        sign(application)
        application = services.transfer_out_submit(application=application, actor=application.applicant)
    if where == Status.RETURNED:
        application = workflow.application_return(application=application, staff=world["staff"]["city"],
                                                  reason="请核对地址")
    with committed():
        workflow.application_withdraw(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    refund = Refund.objects.get(order=order_of(application))
    assert refund.amount == order_of(application).amount and refund.reason == "撤回考籍转出申请，退还手续费"
    assert refund.status == Refund.Status.REFUNDED
    assert order_of(application).status == Order.Status.REFUNDED


def test_withdrawing_is_not_a_refund_when_nothing_was_paid(world):
    from kaowu.payments.models import Refund

    application = saved(world)
    Application.objects.filter(pk=application.pk).update(status=TO_SUBMIT)  # e.g. a fee waived by staff
    application.refresh_from_db()
    workflow.application_withdraw(application=application, actor=application.applicant)
    assert not Refund.objects.exists()


def test_the_staff_queue_filters_by_the_transfer_out_statuses(world, reviewing, client):
    application = approved_by_both(world, reviewing())
    services.transfer_out_dossier_send(application=application, staff=world["staff"]["province"],
                                       carrier="EMS", tracking_number="1100000000001", mailed_on=timezone.localdate())
    client.force_login(world["staff"]["province"].user)
    queue = reverse("backoffice:workflow_staff:queue")
    completed = client.get(queue, {"tab": "all", "status": COMPLETED}).content.decode()
    assert application.number in completed
    for label in ("待缴费", "待提交", "已完成"):
        assert f">{label}</option>" in completed, label
    unpaid = client.get(queue, {"tab": "all", "status": PENDING_PAYMENT}).content.decode()
    assert application.number not in unpaid
