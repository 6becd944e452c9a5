"""考籍转入 (seeds 000, 003) and the two-province electronic transfer (issue 5 item 6): 待确认 →
确认转入 (扫码签字) → 已确认 → 接收档案 → 已接收, scores joining the record as 转入成绩; the signed
package exported by the source and verified at import by the destination."""

import datetime
import itertools
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from kaowu.catalog.tests.factories import CourseFactory
from kaowu.notifications.models import InboxMessage
from kaowu.organization.models import Office, Province, Region
from kaowu.organization.services import province_configure
from kaowu.records.models import PassedCourse
from kaowu.signatures.services import signature_request_create, signature_submit
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory
from kaowu.transfers import package as packages
from kaowu.transfers import services_in
from kaowu.transfers.incoming import FLOW, signature_content, signature_subject
from kaowu.transfers.models import DossierDispatch, IncomingCourse, IncomingTransfer, IncomingTransition
from kaowu.transfers.out import COMPLETED
from kaowu.transfers.services_in import TransferInError

from .test_out import approved_by_both, drawing

S = IncomingTransfer.Status


def verified(user):
    from kaowu.identity.models import Verification

    return Verification.objects.create(user=user, kind=Verification.Kind.TWO_PHOTOS,
                                       status=Verification.Status.PASSED)


@pytest.fixture(autouse=True)
def transfer_in_window_open(db):
    """确认转入 happens inside the 省际转入 window (seed 003: 在规定时间); open for these tests unless a test
    closes it."""
    from kaowu.catalog.models import BusinessWindow

    return BusinessWindow.objects.create(kind=BusinessWindow.Kind.TRANSFER_IN, sitting=None,
                                         starts_at=timezone.now() - datetime.timedelta(days=1),
                                         ends_at=timezone.now() + datetime.timedelta(days=14))


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.KAOWU_TRANSFER_SIGNING_KEY = str(tmp_path / "home.pem")
    return tmp_path


@pytest.fixture
def here(gansu):
    """The destination's side at home (甘肃): the province authority, a city office, 青海 as a source."""
    qinghai = province_configure(region_code="630000", authority_name="青海省教育招生考试院",
                                 platform_name="青海省自学考试考生服务平台", logo_text="青", hotline="0971-8888888",
                                 is_home=False, runs_kaowu=False)
    authority = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, code="P62", name="甘肃省教育考试院",
                              region=Region.objects.get(code="620000"))
    city = OfficeFactory(kind=Office.Kind.CITY_OFFICE, code="C6201", name="兰州市教育考试院",
                         region=Region.objects.get(code="620100"))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="李明")
    verified(candidate.user)
    english = CourseFactory(code="00015", name="英语（二）", credits=14)
    history = CourseFactory(code="03708", name="中国近现代史纲要", credits=2)
    law = CourseFactory(code="03709", name="马克思主义基本原理概论", credits=4)
    return {"qinghai": qinghai, "province": StaffMemberFactory(office=authority),
            "city": StaffMemberFactory(office=city), "candidate": candidate,
            "courses": {"english": english, "history": history, "law": law}}


COURSES = [
    {"code": "00015", "name": "英语（二）", "credits": "14", "score": "68", "sitting": "2025年10月", "source": "考试合格"},
    {"code": "03708", "name": "中国近现代史纲要", "credits": "2", "score": "61", "sitting": "2025年4月",
     "source": "考试合格"},
    {"code": "03709", "name": "马克思主义基本原理概论", "credits": "4", "score": "80", "sitting": "2025年4月",
     "source": "考试合格"},
    {"code": "99901", "name": "青海地方课程", "credits": "3", "score": "75", "sitting": "2024年10月",
     "source": "考试合格"},
]


def entered(here, **extra) -> IncomingTransfer:
    data = {"staff": here["province"], "from_province": here["qinghai"], "source_number": "SQ2026112000000001",
            "name": "李明", "id_number": here["candidate"].user.id_number, "courses": COURSES,
            "profile": {"exam_number": "630119100001", "major": "汉语言文学"}}
    data.update(extra)
    return services_in.incoming_transfer_enter(**data)


def sign_transfer(transfer: IncomingTransfer, *, content=None):
    request = signature_request_create(user=transfer.candidate.user, purpose="考籍转入确认",
                                       subject=signature_subject(transfer), version=1,
                                       content=content if content is not None else signature_content(transfer),
                                       return_url="/")
    return signature_submit(token=request.token, image_data_url=drawing())


