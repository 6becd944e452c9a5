"""考籍转出 (seeds 000, 002, 003): a candidate moves their 考籍 to another province.

The form is pre-filled with the candidate's profile (name, masked ID number, 准考证号, exam area,
major) and the passed courses on their record (`records`: 考试合格, 转入成绩, 免考 — all of them are
offered; the candidate may untick a course they do not want to transfer, at least one stays). The
candidate fills only the destination: province (another `organization.Province`; whether it runs
kaowu too is shown), receiving authority, mailing address, postcode and its contact phone. The
profile and the course list (code, name, credits, score, sitting, source) are copied into the
version's data, so that the signed text and the 转出登记表 stay what the candidate saw.

Flow (this type's own statuses around the engine's review):

    待缴费 ──paid──▶ 待提交 ──提交 + 扫码签字──▶ 审核中 (市考办 → 省级考试机构) ──▶ 审核通过 ──寄档──▶ 已完成
      │ 删除 (the unpaid order is cancelled)   │ 撤回                        │ 退回修改 → (modify, sign again) → 审核中
                                               ▼                            │ 审核未通过 / 撤回

- 保存 (first time) creates the order (手续费 KAOWU_TRANSFER_OUT_FEE); paying it moves 待缴费 → 待提交.
- The data may be changed while 待缴费, 待提交 or 退回修改; a change after paying keeps the fee paid.
- 提交 needs a signature (扫码签字) of the current version's exact text (`signature_content`): a
  change made after signing voids it, and the server refuses a submission without a valid one.
  Signing is the seeds' 在线确认 (确认转至外省信息无误) and happens inside the window.
- 寄档 by the province authority (carrier, tracking number, date) completes the transfer (seed 000:
  “管理员完成存档后，完成转出操作”): 审核通过 → 已完成 in one step.

Window: 省际转出 (transfer_out), or the general 转考申请 where the province sets no split transfer
window — the rule 省内转考 follows.
"""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import BusinessWindow
from kaowu.core.masking import mask_id_number
from kaowu.core.state import StateMachine
from kaowu.core.text import Form
from kaowu.organization.models import Office, Province
from kaowu.workflow.gates import PaymentGate, SignatureGate
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import (
    ApplicationType,
    RailStep,
    ReviewStep,
    TypePages,
    city_office_of_candidate,
    province_authority,
)

CODE = "transfer_out"
Kind = BusinessWindow.Kind

# This type's own statuses (the engine's strings for the rest).
PENDING_PAYMENT = "pending_payment"
TO_SUBMIT = "to_submit"
COMPLETED = "completed"

STATUS_LABELS = {
    PENDING_PAYMENT: _("待缴费"),
    TO_SUBMIT: _("待提交"),
    Status.APPROVED: _("审核通过"),
    COMPLETED: _("已完成"),
}
BADGES = {PENDING_PAYMENT: "warning", TO_SUBMIT: "info", Status.APPROVED: "success", COMPLETED: "success"}

FLOW = StateMachine({
    PENDING_PAYMENT: {TO_SUBMIT},
    TO_SUBMIT: {Status.REVIEWING, Status.WITHDRAWN},
    Status.REVIEWING: {Status.REVIEWING, Status.APPROVED, Status.REJECTED, Status.RETURNED, Status.WITHDRAWN},
    Status.RETURNED: {Status.REVIEWING, Status.WITHDRAWN},
    Status.APPROVED: {COMPLETED},
})
ALL_STATUSES = [PENDING_PAYMENT, TO_SUBMIT, Status.REVIEWING, Status.RETURNED, Status.APPROVED, Status.REJECTED,
                Status.WITHDRAWN, COMPLETED]
EDITABLE = frozenset({PENDING_PAYMENT, TO_SUBMIT, Status.RETURNED})
DELETABLE = frozenset({PENDING_PAYMENT})
SUBMITTABLE = frozenset({TO_SUBMIT, Status.RETURNED})
CARRIER_MAX, TRACKING_MAX = 30, 40  # 寄档: the carrier's name, the tracking number


def signature_subject(application) -> str:
    return SIGNATURE.subject(application)


