"""免考申请 (issue #14 item 1; seeds 001, 002, 003): a candidate with a certificate asks to be exempted
from courses of his own plan.

Two kinds: 学历证书免考 (school, major, level, certificate number, graduation date) and 非学历证书免考
(certificate name, number, date). The candidate reads the requirements and ticks 我已阅读并知晓免考相关
要求及流程, picks the province's rule (`ExemptionRule`: a certificate or qualification → courses of a
major's plan) and the courses it exempts in his own plan that are not on his 考籍 yet, uploads the
certificate (and up to two more proofs), previews and submits inside the 免考 window.

Each course is an `ApplicationItem`: the exam area (考区) and then the province authority decide course
by course (不通过 with the reason the candidate reads), or return the whole application (退回修改: the
candidate corrects and resubmits). On approval every approved course joins the 考籍 as a
`PassedCourse` of source 免考 (`records.services.passed_course_exempt`), so 报考 refuses it and 毕业预测
counts it.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.catalog.models import BusinessWindow, Course
from kaowu.core.text import Form
from kaowu.organization.models import Office
from kaowu.workflow.types import ApplicationType, ReviewStep, TypePages, province_authority

from .models import ExemptionRule
from .selectors import exemptible_courses, rules_for

CODE = "exemption"
Kind = ExemptionRule.Kind
LEVELS = (("junior_college", _("专科")), ("bachelor", _("本科")), ("postgraduate", _("研究生")))
ACADEMIC_FIELDS = ("school", "studied_major", "level", "academic_number", "graduated_on")
NON_ACADEMIC_FIELDS = ("certificate_name", "certificate_number", "issued_on")
CERTIFICATE = "certificate_scan"


def exam_area_of_exam_number(application, data) -> Office | None:
    """考区 of the application's 准考证号."""
    area = application.exam_number.exam_area if application.exam_number_id else None
    return area if area is not None and area.is_active else None


def _rule_label(rule: ExemptionRule) -> str:
    return f"{rule.get_kind_display()}：{rule.certificate}（{rule.major.code} {rule.major.name}）"


class CourseCheckboxes(forms.CheckboxSelectMultiple):
    """A list of checkboxes rendered as a list with the field's own label (includes/field.html wraps a
    widget whose input_type is "checkbox" in its label, as for a single checkbox)."""

    input_type = "checkbox-list"

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["type"] = "checkbox"
        return option