def confirmed(transfer: IncomingTransfer) -> IncomingTransfer:
    sign_transfer(transfer)
    return services_in.incoming_transfer_confirm(transfer=transfer, actor=transfer.candidate.user)


# --- the flow as written down -----------------------------------------------------------------------

def test_the_flow_is_the_documented_one():
    allowed = {(a, b) for a, b in itertools.product(S.values, S.values) if FLOW.allowed(a, b)}
    assert allowed == {(S.PENDING, S.CONFIRMED), (S.CONFIRMED, S.RECEIVED), (S.PENDING, S.VOIDED)}


def _attempt(target, transfer, here):
    if target == S.CONFIRMED:
        return services_in.incoming_transfer_confirm(transfer=transfer, actor=transfer.candidate.user)
    if target == S.RECEIVED:
        return services_in.incoming_transfer_receive(transfer=transfer, staff=here["province"],
                                                     received_on=timezone.localdate())
    if target == S.VOIDED:
        return services_in.incoming_transfer_void(transfer=transfer, staff=here["province"], reason="录入错误")
    raise AssertionError(target)


ILLEGAL = [(a, b) for a, b in itertools.product(S.values, [S.CONFIRMED, S.RECEIVED, S.VOIDED])
           if not FLOW.allowed(a, b)]


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_an_illegal_transition_is_refused(current, target, here):
    transfer = entered(here)
    sign_transfer(transfer)  # a valid signature does not make an illegal move legal
    IncomingTransfer.objects.filter(pk=transfer.pk).update(status=current)
    transfer.refresh_from_db()
    before = IncomingTransition.objects.filter(transfer=transfer).count()
    with pytest.raises(TransferInError, match="不能"):
        _attempt(target, transfer, here)
    transfer.refresh_from_db()
    assert transfer.status == current
    assert IncomingTransition.objects.filter(transfer=transfer).count() == before
    assert not PassedCourse.objects.filter(candidate=here["candidate"]).exists()


# --- 纸质档案: enter, confirm, receive ------------------------------------------------------------------

def test_a_paper_transfer_is_matched_by_id_number_and_awaits_confirmation(here, committed):
    with committed():
        transfer = entered(here)
    assert transfer.status == S.PENDING and transfer.method == IncomingTransfer.Method.PAPER
    assert transfer.candidate == here["candidate"]
    assert [c.code for c in transfer.courses.all()] == ["00015", "03708", "03709", "99901"]
    assert transfer.courses.get(code="00015").score == Decimal("68.0")
    assert InboxMessage.objects.filter(user=here["candidate"].user, title="您有一份待确认的考籍转入").exists()


def test_only_the_province_authority_enters_a_paper_transfer(here):
    with pytest.raises(TransferInError, match="只有省级考试机构"):
        entered(here, staff=here["city"])
    assert not IncomingTransfer.objects.exists()


def test_confirming_needs_a_signature_of_exactly_the_transfer(here):
    transfer = entered(here)
    with pytest.raises(TransferInError, match="请先扫码签字"):
        services_in.incoming_transfer_confirm(transfer=transfer, actor=here["candidate"].user)
    sign_transfer(transfer, content=signature_content(transfer).replace("68分", "98分"))
    with pytest.raises(TransferInError, match="请先扫码签字"):
        services_in.incoming_transfer_confirm(transfer=transfer, actor=here["candidate"].user)
    transfer.refresh_from_db()
    assert transfer.status == S.PENDING


def test_another_candidate_cannot_confirm(here):
    transfer = entered(here)
    sign_transfer(transfer)
    other = CandidateFactory(district=Region.objects.get(code="620102"))
    with pytest.raises(TransferInError, match="不存在"):
        services_in.incoming_transfer_confirm(transfer=transfer, actor=other.user)


