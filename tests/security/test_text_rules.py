"""Issue #12 item 3: 姓名 and the free text staff read, through the real pages.

The probe typed the right-to-left override, zero-width characters, control characters and markup
into 姓名 and got them stored. Now a name allows what real names need (CJK with the extension
planes, “·”, Latin letters and single inner spaces) and refuses the rest with a message saying what
is wrong; every free-text field (reasons, addresses, 个人简历, staff comments) is stored as NFC and
refuses control, format and bidirectional characters. One module (kaowu.core.text) holds the rules;
every form of the project derives from its base form, which is checked here too. The pages are set
up with the fixtures of the apps' own tests (imported below).
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import kaowu
from kaowu.accounts.models import User
from kaowu.accounts.tests.helpers import captcha_key
from kaowu.core.text import TextRulesMixin
from kaowu.organization.models import Region
from kaowu.records.tests.conftest import run_import, world  # noqa: F401
from kaowu.records.tests.test_score_review import reviewed_world, score_of  # noqa: F401
from kaowu.testing.factories import make_id_number, make_phone
from kaowu.transfers.tests.test_within_province import candidate, offices, sitting, staff, window  # noqa: F401
from kaowu.upgrade.tests.test_registration_steps import BASIC, point, read_all, registration  # noqa: F401

# --- 姓名 through the registration form ----------------------------------------------------------

ACCEPTED = [
    ("张三", "张三"),
    ("王𠀀", "王𠀀"),                                   # extension B (U+20000)
    ("欧阳娜娜", "欧阳娜娜"),
    ("阿卜杜热合曼·买买提", "阿卜杜热合曼·买买提"),
    ("阿卜杜热合曼・买买提", "阿卜杜热合曼·买买提"),    # the katakana dot many IMEs type, stored as U+00B7
    ("Mary Jane Smith", "Mary Jane Smith"),
    ("Zoe\u0308", "Zo\u00eb"),                          # typed decomposed, stored composed (NFC)
]

REFUSED = [
    ("张\u202e三", "姓名中含有改变文字方向的字符（U+202E）"),
    ("张\u200b三", "姓名中含有不可见的零宽或格式字符（U+200B）"),
    ("张\x00三", "姓名中含有不可见的控制字符（U+0000）"),
    ("张\x07三", "姓名中含有不可见的控制字符（U+0007）"),
    ("张\x85三", "姓名中含有不可见的控制字符（U+0085）"),
    ("<script>alert(1)</script>", "姓名中不能有 &lt; &gt; &amp; &quot; 等符号"),
    ("张三2", "姓名中不能有数字"),
]


def _registration_data(real_name: str, phone: str, sms_code: str = "000000") -> dict:
    return {"real_name": real_name, "id_number": make_id_number("620102", "19990512"),
            "district": str(Region.objects.get(code="620102").pk), "phone": phone, "sms_code": sms_code,
            "password": "Lanzhou-2027-ok", "password2": "Lanzhou-2027-ok", "agree": "on"}


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED, ids=[repr(t) for t, _ in ACCEPTED])
def test_real_names_register_and_are_stored_normalised(client, gansu, captcha_solver, sms_inbox, typed, stored):
    phone = make_phone()
    key = captcha_key(client.get("/accounts/register/").content.decode())
    sent = client.post("/verify/sms/register/", {"phone": phone, "captcha_0": key, "captcha_1": captcha_solver(key)})
    assert "验证码已发送" in sent.content.decode()
    response = client.post("/accounts/register/", _registration_data(typed, phone, sms_inbox(phone)), follow=True)
    assert "注册成功" in response.content.decode()
    assert list(User.objects.filter(kind=User.Kind.CANDIDATE).values_list("real_name", flat=True)) == [stored]


@pytest.mark.parametrize(("typed", "message"), REFUSED, ids=[repr(t) for t, _ in REFUSED])
def test_hostile_names_are_refused_at_registration_with_a_clear_message(client, gansu, typed, message):
    response = client.post("/accounts/register/", _registration_data(typed, make_phone()))
    page = response.content.decode()
    assert message in page
    assert not User.objects.filter(kind=User.Kind.CANDIDATE).exists()


@pytest.mark.parametrize("url", ["/accounts/enrolled/", "/exam-number/recover/", "/appeals/"])
def test_every_form_that_takes_a_name_uses_the_same_rule(client, gansu, url):
    response = client.post(url, {"real_name": "张\u202e三", "id_number": make_id_number(),
                                 "exam_number": "010219100023"})
    assert "姓名中含有改变文字方向的字符（U+202E）" in response.content.decode()


def test_the_staff_paper_transfer_entry_refuses_a_hostile_name(gansu):
    from kaowu.organization.models import Office, Province
    from kaowu.testing.factories import OfficeFactory, StaffMemberFactory
    from kaowu.transfers import services_in

    authority = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY,
                                                        region=Region.objects.get(code="620000")))
    qinghai = Province.objects.filter(is_home=False).first() or Province.objects.create(
        region=Region.objects.get(code="630000"), authority_name="青海省教育招生考试院")
    with pytest.raises(services_in.TransferInError, match="改变文字方向"):
        services_in.incoming_transfer_enter(staff=authority, from_province=qinghai, source_number="ZC1",
                                            name="张\u202e三", id_number=make_id_number(),
                                            courses=[{"code": "00015", "name": "英语（二）"}])


# --- free text through the pages ------------------------------------------------------------------

def test_the_score_review_reason_refuses_control_characters(reviewed_world, client):  # noqa: F811
    from kaowu.records import review
    from kaowu.workflow.models import Application

    client.force_login(reviewed_world.numbers["n1"].candidate.user)
    score = score_of(reviewed_world, "n1", "03708")
    response = client.post(reverse("records:review_apply"),
                           {"score": score.pk, "reason": "自评\x1b[31m 70 分以上", "agree": "on", "step": "submit"})
    assert response.status_code == 400
    assert "含有不可见的控制字符（U+001B）" in response.content.decode()
    assert not Application.objects.filter(type_code=review.CODE).exists()


def test_the_transfer_reason_refuses_bidi_characters_and_is_stored_as_nfc(client, candidate, window):  # noqa: F811
    from kaowu.transfers.within import CODE
    from kaowu.workflow.models import Application

    client.force_login(candidate.user)
    response = client.post(reverse("transfers:within_apply"),
                           {"to_city": "620500", "reason": "工作调动\u202e至天水市", "agree": "on"})
    assert response.status_code == 400
    assert "含有改变文字方向的字符（U+202E）" in response.content.decode()
    assert not Application.objects.filter(type_code=CODE).exists()

    response = client.post(reverse("transfers:within_apply"),
                           {"to_city": "620500", "reason": "调往天水市 Cafe\u0301\r\n第二行", "agree": "on"})
    assert response.status_code == 302
    assert Application.objects.get(type_code=CODE).data["reason"] == "调往天水市 Caf\u00e9\n第二行"


def test_a_staff_rejection_comment_refuses_control_characters(client, candidate, window, staff):  # noqa: F811
    from kaowu.transfers.within import CODE
    from kaowu.workflow import services
    from kaowu.workflow.models import Application
    from kaowu.workflow.statuses import Status

    client.force_login(candidate.user)
    client.post(reverse("transfers:within_apply"), {"to_city": "620500", "reason": "工作调动", "agree": "on"})
    application = services.application_submit(application=Application.objects.get(type_code=CODE),
                                              actor=candidate.user)
    client.force_login(staff["lanzhou"].user)
    url = reverse("backoffice:workflow_staff:detail", args=[application.pk])
    response = client.post(url, {"action": "reject", "reject-reason": "材料不全\u200b\u202e请补充"})
    assert response.status_code == 400
    assert "含有不可见的零宽或格式字符（U+200B）" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.REVIEWING
    assert not application.transitions.filter(to_status=Status.REJECTED).exists()


def _basic_post(**overrides) -> dict:
    data = {**BASIC, "rural": "0", "resume_start": ["2022-09"], "resume_end": ["2025-06"],
            "resume_organization": ["兰州职业技术学院"], "resume_role": ["学生"]}
    for name in ("award_claim", "poverty_claim"):
        data.pop(name)
    data.update(overrides)
    return data


def test_the_upgrade_address_and_resume_refuse_control_characters(client, registration):  # noqa: F811
    registration = read_all(registration)
    client.force_login(registration.user)
    response = client.post("/upgrade/basic/", _basic_post(mail_address="甘肃省兰州市城关区\x08庆阳路1号"))
    assert response.status_code == 400 and "含有不可见的控制字符（U+0008）" in response.content.decode()
    response = client.post("/upgrade/basic/", _basic_post(resume_organization=["兰州职业\u2066技术学院"]))
    assert response.status_code == 400
    assert "个人简历第1条：含有改变文字方向的字符（U+2066）" in response.content.decode()
    registration.refresh_from_db()
    assert registration.basic_saved_at is None and not registration.resume.exists()

    response = client.post("/upgrade/basic/", _basic_post(mail_address="甘肃省兰州市 Cafe\u0301 庆阳路1号",
                                                          resume_role=["学生 <b>班长</b>"]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.mail_address == "甘肃省兰州市 Caf\u00e9 庆阳路1号"
    assert registration.resume.get().role == "学生 <b>班长</b>"  # markup is text: escaped where shown


def test_the_filing_address_refuses_control_characters_and_is_stored_as_nfc(client, gansu):
    import datetime

    from django.utils import timezone

    from kaowu.catalog.models import BusinessWindow
    from kaowu.filing.models import Filing
    from kaowu.identity.models import Verification
    from kaowu.organization.models import Office
    from kaowu.testing.factories import CandidateFactory, OfficeFactory

    now = timezone.now()
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.FILING, starts_at=now - datetime.timedelta(days=1),
                                  ends_at=now + datetime.timedelta(days=30))
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, region=Region.objects.get(code="620100"), code="EA6201")
    filer = CandidateFactory()
    Verification.objects.create(user=filer.user, kind="three_photos", status="passed")
    client.force_login(filer.user)
    client.post("/filing/notice/", {"agree": "on"})
    form = {"exam_area": area.pk, "gender": "女", "nation": "汉族", "political_status": "群众",
            "education": "大学专科", "occupation": "专业技术人员", "household_type": "城镇",
            "address": "甘肃省兰州市城关区\u0000庆阳路1号", "postcode": "730030", "work_unit": "兰州\u202e公司"}
    page = client.post("/filing/form/", form).content.decode()
    assert "含有不可见的控制字符（U+0000）" in page and "含有改变文字方向的字符（U+202E）" in page
    form.update(address="甘肃省兰州市城关区 Cafe\u0301 庆阳路1号", work_unit="兰州公司")
    client.post("/filing/form/", form)
    client.post("/filing/preview/")
    assert Filing.objects.get(candidate=filer).address == "甘肃省兰州市城关区 Caf\u00e9 庆阳路1号"


# --- the engine and the services that take text without a form -------------------------------------

def test_the_workflow_engine_checks_every_string_of_an_application(candidate, window):  # noqa: F811
    from kaowu.transfers.within import CODE
    from kaowu.workflow import services

    with pytest.raises(services.WorkflowError, match="U\\+202E") as caught:
        services.application_save_draft(actor=candidate.user, type_code=CODE, candidate=candidate,
                                        exam_number=candidate.exam_numbers.first(),
                                        data={"to_city": "620500", "reason": "ok", "extra": ["x\u202ey"]})
    assert caught.value.field == "extra"


def test_a_college_admission_rejection_reason_posted_without_a_form_is_checked():
    from kaowu.upgrade import admission_services

    with pytest.raises(admission_services.UpgradeError, match="U\\+0000"):
        admission_services.admission_reject(result=None, staff=None, reason="不符合\x00要求")


# --- structural: a new form cannot forget ---------------------------------------------------------

def _all_project_forms() -> list[type]:
    for module in pkgutil.walk_packages(kaowu.__path__, "kaowu."):
        if ".migrations" in module.name or ".tests" in module.name:
            continue
        importlib.import_module(module.name)
    found, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("kaowu.") and ".tests" not in cls.__module__:
            found.append(cls)
    return found


def test_every_form_of_the_project_applies_the_text_rules():
    project_forms = _all_project_forms()
    assert len(project_forms) > 60  # the walk found the project's forms
    missing = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in project_forms
                     if not issubclass(cls, TextRulesMixin))
    assert missing == [], "derive these from kaowu.core.text.Form / ModelForm: " + ", ".join(missing)


def test_the_province_admin_forms_apply_the_text_rules():
    from kaowu.backoffice.admin_site import province_admin_site

    registered = list(province_admin_site._registry.items())
    assert registered, "no model on the province admin site: the loop below would check nothing"
    for model, model_admin in registered:
        assert issubclass(model_admin.form, TextRulesMixin), model


def test_the_workflow_registry_refuses_a_type_whose_form_skips_the_rules():
    from kaowu.organization.models import Office
    from kaowu.workflow.types import ApplicationType, ReviewStep, district_office_of_candidate, register

    class PlainForm(forms.Form):
        value = forms.CharField()

    with pytest.raises(TypeError, match="kaowu.core.text.Form"):
        register(ApplicationType(code="test_plain_form", label="x", form_class=PlainForm, describe=lambda d: [],
                                 review_chain=(ReviewStep("x", Office.Kind.DISTRICT_OFFICE,
                                                          district_office_of_candidate),)))


# --- the catalog's Excel import: the same free-text rule as every form -----------------------------------

def test_the_catalog_import_refuses_invisible_and_bidi_characters_in_names(gansu):
    import io

    from openpyxl import Workbook, load_workbook

    from kaowu.catalog import excel
    from kaowu.catalog.models import Course
    from kaowu.catalog.tests.factories import CourseFactory
    from kaowu.organization.models import Office
    from kaowu.testing.factories import StaffMemberFactory

    editor = StaffMemberFactory(office__kind=Office.Kind.PROVINCE_AUTHORITY,
                               office__region=Region.objects.get(code="620000"))
    CourseFactory(code="00015", name="英语（二）", credits=14, textbook=None)
    exported = excel.courses_export()
    book = Workbook()
    sheet = book.active
    sheet.title = "课程"
    rows = list(load_workbook(io.BytesIO(exported))["课程"].iter_rows(values_only=True))
    sheet.append(list(rows[0]))
    sheet.append(["00015", "英语\u202e（二）", *rows[1][2:]])
    buffer = io.BytesIO()
    book.save(buffer)

    with pytest.raises(excel.ImportRejected) as rejected:
        excel.courses_import(staff=editor, file=io.BytesIO(buffer.getvalue()))

    assert [(p.row, p.column) for p in rejected.value.problems] == [(2, "课程名称")]
    assert "改变文字方向" in rejected.value.problems[0].message
    assert Course.objects.get(code="00015").name == "英语（二）"
