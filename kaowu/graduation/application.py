"""毕业申请 (issue #14 item 4; seeds 001 and 003, 毕业管理 › 毕业申请管理) as an application type of the
workflow engine.

Inside the 毕业申请 window the candidate
1. 【毕业申请】 chooses the 毕业专业: only a major whose plan his 考籍 completes (`eligibility.evaluate`
   over every major that still graduates, as 毕业预测 does), and in which he has not graduated; the
   others are listed with what they lack and cannot be chosen — the server refuses them too;
2. for a 本科 major, consents to 学历认证 and has his earlier 专科 diploma checked online
   (`degreecheck.py`, 学信网 through KAOWU_DEGREE_CHECK_PROVIDER); when it fails or the service times
   out he uploads 学历认证材料 instead (kaowu.core.uploads, checked by content);
3. fills and checks the 毕业生登记表 (工作单位, 通讯地址, 邮编, 联系电话, 个人简历, 自我鉴定; the photo is
   the 证件照 of his identity verification, as on the 准考证) → preview → 【确认提交申请】.

The 主考学校 of the major and then the province authority review it (退回修改 / 审核未通过 with the
reason, 批量审核通过 in the queues). The province's approval leads to 待考生网上确认 (the engine's
`ConfirmGate`): the candidate downloads the 毕业生登记表 (PDF) and either 【确认毕业信息无误】 — he is then
a graduate: a `Graduate` row with its 毕业证书编号 (never reused), 毕业日期, credits and the frozen 考籍 —
or 【毕业信息有误，修改重新提交】, which reopens the application (信息有误待修改); the correction goes round
the chain again.

    草稿 ──提交──▶ 审核中 (主考学校审核 → 省级考试机构审核) ──▶ 待考生网上确认 ──确认无误──▶ 已毕业
      ▲                 │ 退回修改 / 审核未通过 / 撤回            │ 信息有误
      └──── 退回修改 / 信息有误待修改 (modify, submit again) ◀──┘
"""

import re
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kaowu.catalog.models import BusinessWindow, Major
from kaowu.core.dates import cn_date
from kaowu.core.state import StateMachine
from kaowu.core.text import Form
from kaowu.organization.models import Office
from kaowu.workflow.gates import ConfirmGate
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import (
    ApplicationType,
    RailStep,
    ReviewStep,
    TypePages,
    province_authority,
    university_of_major,
)

from .eligibility import Verdict, evaluate, graduation_majors, plan_of, plans_of

CODE = "graduation"
MATERIAL = "degree_material"

# This type's own statuses (the engine's strings for the rest).
AWAITING_CONFIRMATION = "confirming"  # 待考生网上确认 (status columns hold 20 characters)
CORRECTING = "correcting"  # 毕业信息有误，修改重新提交

STATUS_LABELS = {
    AWAITING_CONFIRMATION: _("待考生网上确认"),
    CORRECTING: _("信息有误待修改"),
    Status.APPROVED: _("已毕业"),
}
BADGES = {AWAITING_CONFIRMATION: "warning", CORRECTING: "info", Status.APPROVED: "success"}

FLOW = StateMachine({
    Status.DRAFT: {Status.REVIEWING, Status.WITHDRAWN},
    Status.REVIEWING: {Status.REVIEWING, AWAITING_CONFIRMATION, Status.REJECTED, Status.RETURNED, Status.WITHDRAWN},
    Status.RETURNED: {Status.REVIEWING, Status.WITHDRAWN},
    AWAITING_CONFIRMATION: {Status.APPROVED, CORRECTING, Status.WITHDRAWN},  # 撤回: never locked in
    CORRECTING: {Status.REVIEWING, Status.WITHDRAWN},
})
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED, CORRECTING})

# 学历认证 results kept in the application's data ("degree": {...}).
DEGREE_PASSED, DEGREE_FAILED, DEGREE_UNAVAILABLE = "passed", "failed", "unavailable"
RESUME_ROWS = 3
PERIOD = re.compile(r"^(\d{4})\.(\d{1,2})\s*[-－—–~～至]+\s*(?:(\d{4})\.(\d{1,2})|至今)$")