def test_paper_scores_join_only_when_the_archive_is_received(here, committed):
    transfer = confirmed(entered(here))
    assert transfer.status == S.CONFIRMED and transfer.signature is not None
    assert not PassedCourse.objects.filter(candidate=here["candidate"]).exists()
    with committed():
        transfer = services_in.incoming_transfer_receive(transfer=transfer, staff=here["province"],
                                                         received_on=timezone.localdate(), note="EMS 已签收")
    assert transfer.status == S.RECEIVED and transfer.receipt_note == "EMS 已签收"
    passed = {p.course.code: p for p in PassedCourse.objects.filter(candidate=here["candidate"])}
    assert set(passed) == {"00015", "03708", "03709"}
    assert all(p.source == PassedCourse.Source.TRANSFER_IN for p in passed.values())
    assert passed["00015"].score == Decimal("68.0")
    assert "青海省" in passed["00015"].note
    # the course not in this province's catalog is reported, not dropped
    assert transfer.courses.get(code="99901").outcome == IncomingCourse.Outcome.UNMATCHED
    assert InboxMessage.objects.filter(user=here["candidate"].user, title="您的转入成绩已记入考籍").exists()
    history = [(t.from_status, t.to_status) for t in transfer.transitions.all()]
    assert history == [("", S.PENDING), (S.PENDING, S.CONFIRMED), (S.CONFIRMED, S.RECEIVED)]


def test_a_course_already_passed_keeps_the_better_score(here):
    candidate = here["candidate"]
    PassedCourse.objects.create(candidate=candidate, course=here["courses"]["english"], score=Decimal("75"),
                                passed_on=datetime.date(2026, 5, 1))
    PassedCourse.objects.create(candidate=candidate, course=here["courses"]["history"], score=Decimal("60"),
                                passed_on=datetime.date(2026, 5, 1))
    transfer = services_in.incoming_transfer_receive(transfer=confirmed(entered(here)), staff=here["province"],
                                                     received_on=timezone.localdate())
    english = PassedCourse.objects.get(candidate=candidate, course__code="00015")
    history = PassedCourse.objects.get(candidate=candidate, course__code="03708")
    assert (english.score, english.source) == (Decimal("75.0"), PassedCourse.Source.EXAM)  # 75 > 68: kept
    assert (history.score, history.source) == (Decimal("61.0"), PassedCourse.Source.TRANSFER_IN)  # 61 > 60
    outcomes = {c.code: c.outcome for c in transfer.courses.all()}
    assert outcomes == {"00015": "kept", "03708": "joined", "03709": "joined", "99901": "unmatched"}


def test_the_same_source_application_is_entered_once(here):
    entered(here)
    with pytest.raises(TransferInError, match="不能重复转入"):
        entered(here)
    assert IncomingTransfer.objects.count() == 1


def test_a_wrong_paper_entry_is_voided_with_its_reason_and_entered_again(here, committed):
    wrong = entered(here)
    with pytest.raises(TransferInError, match="作废原因"):
        services_in.incoming_transfer_void(transfer=wrong, staff=here["province"], reason="  ")
    with pytest.raises(TransferInError, match="省级考试机构"):
        services_in.incoming_transfer_void(transfer=wrong, staff=here["city"], reason="录入错误")
    with committed():
        services_in.incoming_transfer_void(transfer=wrong, staff=here["province"], reason="成绩录入错误")
    wrong.refresh_from_db()
    assert wrong.status == S.VOIDED
    assert wrong.transitions.last().comment == "成绩录入错误"
    assert InboxMessage.objects.filter(user=here["candidate"].user, title__contains="作废").exists()
    with pytest.raises(TransferInError, match="不能"):  # a voided transfer cannot be confirmed
        confirmed(wrong)
    again = entered(here)  # the same source application, typed again
    assert again.status == S.PENDING and IncomingTransfer.objects.count() == 2
    with pytest.raises(TransferInError, match="不能重复转入"):
        entered(here)


def test_a_transfer_for_someone_without_an_account_waits_and_is_matched_later(here):
    transfer = entered(here, id_number="630102199001011237", name="张三")
    assert transfer.candidate is None
    person = CandidateFactory(district=Region.objects.get(code="620102"), user__id_number="630102199001011237")
    assert services_in.incoming_transfers_match(candidate=person) == 1
    transfer.refresh_from_db()
    assert transfer.candidate == person


def test_bad_course_rows_are_refused(here):
    with pytest.raises(TransferInError, match="0到100"):
        entered(here, courses=[{"code": "00015", "name": "英语（二）", "score": "120"}])
    with pytest.raises(TransferInError, match="至少"):
        entered(here, courses=[])
    assert not IncomingTransfer.objects.exists()


# --- 电子转考: export at the source, import at the destination ------------------------------------------