def destination_provinces():
    """Every configured province but the home one."""
    return Province.objects.filter(is_home=False).select_related("region").order_by("region__code")


# --- what the form is pre-filled with ------------------------------------------------------------

def _score_text(score) -> str:
    if score is None:
        return ""
    text = f"{Decimal(score):.1f}"
    return text[:-2] if text.endswith(".0") else text


def transferable_courses(candidate) -> list[dict]:
    """The candidate's passed courses as the candidate sees them (records), by course code, as stored
    in the data."""
    from kaowu.records.selectors import passed_courses_visible_to_candidate

    return [{"code": p.course.code, "name": p.course.name, "credits": p.course.credits,
             "score": _score_text(p.score), "sitting": p.sitting.name if p.sitting_id else "",
             "source": str(p.get_source_display())}
            for p in sorted(passed_courses_visible_to_candidate(candidate=candidate), key=lambda p: p.course.code)]


def profile_of(candidate, exam_number: ExamNumber | None) -> dict:
    user = candidate.user
    return {"name": user.real_name, "id_number_masked": mask_id_number(user.id_number),
            "exam_number": exam_number.number if exam_number else "",
            "exam_area": exam_number.exam_area.name if exam_number else "",
            "major": exam_number.major_name if exam_number else ""}


class TransferOutForm(Form):
    to_province = forms.ChoiceField(label=_("转入省份"), error_messages={"required": _("请选择转入省份")})
    receiving_authority = forms.CharField(
        label=_("接收机构"), max_length=50, required=False,
        help_text=_("转入省份的自学考试管理机构；不填写则使用该省考试机构名称。"))
    mailing_address = forms.CharField(label=_("档案邮寄地址"), max_length=120, required=False,
                                      help_text=_("接收机构的通信地址；不填写则使用该省考试机构地址。"))
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False)
    contact_phone = forms.CharField(label=_("接收机构联系电话"), max_length=20,
                                    error_messages={"required": _("请填写接收机构联系电话")})
    courses = forms.MultipleChoiceField(label=_("转出课程"), widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": _("请至少选择一门转出课程")})
    agree = forms.BooleanField(label=_("本人承诺所填信息真实准确，并已阅读知晓考籍转出相关要求及流程"),
                               error_messages={"required": _("请阅读须知并勾选承诺")})

    def __init__(self, *args, courses: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.available = courses
        self.provinces = {p.region.code: p for p in destination_provinces()}
        self.fields["to_province"].choices = [("", gettext("请选择省份"))] + [
            (code, p.name) for code, p in self.provinces.items()]
        self.fields["courses"].choices = [
            (c["code"], f"{c['code']} {c['name']}") for c in courses]
        if not self.is_bound and "courses" not in self.initial:
            self.initial["courses"] = [c["code"] for c in courses]

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        if not re.fullmatch(r"[0-9][0-9-]{6,18}[0-9]", value):
            raise forms.ValidationError(gettext("请填写正确的联系电话，例如 0971-8888888"))
        return value

    def clean(self):
        cleaned = super().clean()
        province = self.provinces.get(cleaned.get("to_province") or "")
        if province is None:
            return cleaned
        defaults = {"receiving_authority": province.authority_name, "mailing_address": province.address,
                    "postcode": province.postcode}
        for name, default in defaults.items():
            if not (cleaned.get(name) or "").strip():
                cleaned[name] = default or ""
            cleaned[name] = cleaned[name].strip()
        if not cleaned["receiving_authority"]:
            self.add_error("receiving_authority", gettext("请填写接收机构"))
        if not cleaned["mailing_address"]:
            self.add_error("mailing_address", gettext("请填写档案邮寄地址"))
        if not re.fullmatch(r"\d{6}", cleaned["postcode"]):
            self.add_error("postcode", gettext("请填写6位邮政编码"))
        return cleaned

    def to_data(self, *, profile: dict) -> dict:
        province = self.provinces[self.cleaned_data["to_province"]]
        chosen = set(self.cleaned_data["courses"])
        courses = [c for c in self.available if c["code"] in chosen]
        return {
            "profile": profile,
            "to_province": province.region.code, "to_province_name": province.name,
            "to_province_runs_kaowu": province.runs_kaowu,
            "receiving_authority": self.cleaned_data["receiving_authority"],
            "mailing_address": self.cleaned_data["mailing_address"], "postcode": self.cleaned_data["postcode"],
            "contact_phone": self.cleaned_data["contact_phone"],
            "courses": courses, "credits_total": sum(int(c["credits"] or 0) for c in courses),
        }


def initial_from(data: dict) -> dict:
    return {"to_province": data.get("to_province"), "receiving_authority": data.get("receiving_authority"),
            "mailing_address": data.get("mailing_address"), "postcode": data.get("postcode"),
            "contact_phone": data.get("contact_phone"), "courses": [c["code"] for c in data.get("courses", [])]}


def course_line(course: dict) -> str:
    parts = [course["code"], course["name"], gettext("%(n)s学分") % {"n": course["credits"]}]
    if course.get("score"):
        parts.append(gettext("%(score)s分") % {"score": course["score"]})
    if course.get("sitting"):
        parts.append(course["sitting"])
    parts.append(course.get("source", ""))
    return " ".join(p for p in parts if p)


def describe(data: dict) -> list[tuple[str, str]]:
    courses = data.get("courses", [])
    return [
        (gettext("转入省份"), data.get("to_province_name", "")),
        (gettext("接收机构"), data.get("receiving_authority", "")),
        (gettext("档案邮寄地址"), data.get("mailing_address", "")),
        (gettext("邮政编码"), data.get("postcode", "")),
        (gettext("接收机构联系电话"), data.get("contact_phone", "")),
        (gettext("转出课程"), gettext("%(count)s门，共%(credits)s学分：%(list)s") % {
            "count": len(courses), "credits": data.get("credits_total", 0),
            "list": "；".join(f"{c['code']} {c['name']}" for c in courses)}),
    ]


class DossierForm(Form):
    """登记寄档 by the province authority (the staff panel's form)."""
    carrier = forms.CharField(label=_("快递公司"), max_length=CARRIER_MAX,
                              widget=forms.TextInput(attrs={"placeholder": _("例如：中国邮政EMS")}),
                              error_messages={"required": _("请填写快递公司")})
    tracking_number = forms.CharField(label=_("快递单号"), max_length=TRACKING_MAX,
                                      error_messages={"required": _("请填写快递单号")})
    mailed_on = forms.DateField(label=_("寄档日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                error_messages={"required": _("请填写寄档日期"), "invalid": _("请填写正确的日期")})


def signature_content(application, data: dict | None = None) -> str:
    """The text the candidate signs (and the phone shows): built from the version's data only, so
    it is the same every time it is built and changes with any change of the data."""
    data = application.data if data is None else data
    profile = data.get("profile", {})
    lines = [
        gettext("考籍转出申请（申请编号 %(number)s）") % {"number": application.number},
        gettext("姓名：%(v)s") % {"v": profile.get("name", "")},
        gettext("身份证号：%(v)s") % {"v": profile.get("id_number_masked", "")},
        gettext("准考证号：%(v)s") % {"v": profile.get("exam_number", "")},
        gettext("考区：%(v)s") % {"v": profile.get("exam_area", "")},
        gettext("专业：%(v)s") % {"v": profile.get("major", "") or "—"},
        gettext("转入省份：%(v)s") % {"v": data.get("to_province_name", "")},
        gettext("接收机构：%(v)s") % {"v": data.get("receiving_authority", "")},
        gettext("档案邮寄地址：%(v)s（%(postcode)s）") % {"v": data.get("mailing_address", ""),
                                                     "postcode": data.get("postcode", "")},
        gettext("接收机构联系电话：%(v)s") % {"v": data.get("contact_phone", "")},
        gettext("转出课程（%(count)s门，共%(credits)s学分）：") % {"count": len(data.get("courses", [])),
                                                         "credits": data.get("credits_total", 0)},
    ]
    lines += [f"{i}. {course_line(c)}" for i, c in enumerate(data.get("courses", []), start=1)]
    lines.append(gettext("本人确认以上考籍转出信息无误。未按转入地要求办理转入或现场确认的，视同放弃转考申请，后果由本人承担。"))
    return "\n".join(lines)


def validate(application, data: dict) -> None:
    """At submission: an active 准考证号, another province as destination, courses still on the
    record, no other 考籍转出 in progress (the signature of exactly this version's text: SIGNATURE)."""
    from kaowu.records.selectors import passed_courses_of
    from kaowu.workflow.selectors import application_open_of
    from kaowu.workflow.services import WorkflowError

    exam_number = application.exam_number
    if exam_number is None or exam_number.status != ExamNumber.Status.ACTIVE:
        raise WorkflowError(gettext("考籍转出须使用在籍的准考证号办理。"))
    if not destination_provinces().filter(region__code=data.get("to_province")).exists():
        raise WorkflowError(gettext("请选择外省作为转入省份"), field="to_province")
    codes = {c["code"] for c in data.get("courses", [])}
    if not codes:
        raise WorkflowError(gettext("请至少选择一门转出课程"), field="courses")
    on_record = set(passed_courses_of(candidate=application.candidate).values_list("course__code", flat=True))
    if not codes <= on_record:
        raise WorkflowError(gettext("转出课程与考籍中的合格课程不一致，请修改申请后重新签字提交。"))
    other = application_open_of(candidate=application.candidate, type_code=CODE, exclude=application)
    if other is not None:
        raise WorkflowError(gettext("您已有一份正在办理的考籍转出申请（%(number)s），不能重复申请。")
                            % {"number": other.number})


def next_step(application, window) -> str | None:
    status = application.status
    if status == PENDING_PAYMENT:
        return gettext("请缴纳考籍转出手续费。缴费后签字确认并提交；缴费前可修改或删除申请。")
    if status == TO_SUBMIT:
        return gettext("手续费已缴纳。请核对转出信息，扫码签字后提交审核。")
    if status == Status.APPROVED:
        if application.data.get("to_province_runs_kaowu"):
            return gettext("审核已通过。转入省份也使用本平台（电子转考），等待省级考试机构导出电子转考数据包，无需寄送纸质档案。")
        return gettext("审核已通过，等待省级考试机构寄档。寄档后转出完成。")
    if status == COMPLETED:
        mailing = getattr(application, "dossier_dispatch", None)
        if mailing is not None and mailing.method == "electronic":
            return gettext("考籍档案已于%(date)s通过电子转考发送至%(province)s，转出完成。请留意转入省份的考籍转入确认通知，"
                           "在转入省份平台的“考籍转入”中确认。") % {
                "date": mailing.mailed_on.strftime("%Y年%m月%d日"), "province": application.data.get("to_province_name")}
        if mailing is not None:
            return gettext("考籍档案已于%(date)s寄出（%(carrier)s，单号 %(number)s），转出完成。请按转入省份要求办理转入。") % {
                "date": mailing.mailed_on.strftime("%Y年%m月%d日"), "carrier": mailing.carrier,
                "number": mailing.tracking_number}
        return gettext("转出完成。")
    return None


def _paid_texts(application, order):
    return (gettext("您的%(type)s手续费已缴纳") % {"type": application.type.label},
            gettext("申请编号 %(number)s 的手续费已缴纳（订单号 %(order)s）。请扫码签字后提交审核。")
            % {"number": application.number, "order": order.number})


def transfer_out_fee():
    from django.conf import settings

    return settings.KAOWU_TRANSFER_OUT_FEE


PAYMENT = PaymentGate(
    purpose="transfer_out", fee=transfer_out_fee, item=gettext_noop("考籍转出手续费"),
    status=PENDING_PAYMENT, then=TO_SUBMIT, paid_texts=_paid_texts,
    delete_refused=gettext_noop("申请当前状态为“%(status)s”，不能删除。只有待缴费的申请可以删除。"),
    paid_refused=gettext_noop("手续费已缴纳，不能删除该申请。请刷新页面，签字后提交或联系考试机构。"),
    deleted_comment=gettext_noop("删除考籍转出申请"),
    withdrawn_comment=gettext_noop("撤回考籍转出申请，退还手续费"),
)
SIGNATURE = SignatureGate(content=signature_content, purpose=gettext_noop("考籍转出申请"), statuses=SUBMITTABLE,
                          missing=gettext_noop("请先扫码签字确认转出信息，签字后才能提交。"),
                          template="transfers/_out_sign.html", subject_prefix="transfers")


class TransferOut(ApplicationType):
    code = CODE
    label = _("考籍转出")
    form_class = TransferOutForm
    review_chain = (
        ReviewStep(_("市考办审核"), Office.Kind.CITY_OFFICE, city_office_of_candidate),
        ReviewStep(_("省级考试机构审核"), Office.Kind.PROVINCE_AUTHORITY, province_authority),
    )
    window_kind = Kind.TRANSFER_OUT
    flow = FLOW
    status_labels = STATUS_LABELS
    badges = BADGES
    detail_url_name = "transfers:out_detail"
    edit_url_name = "transfers:out_edit"
    print_url_name = "transfers:out_form_pdf"
    pages = TypePages(namespace="transfers", prefix="out")  # the gates' pages (去缴费, 删除, 签字提交)
    texts = {"sign_print_link": _("下载转出登记表（核对用）")}
    initial_status = PENDING_PAYMENT
    editable_statuses = EDITABLE
    deletable_statuses = DELETABLE
    gates = (PAYMENT, SIGNATURE)
    rail = (
        RailStep(_("填写转出信息")),
        RailStep(_("缴费"), at=frozenset({PENDING_PAYMENT})),
        RailStep(_("签字提交"), at=frozenset({TO_SUBMIT, Status.RETURNED})),
        RailStep(_("审核"), at=frozenset({Status.REVIEWING}), fails=frozenset({Status.REJECTED})),
        RailStep(_("寄档"), at=frozenset({Status.APPROVED})),
        RailStep(_("完成")),
    )
    rail_done = frozenset({COMPLETED})

    def describe(self, data: dict) -> list[tuple[str, str]]:
        return describe(data)

    def validate(self, application, data: dict) -> None:
        validate(application, data)  # the signature: the SignatureGate, after this

    def before_save(self, *, application, candidate, exam_number) -> None:
        """保存 only inside the window, and one 考籍转出 at a time."""
        from kaowu.workflow.services import WorkflowError

        from .services import transfer_out_window

        if exam_number is None or exam_number.candidate_id != candidate.pk:
            raise WorkflowError(gettext("考籍转出须使用在籍的准考证号办理。"))
        transfer_out_window(exam_number=exam_number).require_open(WorkflowError)
        if application is None:
            from kaowu.workflow.selectors import application_open_of

            other = application_open_of(candidate=candidate, type_code=CODE)
            if other is not None:
                raise WorkflowError(gettext("您已有一份正在办理的考籍转出申请（%(number)s），不能重复申请。")
                                    % {"number": other.number})

    def next_step(self, application, window) -> str | None:
        return next_step(application, window)

    def staff_panel(self, request, application) -> dict | None:
        """The card on the staff detail page: the destination, the mailing once recorded, the 转出登记表,
        and for the province authority once 审核通过 寄档 (paper) or the electronic package (the other
        province runs kaowu too) — posted to transfers' staff URLs."""
        from django.utils import timezone

        staff = getattr(request, "staff", None)
        is_authority = staff is not None and staff.office.kind == Office.Kind.PROVINCE_AUTHORITY
        destination = Province.objects.filter(region__code=application.data.get("to_province")).first()
        electronic = destination is not None and destination.runs_kaowu  # 电子转考: both provinces on kaowu
        can_act = is_authority and application.status == Status.APPROVED
        can_mail = can_act and not electronic
        return {
            "template": "transfers/staff/out_panel.html",
            "application": application,
            "mailing": getattr(application, "dossier_dispatch", None),
            "can_mail": can_mail,
            "can_export": can_act and electronic,
            "can_download": is_authority,
            "electronic": electronic,
            "form": DossierForm(initial={"mailed_on": timezone.localdate()}) if can_mail else None,
            "data": application.data,
        }