class ExemptionForm(Form):
    agree = forms.BooleanField(label=_("我已阅读并知晓免考相关要求及流程"),
                               error_messages={"required": _("请阅读免考须知并勾选“我已阅读并知晓免考相关要求及流程”")})
    kind = forms.ChoiceField(label=_("免考类型"), choices=Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("请选择免考类型")})
    rule = forms.ChoiceField(label=_("免考依据（证书或资格）"), error_messages={"required": _("请选择免考依据")},
                             help_text=_("省级考试机构公布的免考规则，仅列出您报考专业的规则。"))
    school = forms.CharField(label=_("毕业学校"), max_length=60, required=False,
                             help_text=_("学历证书免考填写，下同。"))
    studied_major = forms.CharField(label=_("所学专业"), max_length=60, required=False)
    level = forms.ChoiceField(label=_("学历层次"), choices=(("", "—"), *LEVELS), required=False)
    academic_number = forms.CharField(label=_("毕业证书编号"), max_length=40, required=False)
    graduated_on = forms.DateField(label=_("毕业日期"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    certificate_name = forms.CharField(label=_("证书名称"), max_length=60, required=False,
                                       help_text=_("非学历证书免考填写，下同。"))
    certificate_number = forms.CharField(label=_("证书编号"), max_length=40, required=False)
    issued_on = forms.DateField(label=_("发证日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    courses = forms.MultipleChoiceField(label=_("申请免考课程"), widget=CourseCheckboxes,
                                        error_messages={"required": _("请选择申请免考的课程")},
                                        help_text=_("仅列出您专业计划中尚未合格、尚未免考的课程。"))
    certificate_scan = forms.FileField(
        label=_("证书照片或扫描件"), required=False,
        help_text=_("点击上传：可用手机拍照，JPG、PNG或PDF文件，不超过5MB。提交时必须上传。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png", "capture": "environment"}))
    proof_2 = forms.FileField(label=_("其他证明材料一（选填）"), required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    proof_3 = forms.FileField(label=_("其他证明材料二（选填）"), required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, candidate=None, exam_number=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.rules = {str(rule.pk): rule for rule in rules_for(exam_number=exam_number)}
        self.exemptible = {key: exemptible_courses(rule=rule, candidate=candidate) for key, rule in self.rules.items()}
        self.fields["rule"].choices = [("", gettext("请选择"))] + [(k, _rule_label(r)) for k, r in self.rules.items()]
        courses = {c.code: c for found in self.exemptible.values() for c in found}
        self.fields["courses"].choices = [(code, f"{c.code} {c.name}（{c.credits}学分）")
                                          for code, c in sorted(courses.items())]

    def _required(self, names) -> None:
        for name in names:
            if not self.cleaned_data.get(name):
                self.add_error(name, gettext("请填写%(field)s") % {"field": self.fields[name].label})

    def clean(self):
        data = super().clean()
        rule = self.rules.get(data.get("rule") or "")
        if rule is not None and data.get("kind") and rule.kind != data["kind"]:
            self.add_error("rule", gettext("所选免考依据不属于%(kind)s") % {"kind": Kind(data["kind"]).label})
        if data.get("kind") == Kind.ACADEMIC:
            self._required(ACADEMIC_FIELDS)
        elif data.get("kind") == Kind.NON_ACADEMIC:
            self._required(NON_ACADEMIC_FIELDS)
        today = timezone.localdate()
        for name in ("graduated_on", "issued_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, gettext("日期不能晚于今天"))
        if rule is not None and data.get("courses"):
            allowed = {c.code for c in self.exemptible[str(rule.pk)]}
            outside = [code for code in data["courses"] if code not in allowed]
            if outside:
                self.add_error("courses", gettext("课程 %(codes)s 不在所选免考依据可免考的范围内")
                               % {"codes": "、".join(outside)})
        return data

    def to_data(self) -> dict:
        data = self.cleaned_data
        rule = self.rules[data["rule"]]
        fields = ACADEMIC_FIELDS if data["kind"] == Kind.ACADEMIC else NON_ACADEMIC_FIELDS
        values = {name: (data[name].isoformat() if isinstance(data[name], datetime.date) else data[name])
                  for name in fields}
        names = dict(Course.objects.filter(code__in=data["courses"]).values_list("code", "name"))
        return {"kind": data["kind"], "kind_label": str(Kind(data["kind"]).label), "rule": rule.pk,
                "rule_label": _rule_label(rule), "major": rule.major.code, "courses": sorted(data["courses"]),
                "course_labels": [f"{code} {names.get(code, '')}" for code in sorted(data["courses"])], **values}


FIELD_LABELS = dict(
    school=_("毕业学校"), studied_major=_("所学专业"), level=_("学历层次"), academic_number=_("毕业证书编号"),
    graduated_on=_("毕业日期"), certificate_name=_("证书名称"), certificate_number=_("证书编号"),
    issued_on=_("发证日期"))


def describe(data: dict) -> list[tuple[str, str]]:
    rows = [(gettext("免考类型"), data.get("kind_label", "")), (gettext("免考依据"), data.get("rule_label", ""))]
    fields = ACADEMIC_FIELDS if data.get("kind") == Kind.ACADEMIC else NON_ACADEMIC_FIELDS
    for name in fields:
        value = data.get(name, "")
        if name == "level":
            value = str(dict(LEVELS).get(value, value))
        rows.append((str(FIELD_LABELS[name]), value))
    rows.append((gettext("申请免考课程"), "、".join(data.get("course_labels", []))))
    return rows


def validate(application, data: dict) -> None:
    """At submission, under the lock: an active 准考证号, an active rule of one of the candidate's own
    majors and of the kind chosen, courses it exempts that are not on the 考籍 (passed, transferred in,
    exempted), no other 免考申请 in progress, the certificate uploaded. Then the courses become the
    items the offices decide one by one."""
    from kaowu.workflow.selectors import application_open_of
    from kaowu.workflow.services import WorkflowError, application_items_set

    if not application.type.is_editable(application.status):
        # the engine's flow allows 审核中 → 审核中 (the next step): a submitted application is not submitted again
        raise WorkflowError(gettext("申请当前状态为“%(status)s”，不能提交。") % {"status": application.status_label})
    exam_number = application.exam_number
    if exam_number is None or exam_number.status != ExamNumber.Status.ACTIVE:
        raise WorkflowError(gettext("免考申请须使用在籍的准考证号办理。"))
    rule = rules_for(exam_number=exam_number, kind=data.get("kind", "")).filter(pk=data.get("rule")).first()
    if rule is None:
        raise WorkflowError(gettext("所选免考依据已失效或不适用于您的报考专业，请重新选择。"), field="rule")
    codes = list(data.get("courses") or [])
    if not codes:
        raise WorkflowError(gettext("请选择申请免考的课程"), field="courses")
    allowed = {c.code: c for c in exemptible_courses(rule=rule, candidate=application.candidate)}
    refused = [code for code in codes if code not in allowed]
    if refused:
        raise WorkflowError(gettext("课程 %(codes)s 已合格、已免考或不在您的专业计划中，不能申请免考。")
                            % {"codes": "、".join(refused)}, field="courses")
    # Two drafts submitted at once: the candidate's row serialises them, so only one gets past this check.
    Candidate.objects.select_for_update().filter(pk=application.candidate_id).first()
    other = application_open_of(candidate=application.candidate, type_code=CODE, exclude=application)
    if other is not None:
        raise WorkflowError(gettext("您已有一份正在办理的免考申请（%(number)s），不能重复申请。")
                            % {"number": other.number})
    if not application.current_version.attachments.filter(kind=CERTIFICATE).exists():
        raise WorkflowError(gettext("请上传证书照片或扫描件"), field=CERTIFICATE)
    application_items_set(application=application,
                          items=[(code, f"{code} {allowed[code].name}") for code in sorted(codes)])


class Exemption(ApplicationType):
    code = CODE
    label = _("免考")
    form_class = ExemptionForm
    review_chain = (
        ReviewStep(_("考区审核"), Office.Kind.EXAM_AREA, exam_area_of_exam_number),
        ReviewStep(_("省级考试机构审核"), Office.Kind.PROVINCE_AUTHORITY, province_authority),
    )
    window_kind = BusinessWindow.Kind.EXEMPTION
    attachment_kinds = {CERTIFICATE: _("证书照片或扫描件"), "proof_2": _("其他证明材料一"),
                        "proof_3": _("其他证明材料二")}
    pages = TypePages(namespace="exemptions", prefix="exemption")
    notice_template = "exemptions/_notice.html"
    list_columns = ((_("免考类型"), "kind_label"),)
    texts = {"preview_hint": _("请确认证书信息、免考课程和证明材料无误后提交申请。提交后在审核期间不能修改。")}

    def describe(self, data: dict) -> list[tuple[str, str]]:
        return describe(data)

    def validate(self, application, data: dict) -> None:
        validate(application, data)

    def may_apply(self, *, candidate, exam_number) -> str | None:
        refused = super().may_apply(candidate=candidate, exam_number=exam_number)
        if refused is None and not rules_for(exam_number=exam_number).exists():
            return gettext("您报考的专业暂无免考规则，不能申请免考。如有疑问请咨询所在考区。")
        return refused

    def form_kwargs(self, *, candidate, exam_number, application) -> dict:
        return {"candidate": candidate, "exam_number": exam_number}

    def form_initial(self, application) -> dict:
        initial = super().form_initial(application)
        if "rule" in initial:
            initial["rule"] = str(initial["rule"])
        return initial

    def outcome(self, application, *, approved: bool, **result) -> None:
        """Every course approved joins the 考籍 as 免考 (records' public service)."""
        if not approved:
            return
        from kaowu.records.services import passed_course_exempt
        from kaowu.workflow.models import ApplicationItem

        codes = application.items.filter(decision=ApplicationItem.Decision.APPROVED).values_list("key", flat=True)
        for course in Course.objects.filter(code__in=list(codes)):
            passed_course_exempt(candidate=application.candidate, course=course,
                                 note=gettext("免考申请 %(number)s") % {"number": application.number})