@pytest.fixture
def exported(world, reviewing, keys):
    """甘肃 (home) approves a 考籍转出 to 青海, which runs kaowu, and exports the package."""
    Province.objects.filter(region__code="630000").update(runs_kaowu=True)
    application = approved_by_both(world, reviewing())
    application = services_in.transfer_out_package_export(application=application,
                                                          staff=world["staff"]["province"])
    return {"application": application, "text": application.dossier_dispatch.package,
            "public_key": packages.public_key_pem()}


def become_qinghai(world, exported, settings, keys, *, public_key=None):
    """The same database re-configured as 青海's installation: 青海 is home (with its own key), and its
    row of 甘肃 holds the key 甘肃 handed over."""
    settings.KAOWU_TRANSFER_SIGNING_KEY = str(keys / "qinghai.pem")
    province_configure(region_code="630000", authority_name="青海省教育招生考试院", platform_name="青海省自学考试",
                       logo_text="青", hotline="0971-8888888", is_home=True, runs_kaowu=True)
    Province.objects.filter(region__code="620000").update(
        transfer_public_key=public_key if public_key is not None else exported["public_key"])
    office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, code="P63", name="青海省教育招生考试院",
                           region=Region.objects.get(code="630000"))
    return StaffMemberFactory(office=office)


def test_exporting_the_package_completes_the_transfer_out(world, exported):
    application = exported["application"]
    assert application.status == COMPLETED
    dispatch = DossierDispatch.objects.get(application=application)
    assert dispatch.method == "electronic" and dispatch.carrier == "电子传送"
    document = json.loads(exported["text"])
    payload = document["payload"]
    assert payload["source_province"]["code"] == "620000" and payload["destination_province"]["code"] == "630000"
    assert payload["profile"]["id_number"] == world["candidate"].user.id_number
    assert [c["code"] for c in payload["courses"]] == ["00015", "03708"]
    assert payload["candidate_signature"]["image_png_base64"]
    assert [a["office"] for a in payload["approvals"]] == ["兰州市教育考试院", "甘肃省教育考试院"]
    packages.package_verify(packages.package_read(exported["text"]), exported["public_key"])


def test_the_package_is_refused_for_a_province_not_on_kaowu(world, reviewing):
    application = approved_by_both(world, reviewing())
    with pytest.raises(TransferInError, match="未使用本平台"):
        services_in.transfer_out_package_export(application=application, staff=world["staff"]["province"])
    assert not DossierDispatch.objects.exists()


def test_the_destination_imports_a_verified_package_and_the_candidate_confirms(world, exported, settings, keys):
    staff = become_qinghai(world, exported, settings, keys)
    transfer = services_in.incoming_transfer_import(staff=staff, raw=exported["text"].encode())
    assert transfer.method == IncomingTransfer.Method.ELECTRONIC and transfer.status == S.PENDING
    assert transfer.candidate == world["candidate"]  # the same person, by ID number
    assert transfer.source_number == exported["application"].number
    verified(world["candidate"].user)  # at B the person passed 身份认证 before confirming
    transfer = confirmed(transfer)
    assert transfer.status == S.RECEIVED  # the package is the archive
    passed = PassedCourse.objects.get(candidate=world["candidate"], course__code="00015")
    assert passed.score == Decimal("72.0")  # already on the record with the same score: kept


def _refused(staff, raw, match):
    with pytest.raises(TransferInError, match=match):
        services_in.incoming_transfer_import(staff=staff, raw=raw)
    assert not IncomingTransfer.objects.exists()


def test_a_tampered_package_is_refused(world, exported, settings, keys):
    staff = become_qinghai(world, exported, settings, keys)
    text = exported["text"]
    assert text.count('"score": "72"') == 1
    _refused(staff, text.replace('"score": "72"', '"score": "92"').encode(), "签名验证失败")
    _refused(staff, text.replace('"score": "72"', '"score": "73"').encode(), "签名验证失败")


def test_a_package_checked_with_the_wrong_key_is_refused(world, exported, settings, keys):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = packages.public_key_pem(Ed25519PrivateKey.generate())
    staff = become_qinghai(world, exported, settings, keys, public_key=other)
    _refused(staff, exported["text"].encode(), "签名验证失败")


def test_an_unsigned_package_is_refused(world, exported, settings, keys):
    staff = become_qinghai(world, exported, settings, keys)
    document = json.loads(exported["text"])
    document.pop("signature")
    _refused(staff, json.dumps(document).encode(), "没有签名")
    _refused(staff, b"not a package", "格式错误")