CONFIRM = ConfirmGate(
    status=AWAITING_CONFIRMATION, disputed=CORRECTING, action=gettext_noop("网上确认"),
    confirmed_comment=gettext_noop("考生确认毕业信息无误"),
    disputed_comment=gettext_noop("考生确认毕业信息有误，修改重新提交"),
    waiting_text=gettext_noop("省级考试机构已审核通过。请下载毕业生登记表核对信息：无误请点击【确认毕业信息无误】，"
                              "有误请点击【毕业信息有误，修改重新提交】。请在毕业申请时间内完成网上确认。"),
    reached_texts=lambda application: (
        gettext("您的毕业申请已审核通过，待网上确认"),
        gettext("申请编号 %(number)s 已通过省级考试机构审核。请在毕业申请时间内登录考生服务平台，下载毕业生登记表核对信息，"
                "并完成网上确认。") % {"number": application.number}),
    confirmed_texts=lambda application: (
        gettext("您已毕业"),
        gettext("申请编号 %(number)s 已完成网上确认，毕业证书编号 %(certificate)s。") % {
            "number": application.number, "certificate": _certificate_number(application)}),
    disputed_texts=lambda application: (
        gettext("请修改毕业信息后重新提交"),
        gettext("申请编号 %(number)s：您确认毕业信息有误。请在毕业申请时间内修改后重新提交，重新提交后将再次审核。")
        % {"number": application.number}),
)


def _certificate_number(application) -> str:
    graduate = getattr(application, "graduate", None)
    return graduate.certificate_number if graduate is not None else ""


def is_bachelor(data: dict) -> bool:
    return data.get("level") == Major.Level.BACHELOR


# --- which majors the candidate may graduate in ---------------------------------------------------

def passed_ids(candidate) -> set[int]:
    """The 考籍 as the candidate may know it (every source), the record the rule is asked about."""
    from kaowu.records.selectors import passed_course_ids

    return passed_course_ids(candidate=candidate)


@dataclass
class MajorChoice:
    major: Major
    verdict: Verdict
    graduate: object | None = None  # his Graduate row in this major, if he graduated in it
    missing: list = field(default_factory=list)  # Course rows still missing (at most a few)

    @property
    def selectable(self) -> bool:
        return self.verdict.eligible and self.graduate is None


def major_choices(*, candidate, missing_shown: int = 6, others_shown: int = 8) -> tuple[list, list, int]:
    """(majors he may choose, other majors closest first with what they lack, how many more are not shown).
    Every verdict is `eligibility.evaluate` over his 考籍, as 毕业预测 computes it; a major he graduated
    in is listed with the others (已毕业)."""
    from kaowu.catalog.models import Course

    from .selectors import graduates_of

    passed = passed_ids(candidate)
    majors = list(graduation_majors().select_related("university"))
    plans = plans_of(majors)
    graduated = {g.major_id: g for g in graduates_of(candidate=candidate)}
    rows = [MajorChoice(major, evaluate(plans[major.pk], passed), graduated.get(major.pk)) for major in majors]
    rows = [row for row in rows if row.verdict.credits_required]
    selectable = [row for row in rows if row.selectable]
    others = sorted((row for row in rows if not row.selectable),
                    key=lambda r: (r.graduate is None, r.verdict.courses_missing, -r.verdict.percent, r.major.code))
    shown = [row for row in others if row.graduate is not None or row.verdict.credits_done][:others_shown]
    wanted = {c for row in shown for c in row.verdict.missing_course_ids[:missing_shown]}
    courses = Course.objects.in_bulk(wanted)
    for row in shown:
        row.missing = [courses[c] for c in row.verdict.missing_course_ids[:missing_shown] if c in courses]
    return selectable, shown, len(others) - len(shown)


def major_verdict(*, candidate, major: Major) -> Verdict:
    return evaluate(plan_of(major), passed_ids(candidate))


def major_refusal(*, candidate, major: Major | None) -> str | None:
    """Why the candidate may not graduate in `major` now (a Chinese sentence), or None. THE rule is
    `eligibility.evaluate`; this only words its answer."""
    from kaowu.catalog.models import Course

    from .selectors import graduate_of

    if major is None:
        return gettext("请选择毕业专业")
    graduate = graduate_of(candidate=candidate, major=major)
    if graduate is not None:
        return gettext("您已在%(major)s专业毕业（毕业证书编号 %(number)s），不能重复申请。") % {
            "major": major.name, "number": graduate.certificate_number}
    verdict = major_verdict(candidate=candidate, major=major)
    if not verdict.complete:
        names = Course.objects.in_bulk(verdict.missing_course_ids[:6])
        missing = "、".join(f"{c.code} {c.name}" for c in (names.get(i) for i in verdict.missing_course_ids[:6]) if c)
        return gettext("您的考籍尚未完成%(major)s专业计划（还差 %(n)s 门课程：%(courses)s），不能申请毕业。") % {
            "major": major.name, "n": verdict.courses_missing, "courses": missing}
    if not verdict.eligible:
        return gettext("%(major)s专业已停考，不能申请毕业。") % {"major": major.name}
    return None