def test_a_package_from_an_unknown_province_is_refused(world, exported, settings, keys):
    staff = become_qinghai(world, exported, settings, keys)
    document = json.loads(exported["text"])
    document["payload"]["source_province"]["code"] = "110000"
    _refused(staff, json.dumps(document).encode(), "未配置的省份")


def test_a_package_for_another_province_is_refused(world, exported, settings, keys):
    from cryptography.hazmat.primitives import serialization

    # 甘肃 itself (the source) cannot import it
    _refused(world["staff"]["province"], exported["text"].encode(), "由本省签发")
    # a package 甘肃 signed for 宁夏 is not 青海's to import
    home_key = serialization.load_pem_private_key((keys / "home.pem").read_bytes(), password=None)
    payload = json.loads(exported["text"])["payload"]
    payload["destination_province"] = {"code": "640000", "name": "宁夏回族自治区", "authority": ""}
    staff = become_qinghai(world, exported, settings, keys)
    _refused(staff, packages.package_sign(payload, private_key=home_key).encode(), "不是本省")


def test_a_package_is_imported_once(world, exported, settings, keys):
    staff = become_qinghai(world, exported, settings, keys)
    services_in.incoming_transfer_import(staff=staff, raw=exported["text"].encode())
    with pytest.raises(TransferInError, match="不能重复转入"):
        services_in.incoming_transfer_import(staff=staff, raw=exported["text"].encode())
    assert IncomingTransfer.objects.count() == 1


def test_the_public_key_command_prints_the_home_key(capsys, gansu):
    call_command("transfer_public_key")
    out = capsys.readouterr().out
    assert out.startswith("-----BEGIN PUBLIC KEY-----")
    assert packages.load_public_key(out) is not None
    assert out.strip() == packages.public_key_pem().strip()


# --- pages ----------------------------------------------------------------------------------------