def major_data(major: Major) -> dict:
    return {"major": major.code, "major_name": major.name, "level": major.level,
            "level_label": str(major.get_level_display()),
            "university": major.university.name if major.university_id else ""}


# --- the candidate's forms ------------------------------------------------------------------------

class MajorForm(Form):
    major = forms.ChoiceField(label=_("毕业专业"), widget=forms.RadioSelect,
                              error_messages={"required": _("请选择毕业专业"),
                                              "invalid_choice": _("所选专业不能申请毕业，请从可申请的专业中选择")})

    def __init__(self, *args, choices: list[MajorChoice], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["major"].choices = [
            (c.major.code, gettext("%(code)s %(name)s（%(level)s · 主考学校：%(university)s · %(credits)s学分）") % {
                "code": c.major.code, "name": c.major.name, "level": c.major.get_level_display(),
                "university": c.major.university.name, "credits": c.verdict.credits_done})
            for c in choices]


class DegreeCheckForm(Form):
    consent = forms.BooleanField(
        label=_("本人同意省级考试机构通过中国高等教育学生信息网（学信网）核验本人的专科毕业证书信息（学历认证）"),
        error_messages={"required": _("本科毕业须同意学历认证")})
    certificate_number = forms.CharField(
        label=_("专科毕业证书编号"), max_length=30,
        help_text=_("18位数字，见专科毕业证书，也可在学信网查询。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写专科毕业证书编号")})

    def clean_certificate_number(self):
        value = re.sub(r"\s+", "", self.cleaned_data["certificate_number"])
        if not re.fullmatch(r"[0-9]{18}", value):
            raise forms.ValidationError(gettext("毕业证书编号为18位数字，请核对"))
        return value


class RegisterForm(Form):
    """毕业生登记表: what the candidate fills in (his name, ID, major, photo and courses come from the records)."""

    work_unit = forms.CharField(label=_("工作单位"), max_length=80, help_text=_("没有工作单位的请填写“无”。"),
                                error_messages={"required": _("请填写工作单位（没有的填写“无”）")})
    address = forms.CharField(label=_("通讯地址"), max_length=120, error_messages={"required": _("请填写通讯地址")})
    postcode = forms.CharField(label=_("邮编"), max_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                               error_messages={"required": _("请填写邮编")})
    phone = forms.CharField(label=_("联系电话"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}),
                            error_messages={"required": _("请填写联系电话")})
    self_assessment = forms.CharField(
        label=_("自我鉴定"), max_length=300, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("300字以内：思想表现、学习情况和工作表现。"), error_messages={"required": _("请填写自我鉴定")})
    degree_material = forms.FileField(
        label=_("学历认证材料"), required=False,
        help_text=_("在线学历认证未通过时须上传：《教育部学历证书电子注册备案表》或学历认证报告，JPG、PNG或PDF，不超过5MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, material_needed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, RESUME_ROWS + 1):
            first = i == 1
            self.fields[f"resume_{i}_period"] = forms.CharField(
                label=gettext("个人简历 %(n)s · 起止年月") % {"n": i}, max_length=24, required=first,
                widget=forms.TextInput(attrs={"placeholder": "2015.09—2018.07"}),
                error_messages={"required": _("请至少填写一行个人简历")})
            self.fields[f"resume_{i}_unit"] = forms.CharField(
                label=gettext("个人简历 %(n)s · 学习或工作单位") % {"n": i}, max_length=60, required=first,
                error_messages={"required": _("请填写学习或工作单位")})
            self.fields[f"resume_{i}_role"] = forms.CharField(
                label=gettext("个人简历 %(n)s · 职务（身份）") % {"n": i}, max_length=20, required=False,
                widget=forms.TextInput(attrs={"placeholder": gettext("如：学生、职员")}))
        self.material_needed = material_needed
        if not material_needed:
            del self.fields["degree_material"]
        else:  # after the resume rows, as on the seed's page
            self.fields["degree_material"] = self.fields.pop("degree_material")

    def resume_fields(self):
        return [[self[f"resume_{i}_{part}"] for part in ("period", "unit", "role")] for i in range(1, RESUME_ROWS + 1)]

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if not re.fullmatch(r"[0-9]{6}", value):
            raise forms.ValidationError(gettext("请填写6位邮编"))
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip().replace(" ", "")
        if not re.fullmatch(r"(1[3-9][0-9]{9})|(0[0-9]{2,3}-?[0-9]{7,8})", value):
            raise forms.ValidationError(gettext("请填写正确的联系电话：11位手机号或带区号的固定电话"))
        return value

    def clean(self):
        cleaned = super().clean()
        for i in range(1, RESUME_ROWS + 1):
            period, unit = cleaned.get(f"resume_{i}_period") or "", cleaned.get(f"resume_{i}_unit") or ""
            if period:
                match = PERIOD.match(period.strip())
                if not match:
                    self.add_error(f"resume_{i}_period", gettext("起止年月请写作 2015.09—2018.07（至今的写 2020.09—至今）"))
                else:
                    start = f"{match.group(1)}.{int(match.group(2)):02d}"
                    end = f"{match.group(3)}.{int(match.group(4)):02d}" if match.group(3) else "至今"
                    cleaned[f"resume_{i}_period"] = f"{start}—{end}"
            if bool(period) != bool(unit) and not self.errors.get(f"resume_{i}_period"):
                self.add_error(f"resume_{i}_unit" if period else f"resume_{i}_period",
                               gettext("起止年月和学习或工作单位须一起填写"))
        return cleaned

    def to_data(self) -> dict:
        data = self.cleaned_data
        resume = [{"period": data[f"resume_{i}_period"], "unit": data[f"resume_{i}_unit"],
                   "role": data.get(f"resume_{i}_role") or ""}
                  for i in range(1, RESUME_ROWS + 1) if data.get(f"resume_{i}_period")]
        return {"work_unit": data["work_unit"], "address": data["address"], "postcode": data["postcode"],
                "phone": data["phone"], "resume": resume, "self_assessment": data["self_assessment"]}


def register_initial(register: dict) -> dict:
    initial = {k: register.get(k, "") for k in ("work_unit", "address", "postcode", "phone", "self_assessment")}
    for i, row in enumerate(register.get("resume") or [], start=1):
        for part in ("period", "unit", "role"):
            initial[f"resume_{i}_{part}"] = row.get(part, "")
    return initial


# --- what the pages, the PDF and the reviewers read -----------------------------------------------

def degree_text(degree: dict | None, *, material: bool | None = None) -> str:
    """The 学历认证 result in words; `material`: whether 学历认证材料 is uploaded (None: not said)."""
    degree = degree or {}
    status = degree.get("status")
    if status == DEGREE_PASSED:
        return gettext("在线学历认证通过：%(school)s · %(major)s · %(level)s · %(date)s毕业（证书编号 %(number)s）") % {
            "school": degree.get("school", ""), "major": degree.get("major", ""), "level": degree.get("level", ""),
            "date": degree.get("graduated_on_text", ""), "number": degree.get("certificate_number", "")}
    if status in (DEGREE_FAILED, DEGREE_UNAVAILABLE):
        text = gettext("在线学历认证未通过（%(reason)s，证书编号 %(number)s）") % {
            "reason": degree.get("reason") or "", "number": degree.get("certificate_number", "")} \
            if status == DEGREE_FAILED else gettext("学历认证服务无响应，未能认证（证书编号 %(number)s）") % {
                "number": degree.get("certificate_number", "")}
        if material is None:
            return text
        return text + "；" + (gettext("已上传学历认证材料") if material else gettext("须上传学历认证材料"))
    return gettext("尚未认证")


def resume_text(register: dict) -> str:
    return "；".join(" ".join(part for part in (row.get("period", ""), row.get("unit", ""), row.get("role", "")) if part)
                    for row in register.get("resume") or [])


def describe(data: dict) -> list[tuple[str, str]]:
    if not data.get("major"):
        return []
    rows = [(gettext("毕业专业"), f"{data.get('major', '')} {data.get('major_name', '')}（{data.get('level_label', '')}）"),
            (gettext("主考学校"), data.get("university", ""))]
    if is_bachelor(data):
        rows.append((gettext("学历认证"), degree_text(data.get("degree"))))
    register = data.get("register") or {}
    if register:
        rows += [(gettext("工作单位"), register.get("work_unit", "")), (gettext("通讯地址"), register.get("address", "")),
                 (gettext("邮编"), register.get("postcode", "")), (gettext("联系电话"), register.get("phone", "")),
                 (gettext("个人简历"), resume_text(register)), (gettext("自我鉴定"), register.get("self_assessment", ""))]
    return rows


def degree_satisfied(application, data: dict) -> bool:
    """本科: consent and the online check passed, or (after a failure or a timeout) the material uploaded."""
    degree = data.get("degree") or {}
    if not degree.get("consent"):
        return False
    if degree.get("status") == DEGREE_PASSED:
        return True
    if degree.get("status") in (DEGREE_FAILED, DEGREE_UNAVAILABLE):
        return application.current_version.attachments.filter(kind=MATERIAL).exists()
    return False


def validate(application, data: dict) -> None:
    """At submission, under the lock: every rule again on the server, whatever the pages showed."""
    from kaowu.candidates.models import Candidate, ExamNumber
    from kaowu.workflow.selectors import application_open_of
    from kaowu.workflow.services import WorkflowError

    exam_number = application.exam_number
    if exam_number is None or exam_number.status != ExamNumber.Status.ACTIVE:
        raise WorkflowError(gettext("毕业申请须使用在籍的准考证号办理。"))
    major = Major.objects.filter(code=data.get("major") or "").select_related("university").first()
    refusal = major_refusal(candidate=application.candidate, major=major)
    if refusal:
        raise WorkflowError(refusal, field="major")
    if is_bachelor(data):
        degree = data.get("degree") or {}
        if not degree.get("consent") or not degree.get("status"):
            raise WorkflowError(gettext("本科毕业须同意学历认证并完成在线学历认证。"), field="degree")
        if not degree_satisfied(application, data):
            raise WorkflowError(gettext("在线学历认证未通过，请上传学历认证材料。"), field=MATERIAL)
    register = data.get("register") or {}
    if not all(register.get(k) for k in ("work_unit", "address", "postcode", "phone", "self_assessment")) \
            or not register.get("resume"):
        raise WorkflowError(gettext("请填写并核对毕业生登记表。"), field="register")
    # Two applications submitted at once: the candidate's row serialises them.
    Candidate.objects.select_for_update().filter(pk=application.candidate_id).first()
    other = application_open_of(candidate=application.candidate, type_code=CODE, exclude=application)
    if other is not None:
        raise WorkflowError(gettext("您已有一份正在办理的毕业申请（%(number)s），不能重复申请。") % {"number": other.number})


# --- the type --------------------------------------------------------------------------------------

class GraduationApplication(ApplicationType):
    code = CODE
    label = _("毕业")
    review_chain = (
        ReviewStep(_("主考学校审核"), Office.Kind.UNIVERSITY, university_of_major("major")),
        ReviewStep(_("省级考试机构审核"), Office.Kind.PROVINCE_AUTHORITY, province_authority),
    )
    window_kind = BusinessWindow.Kind.GRADUATION
    flow = FLOW
    status_labels = STATUS_LABELS
    badges = BADGES
    attachment_kinds = {MATERIAL: _("学历认证材料")}
    pages = TypePages(namespace="graduation", prefix="application")
    print_url_name = "graduation:application_form_pdf"
    notice_template = "graduation/application/_notice.html"
    list_columns = ((_("毕业专业"), "major_name"),)
    editable_statuses = EDITABLE
    gates = (CONFIRM,)
    texts = {"apply": _("毕业申请"), "form_title": _("毕业申请"), "preview_title": _("核对毕业生登记表"),
             "preview_hint": _("请核对毕业生登记表信息，确认无误后点击【确认提交申请】。提交后在审核期间不能修改。"),
             "detail_title": _("毕业申请详情"), "submitted": _("毕业申请已提交，等待主考学校审核（消息和短信会通知您）。")}
    rail = (
        RailStep(_("毕业专业")),
        RailStep(_("学历认证")),
        RailStep(_("登记表"), at=frozenset({Status.RETURNED, CORRECTING})),
        RailStep(_("确认提交")),  # a 草稿 is at the page the candidate is on
        RailStep(_("学校审核"), at=frozenset({(Status.REVIEWING, 0)}), fails=frozenset({(Status.REJECTED, 0)})),
        RailStep(_("省级审核"), at=frozenset({(Status.REVIEWING, 1)}), fails=frozenset({(Status.REJECTED, 1)})),
        RailStep(_("网上确认"), at=frozenset({AWAITING_CONFIRMATION})),
    )

    def describe(self, data: dict) -> list[tuple[str, str]]:
        return describe(data)

    def validate(self, application, data: dict) -> None:
        validate(application, data)

    def before_save(self, *, application, candidate, exam_number) -> None:
        """A new one only while none is in progress (the server refuses a second 毕业申请)."""
        if application is not None:
            return
        from kaowu.workflow.selectors import application_open_of
        from kaowu.workflow.services import WorkflowError

        other = application_open_of(candidate=candidate, type_code=CODE)
        if other is not None:
            raise WorkflowError(gettext("您已有一份正在办理的毕业申请（%(number)s），不能重复申请。") % {"number": other.number})

    def next_step(self, application, window) -> str | None:
        if application.status == Status.APPROVED:
            graduate = getattr(application, "graduate", None)
            if graduate is not None:
                return gettext("毕业证书编号 %(number)s，毕业日期 %(date)s。请留意领取毕业证书的通知。") % {
                    "number": graduate.certificate_number, "date": cn_date(graduate.graduated_on)}
        if application.status == CORRECTING:
            return gettext("您确认毕业信息有误：请点击【修改】，修改后在毕业申请时间内重新提交，重新提交后将再次审核。")
        return super().next_step(application, window)

    def outcome(self, application, *, approved: bool, **result) -> None:
        """确认毕业信息无误: the candidate becomes a graduate (graduation's own service)."""
        if approved:
            from .services_application import graduate_register

            graduate_register(application=application)

    def staff_panel(self, request, application) -> dict | None:
        from .selectors import graduate_of, id_photo_of

        data = application.data
        major = Major.objects.filter(code=data.get("major") or "").select_related("university").first()
        verdict = major_verdict(candidate=application.candidate, major=major) if major else None
        version = application.current_version
        missing = []
        if verdict is not None and not verdict.complete:
            from kaowu.catalog.models import Course

            courses = Course.objects.in_bulk(verdict.missing_course_ids)
            missing = [courses[c] for c in verdict.missing_course_ids if c in courses]
        return {
            "template": "graduation/application/staff_panel.html",
            "application": application, "data": data, "major": major, "verdict": verdict, "missing": missing,
            "bachelor": is_bachelor(data), "degree": data.get("degree") or {},
            "material": version.attachments.filter(kind=MATERIAL).first() if version else None,
            "has_photo": id_photo_of(application.candidate.user) is not None,
            "graduate": graduate_of(candidate=application.candidate, major=major) if major else None,
        }


def profile_of(application) -> dict:
    """The person on the 毕业生登记表, from the records: 姓名, 性别 and 出生日期 (the ID number's), 民族 (建档),
    the masked ID number and the 准考证号."""
    from kaowu.core.masking import mask_id_number

    user = application.candidate.user
    number = user.id_number or ""
    filing = getattr(application.candidate, "filing", None)
    gender = filing.gender if filing is not None and filing.gender else (
        (gettext("男") if int(number[16]) % 2 else gettext("女")) if len(number) == 18 and number[16].isdigit() else "")
    return {"name": user.real_name, "gender": gender,
            "birth": f"{number[6:10]}年{number[10:12]}月{number[12:14]}日" if len(number) == 18 else "",
            "nation": filing.nation if filing is not None else "", "id_number_masked": mask_id_number(number),
            "exam_number": application.exam_number.number if application.exam_number_id else ""}


def course_rows(application) -> tuple[list[dict], int]:
    """The courses that complete the plan (the graduate's frozen record once he graduated, else the live
    考籍) and their credits."""
    graduate = getattr(application, "graduate", None) if application.status == Status.APPROVED else None
    if graduate is not None:
        return graduate.snapshot, graduate.credits
    major = Major.objects.filter(code=application.data.get("major") or "").first()
    if major is None:
        return [], 0
    from .services_application import record_snapshot

    verdict = major_verdict(candidate=application.candidate, major=major)
    return record_snapshot(candidate=application.candidate, verdict=verdict), verdict.credits_done