def test_the_candidate_lists_confirms_and_downloads_the_form(here, client):
    import io

    from django.urls import reverse
    from pypdf import PdfReader

    transfer = entered(here)
    client.force_login(here["candidate"].user)
    listing = client.get(reverse("transfers:in")).content.decode()
    assert transfer.number in listing and "待确认" in listing and "确认转入" in listing
    page = client.get(reverse("transfers:in_detail", args=[transfer.number])).content.decode()
    for expected in ("青海省", "SQ2026112000000001", "英语（二）", "99901", "青海地方课程", "68"):
        assert expected in page, expected
    confirm = client.get(reverse("transfers:in_confirm", args=[transfer.number])).content.decode()
    assert "生成二维码进行签名" in confirm and "1. 00015 英语（二） 14学分 68分" in confirm
    response = client.post(reverse("transfers:in_confirm", args=[transfer.number]))
    assert response["Location"].startswith("/signatures/")
    refused = client.get(reverse("transfers:in_confirm_done", args=[transfer.number]))
    assert refused["Location"] == reverse("transfers:in_confirm", args=[transfer.number])
    sign_transfer(transfer)
    done = client.get(reverse("transfers:in_confirm_done", args=[transfer.number]))
    assert done["Location"] == reverse("transfers:in_detail", args=[transfer.number])
    transfer.refresh_from_db()
    assert transfer.status == S.CONFIRMED
    pdf = client.get(reverse("transfers:in_form_pdf", args=[transfer.number]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("考籍转入登记表", "青海省", "00015", "99901", "已确认"):
        assert expected in text, expected
    stranger = CandidateFactory(district=Region.objects.get(code="620102")).user
    verified(stranger)
    client.force_login(stranger)
    assert client.get(reverse("transfers:in_detail", args=[transfer.number])).status_code == 404


def test_staff_enter_a_paper_transfer_and_receive_the_archive(here, client):
    from django.urls import reverse

    client.force_login(here["province"].user)
    post = {"from_province": here["qinghai"].pk, "source_number": "QH-2026-0001", "name": "李明",
            "id_number": here["candidate"].user.id_number, "exam_number": "", "major": "",
            "courses-TOTAL_FORMS": "2", "courses-INITIAL_FORMS": "0", "courses-MIN_NUM_FORMS": "0",
            "courses-MAX_NUM_FORMS": "40",
            "courses-0-code": "00015", "courses-0-name": "英语（二）", "courses-0-credits": "14",
            "courses-0-score": "70", "courses-0-sitting": "2025年10月",
            "courses-1-code": "", "courses-1-name": "", "courses-1-credits": "", "courses-1-score": "",
            "courses-1-sitting": ""}
    response = client.post(reverse("backoffice:transfers_staff:in_enter"), post)
    transfer = IncomingTransfer.objects.get()
    assert response["Location"] == reverse("backoffice:transfers_staff:in_detail", args=[transfer.pk])
    assert [(c.code, c.score) for c in transfer.courses.all()] == [("00015", Decimal("70.0"))]
    listing = client.get(reverse("backoffice:transfers_staff:in_list")).content.decode()
    assert transfer.number in listing and here["candidate"].user.id_number not in listing  # masked
    confirmed(transfer)
    detail = client.get(reverse("backoffice:transfers_staff:in_detail", args=[transfer.pk])).content.decode()
    assert "确认接收档案" in detail
    client.post(reverse("backoffice:transfers_staff:in_receive", args=[transfer.pk]),
                {"received_on": timezone.localdate().isoformat(), "note": "EMS 已签收"})
    transfer.refresh_from_db()
    assert transfer.status == S.RECEIVED
    from kaowu.audit.models import AuditEvent

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"transfer_in.entered", "transfer_in.received", "transfer_in.list", "transfer_in.view"} <= actions


def test_a_city_office_sees_only_its_candidates_transfers_and_cannot_receive(here, client):
    from django.urls import reverse

    mine = entered(here)
    other = entered(here, source_number="SQ-OTHER", id_number="630102199001011237", name="张三")
    client.force_login(here["city"].user)
    listing = client.get(reverse("backoffice:transfers_staff:in_list")).content.decode()
    assert mine.number in listing and other.number not in listing
    assert client.get(reverse("backoffice:transfers_staff:in_detail", args=[other.pk])).status_code == 404
    confirmed(mine)
    client.post(reverse("backoffice:transfers_staff:in_receive", args=[mine.pk]),
                {"received_on": timezone.localdate().isoformat()})
    mine.refresh_from_db()
    assert mine.status == S.CONFIRMED


def test_an_import_refused_shows_the_reason_and_writes_nothing(here, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(here["province"].user)
    response = client.post(reverse("backoffice:transfers_staff:in_import"),
                           {"package": SimpleUploadedFile("x.json", b"{}", content_type="application/json")})
    assert response.status_code == 400 and "格式错误" in response.content.decode()
    assert not IncomingTransfer.objects.exists()
    key = client.get(reverse("backoffice:transfers_staff:public_key")).content.decode()
    assert "-----BEGIN PUBLIC KEY-----" in key


def test_the_demo_has_one_transfer_in_awaiting_confirmation(db, keys):
    from kaowu.demo import data
    from kaowu.demo.services import demo_seed

    first = demo_seed(region_prefixes=list(data.REQUIRED_PROVINCE_PREFIXES))
    transfer = IncomingTransfer.objects.get()
    assert first.created["考籍转入"] == 1
    assert transfer.status == S.PENDING and transfer.method == IncomingTransfer.Method.PAPER
    assert transfer.from_province.name == "山西省" and transfer.candidate.user.real_name == "张浩然"
    assert transfer.courses.count() == 3
    again = demo_seed(region_prefixes=list(data.REQUIRED_PROVINCE_PREFIXES))
    assert IncomingTransfer.objects.count() == 1 and not again.created.get("考籍转入")


def test_the_province_configuration_takes_only_an_ed25519_public_key(here):
    from kaowu.organization.admin import ProvinceForm

    qinghai = here["qinghai"]
    base = {"region": qinghai.region.pk, "name": qinghai.name, "authority_name": qinghai.authority_name,
            "platform_name": qinghai.platform_name, "logo_text": "青", "hotline": qinghai.hotline, "address": "",
            "postcode": "", "runs_kaowu": "on"}
    refused = ProvinceForm({**base, "transfer_public_key": "not a key"}, instance=qinghai)
    assert not refused.is_valid() and "Ed25519" in refused.errors["transfer_public_key"][0]
    pem = packages.public_key_pem()
    accepted = ProvinceForm({**base, "transfer_public_key": pem}, instance=qinghai)
    assert accepted.is_valid(), accepted.errors
    accepted.save()
    qinghai.refresh_from_db()
    assert packages.load_public_key(qinghai.transfer_public_key) is not None


def test_a_waiting_transfer_is_matched_when_the_person_logs_in(here, client, committed):
    transfer = entered(here, id_number="630102199001011237", name="张三")
    person = CandidateFactory(district=Region.objects.get(code="620102"), user__id_number="630102199001011237")
    with committed():
        client.force_login(person.user)
    transfer.refresh_from_db()
    assert transfer.candidate == person
    assert InboxMessage.objects.filter(user=person.user, title="您有一份待确认的考籍转入").exists()


def test_staff_void_a_pending_transfer_from_its_page_and_the_candidate_sees_it(here, client):
    from django.urls import reverse

    transfer = entered(here)
    client.force_login(here["province"].user)
    page = client.get(reverse("backoffice:transfers_staff:in_detail", args=[transfer.pk])).content.decode()
    assert "data-void-form" in page
    response = client.post(reverse("backoffice:transfers_staff:in_void", args=[transfer.pk]), {"reason": ""},
                           follow=True)
    assert "请填写作废原因" in response.content.decode()
    client.post(reverse("backoffice:transfers_staff:in_void", args=[transfer.pk]), {"reason": "身份证号录入错误"})
    transfer.refresh_from_db()
    assert transfer.status == S.VOIDED
    page = client.get(reverse("backoffice:transfers_staff:in_detail", args=[transfer.pk])).content.decode()
    assert "data-void-form" not in page and "身份证号录入错误" in page
    client.logout()
    client.force_login(here["candidate"].user)
    page = client.get(reverse("transfers:in_detail", args=[transfer.number])).content.decode()
    assert "已作废" in page and "身份证号录入错误" in page
    assert reverse("transfers:in_confirm", args=[transfer.number]) not in page


def test_confirming_is_refused_outside_the_transfer_in_window(here, client, transfer_in_window_open):
    from django.urls import reverse

    transfer = entered(here)
    sign_transfer(transfer)
    transfer_in_window_open.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    transfer_in_window_open.save()
    with pytest.raises(TransferInError, match="省际转入时间为"):
        services_in.incoming_transfer_confirm(transfer=transfer, actor=transfer.candidate.user)
    transfer.refresh_from_db()
    assert transfer.status == S.PENDING
    client.force_login(here["candidate"].user)
    page = client.get(reverse("transfers:in_detail", args=[transfer.number])).content.decode()
    assert "当前不在确认时间内" in page and reverse("transfers:in_confirm", args=[transfer.number]) not in page
    response = client.get(reverse("transfers:in_confirm", args=[transfer.number]))
    assert response.status_code == 302 and response["Location"] == reverse("transfers:in_detail",
                                                                           args=[transfer.number])


def test_a_malformed_package_is_refused_with_a_reason_not_a_server_error(world, exported, settings, keys):
    staff = become_qinghai(world, exported, settings, keys)
    document = json.loads(exported["text"])
    document["signature"]["value"] = 1
    _refused(staff, json.dumps(document).encode(), "没有签名")
    _refused(staff, b"[" * 100_000 + b"]" * 100_000, "格式错误")
    _refused(staff, b"\xff\xfe not text", "无法读取")


def test_production_never_makes_up_a_signing_key(settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from kaowu.transfers import package

    settings.KAOWU_TRANSFER_SIGNING_KEY = str(tmp_path / "missing.pem")
    settings.DEBUG, settings.DEMO_MODE = False, False
    with pytest.raises(ImproperlyConfigured):
        package.signing_key()
    settings.DEMO_MODE = True
    assert package.signing_key() is not None and (tmp_path / "missing.pem").exists()


def test_an_unverified_account_with_the_id_number_sees_nothing_and_cannot_confirm(here, client):
    from django.urls import reverse

    from kaowu.identity.models import Verification

    transfer = entered(here)
    sign_transfer(transfer)
    Verification.objects.filter(user=here["candidate"].user).delete()
    client.force_login(here["candidate"].user)
    for url in (reverse("transfers:in"), reverse("transfers:in_detail", args=[transfer.number]),
                reverse("transfers:in_form_pdf", args=[transfer.number])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("identity:overview")
    with pytest.raises(TransferInError, match="身份认证"):
        services_in.incoming_transfer_confirm(transfer=transfer, actor=here["candidate"].user)
    transfer.refresh_from_db()
    assert transfer.status == S.PENDING
