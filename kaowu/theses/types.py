"""毕业论文答辩申请 (seed 003, 毕业管理 › 毕业论文答辩申请; issue #14 item 3) as an application type of the
workflow engine.

Inside the 毕业论文答辩申请 window (`BusinessWindow.Kind.THESIS`) the candidate clicks 【申请毕业论文答辩】,
fills in and confirms his contact details (手机号 prefilled, 通讯地址 and 邮政编码 from his 建档, 电子邮箱
optional) and his graduation information (his own major with its thesis course, 论文题目, optional
指导教师), previews and submits to the 主考学校 of the major (`university_of_major`). He may apply only when
the thesis is not on his 考籍 yet and his theory courses are passed, or all but
`KAOWU_THESIS_THEORY_MISSING_ALLOWED` (selectors.py, counted by the graduation rule); one application at a
time.

The 主考学校 either 打回 it (the engine's 退回修改 with a reason: the candidate reads why and resubmits after
【修改申请信息】, back to the university) or 审核未通过 (the engine's), or accepts it in the type's card of
the staff page — 待答辩, with the defence arrangements the candidate reads — and later records the outcome
there: 通过 with a grade 优秀 / 良好 / 中等 / 及格, or 不通过 (不及格). A pass puts the thesis course on the
考籍 (`records.services.passed_course_grant`, source 毕业论文答辩合格, no score, the grade in the note) in the
same transaction. Only the university whose queue the application is in acts (it is the major's).

    草稿 ──提交──▶ 审核中 (主考学校审核) ──审核通过──▶ 待答辩 ──登记答辩结果──▶ 答辩通过 / 答辩未通过
                    │ 打回 (退回修改) → 已打回 ──修改申请信息──▶ 审核中
                    │ 审核未通过
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.catalog.models import BusinessWindow, Course, Major
from kaowu.core.dates import cn_datetime
from kaowu.core.state import StateMachine
from kaowu.core.text import Form
from kaowu.core.validation import normalize_phone
from kaowu.organization.models import Office
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import (
    REJECT,
    RETURN,
    ApplicationType,
    RailStep,
    ReviewStep,
    TypePages,
    university_of_major,
)

from .models import DefenceResult
from .selectors import thesis_open_application, thesis_standing

CODE = "thesis"

# This type's own statuses (the engine's strings for the rest).
AWAITING_DEFENCE = "awaiting_defence"
DEFENCE_FAILED = "defence_failed"

STATUS_LABELS = {
    Status.RETURNED: _("已打回"),
    AWAITING_DEFENCE: _("待答辩"),
    Status.APPROVED: _("答辩通过"),
    DEFENCE_FAILED: _("答辩未通过"),
}
BADGES = {AWAITING_DEFENCE: "info", DEFENCE_FAILED: "danger"}

FLOW = StateMachine({
    Status.DRAFT: {Status.REVIEWING, Status.WITHDRAWN},
    Status.REVIEWING: {AWAITING_DEFENCE, Status.RETURNED, Status.REJECTED, Status.WITHDRAWN},
    Status.RETURNED: {Status.REVIEWING, Status.WITHDRAWN},
    AWAITING_DEFENCE: {Status.APPROVED, DEFENCE_FAILED},
})

Grade = DefenceResult.Grade


def major_label(major: Major) -> str:
    return f"{major.code} {major.name}（{major.get_level_display()}）"


def course_label(course: Course) -> str:
    return gettext("%(code)s %(name)s（%(credits)s学分）") % {"code": course.code, "name": course.name,
                                                           "credits": course.credits}


# --- the candidate's form ------------------------------------------------------------------------

class ThesisForm(Form):
    """联系方式 and 毕业信息 (the major and its thesis course are his own, shown above the form, not typed)."""

    phone = forms.CharField(label=_("手机号码"), max_length=20, help_text=_("主考学校通过此号码联系您，默认为账号绑定的手机号。"),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                            error_messages={"required": _("请填写手机号码")})
    address = forms.CharField(label=_("通讯地址"), max_length=120, error_messages={"required": _("请填写通讯地址")},
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    postcode = forms.RegexField(label=_("邮政编码"), regex=r"^\d{6}$", max_length=6,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
                                error_messages={"required": _("请填写邮政编码"), "invalid": _("邮政编码为6位数字")})
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False, max_length=120,
                             error_messages={"invalid": _("电子邮箱格式不正确")})
    title = forms.CharField(label=_("论文题目"), max_length=100, error_messages={"required": _("请填写论文题目")},
                            help_text=_("与提交主考学校的论文一致，不超过100字。"))
    supervisor = forms.CharField(label=_("指导教师（选填）"), max_length=30, required=False,
                                 help_text=_("已由主考学校安排指导教师的填写，例如：王建国 教授。"))
    agree = forms.BooleanField(label=_("我已核对联系方式及毕业信息，确认无误"),
                               error_messages={"required": _("请核对联系方式及毕业信息后勾选确认")})

    def __init__(self, *args, candidate=None, standing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.standing = standing
        if not self.is_bound and not self.initial and candidate is not None:
            self.initial = initial_contact(candidate)

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 4:
            raise ValidationError(gettext("论文题目至少4个字"))
        return title

    def clean_supervisor(self):
        return " ".join(self.cleaned_data["supervisor"].split())

    def clean_address(self):
        return " ".join(self.cleaned_data["address"].split())

    def to_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("phone", "address", "postcode", "email", "title",
                                                           "supervisor")}
        return {**data, **graduation_data(self.standing)}


def initial_contact(candidate) -> dict:
    """The contact details a new application starts with: the account's phone and e-mail, the 通讯地址 and
    邮编 of his 建档."""
    user = candidate.user
    initial = {"phone": user.phone or "", "email": user.email or ""}
    filing = getattr(candidate, "filing", None)
    if filing is not None:
        initial.update(address=filing.address, postcode=filing.postcode)
    return initial


def graduation_data(standing) -> dict:
    """毕业信息 as the version's data keeps it (so that the 主考学校 reads what the candidate confirmed)."""
    if standing is None or standing.major is None or standing.thesis is None:
        return {}
    major, thesis = standing.major, standing.thesis
    return {"major": major.code, "major_label": major_label(major), "thesis_course": thesis.code,
            "thesis_label": course_label(thesis), "university": major.university.name}


def describe(data: dict) -> list[tuple[str, str]]:
    return [
        (gettext("手机号码"), data.get("phone", "")),
        (gettext("通讯地址"), data.get("address", "")),
        (gettext("邮政编码"), data.get("postcode", "")),
        (gettext("电子邮箱"), data.get("email", "")),
        (gettext("毕业专业"), data.get("major_label", "")),
        (gettext("毕业论文"), data.get("thesis_label", "")),
        (gettext("论文题目"), data.get("title", "")),
        (gettext("指导教师"), data.get("supervisor", "")),
        (gettext("主考学校"), data.get("university", "")),
    ]


# --- the 主考学校's forms (the card of the staff page) -----------------------------------------------

class AcceptForm(Form):
    """审核通过（待答辩）, with the arrangements the candidate reads."""

    arrangement = forms.CharField(
        label=_("答辩安排（选填）"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("考生将在消息、短信和申请详情中看到，例如：答辩时间、地点、需携带的材料。"))


class ResultForm(Form):
    """登记答辩结果: 通过 with a passing grade, or 不通过 (不及格)."""

    outcome = forms.ChoiceField(label=_("答辩结果"), widget=forms.RadioSelect,
                                choices=[("passed", _("通过")), ("failed", _("不通过"))],
                                error_messages={"required": _("请选择答辩结果")})
    grade = forms.ChoiceField(label=_("成绩等级"), required=False, choices=[("", _("请选择"))] + Grade.choices,
                              help_text=_("通过：优秀、良好、中等或及格；不通过为不及格。"))
    defended_on = forms.DateField(label=_("答辩日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"required": _("请填写答辩日期"), "invalid": _("答辩日期格式不正确")})
    note = forms.CharField(label=_("说明（选填）"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        outcome, grade = cleaned.get("outcome"), cleaned.get("grade")
        if outcome == "passed" and grade not in DefenceResult.PASSING:
            self.add_error("grade", gettext("答辩通过的，请选择成绩等级：优秀、良好、中等或及格"))
        if outcome == "failed":
            if grade and grade != Grade.FAIL:
                self.add_error("grade", gettext("答辩不通过的，成绩等级为不及格"))
            cleaned["grade"] = Grade.FAIL
        if cleaned.get("defended_on") and cleaned["defended_on"] > timezone.localdate():
            self.add_error("defended_on", gettext("答辩日期不能晚于今天"))
        return cleaned


# --- the rule at submission --------------------------------------------------------------------------

def validate(application, data: dict) -> None:
    """At submission, under the lock: an active 准考证号; the major of the data is his and its thesis is the
    one applied for; the standing (thesis not on the 考籍, theory courses) allows it; no other 毕业论文答辩
    申请 in progress."""
    from kaowu.workflow.services import WorkflowError

    if not application.type.is_editable(application.status):
        raise WorkflowError(gettext("申请当前状态为“%(status)s”，不能提交。") % {"status": application.status_label})
    exam_number = application.exam_number
    if exam_number is None or exam_number.status != ExamNumber.Status.ACTIVE:
        raise WorkflowError(gettext("毕业论文答辩须使用在籍的准考证号办理。"))
    standing = thesis_standing(candidate=application.candidate, exam_number=exam_number)
    if standing.major is None or standing.major.code != data.get("major"):
        raise WorkflowError(gettext("申请中的毕业专业与您的报考专业不一致，请点击【修改申请信息】重新确认。"))
    refused = standing.refusal()
    if refused:
        raise WorkflowError(refused)
    if standing.thesis.code != data.get("thesis_course"):
        raise WorkflowError(gettext("专业计划中的毕业论文课程已变更，请点击【修改申请信息】重新确认。"))
    # Two drafts submitted at once: the candidate's row serialises them, so only one gets past this check.
    Candidate.objects.select_for_update().filter(pk=application.candidate_id).first()
    other = thesis_open_application(candidate=application.candidate, exclude=application)
    if other is not None:
        raise WorkflowError(gettext("您已有一份正在办理的毕业论文答辩申请（%(number)s），不能重复申请。")
                            % {"number": other.number})


def last_comment(application, status: str) -> str:
    found = application.transitions.filter(to_status=status).order_by("-id").first()
    return found.comment if found is not None else ""


# --- the type --------------------------------------------------------------------------------------

class Thesis(ApplicationType):
    code = CODE
    label = _("毕业论文答辩")
    form_class = ThesisForm
    review_chain = (ReviewStep(_("主考学校审核"), Office.Kind.UNIVERSITY, university_of_major("major")),)
    window_kind = BusinessWindow.Kind.THESIS
    flow = FLOW
    status_labels = STATUS_LABELS
    badges = BADGES
    pages = TypePages(namespace="theses", prefix="thesis")
    notice_template = "theses/_notice.html"
    applicant_template = "theses/_applicant.html"
    list_columns = ((_("论文题目"), "title"),)
    # The 主考学校 打回 (退回修改) or refuses with the engine's forms; it accepts (待答辩) and records the
    # result in the type's card (`staff_panel`): the generic 审核通过 is not offered, and refused (批量审核 too).
    decisions = frozenset({RETURN, REJECT})
    texts = {
        "returned_comment": _("打回原因："),
        "preview_hint": _("请核对联系方式及毕业信息无误后提交。提交后由主考学校审核，审核期间不能修改。"),
        "submitted": _("毕业论文答辩申请已提交至主考学校。请及时关注主考学校审核信息（消息和短信会通知您）。"),
        "open_exists": _("您已有一份正在办理的毕业论文答辩申请，请在此查看。"),
    }
    rail = (
        RailStep(_("填写申请信息"), at=frozenset({Status.RETURNED})),
        RailStep(_("预览确认"), at=frozenset({Status.DRAFT})),
        RailStep(_("主考学校审核"), at=frozenset({Status.REVIEWING}), fails=frozenset({Status.REJECTED})),
        RailStep(_("论文答辩"), at=frozenset({AWAITING_DEFENCE}), fails=frozenset({DEFENCE_FAILED})),
    )
    rail_done = frozenset({Status.APPROVED})

    def describe(self, data: dict) -> list[tuple[str, str]]:
        return describe(data)

    def may_apply(self, *, candidate, exam_number) -> str | None:
        refused = super().may_apply(candidate=candidate, exam_number=exam_number)
        if refused is None:
            refused = thesis_standing(candidate=candidate, exam_number=exam_number).refusal()
        return refused

    def before_save(self, *, application, candidate, exam_number) -> None:
        """A new application only for a candidate who may apply and has none in progress."""
        from kaowu.workflow.services import WorkflowError

        if application is not None:
            return
        refused = self.may_apply(candidate=candidate, exam_number=exam_number)
        if refused:
            raise WorkflowError(refused)
        other = thesis_open_application(candidate=candidate)
        if other is not None:
            raise WorkflowError(gettext("您已有一份正在办理的毕业论文答辩申请（%(number)s），不能重复申请。")
                                % {"number": other.number})

    def validate(self, application, data: dict) -> None:
        validate(application, data)

    def decision_refused(self, decision: str) -> str:
        return gettext("毕业论文答辩申请请在申请详情的“毕业论文答辩”卡片中审核通过（待答辩），答辩后登记答辩结果。")

    def form_kwargs(self, *, candidate, exam_number, application) -> dict:
        return {"candidate": candidate, "standing": thesis_standing(candidate=candidate, exam_number=exam_number)}

    def page_context(self, *, exam_number, application) -> dict:
        if exam_number is None:
            return {}
        standing = thesis_standing(candidate=exam_number.candidate, exam_number=exam_number)
        return {"standing": standing, "graduation": graduation_data(standing)}

    def outcome(self, application, *, approved: bool, grade: str = "", **result) -> None:
        """A passed defence puts the thesis course on the 考籍 (records' public service), with its grade."""
        if not approved:
            return
        from kaowu.records.models import PassedCourse
        from kaowu.records.services import passed_course_grant

        course = Course.objects.filter(code=application.data["thesis_course"]).first()
        if course is None:  # the course's code was changed since the application
            from kaowu.workflow.services import WorkflowError

            raise WorkflowError(gettext("毕业论文课程 %(code)s 已不在课程库中，请联系省级考试机构。")
                                % {"code": application.data["thesis_course"]})
        passed_course_grant(candidate=application.candidate, course=course, source=PassedCourse.Source.THESIS,
                            score=None, sitting=None,
                            note=gettext("答辩成绩：%(grade)s（%(number)s）") % {
                                "grade": Grade(grade).label, "number": application.number})

    def next_step(self, application, window) -> str | None:
        status = application.status
        if status == Status.REVIEWING:
            office = application.reviewing_office.name if application.reviewing_office_id else ""
            return gettext("已提交%(office)s审核。请及时关注主考学校审核信息，以便继续完成毕业论文答辩工作。") % {
                "office": office}
        if status == Status.RETURNED:
            text = gettext("主考学校打回了申请，请按打回原因点击【修改申请信息】修改后重新提交。")
            if window is not None:
                text += gettext("请在%(end)s前重新提交，逾期不能提交。") % {"end": cn_datetime(window.ends_at)}
            return text
        if status == AWAITING_DEFENCE:
            return gettext("主考学校审核通过，待答辩。请按主考学校的安排参加毕业论文答辩，答辩结果将通过消息和短信通知您。")
        result = getattr(application, "thesis_result", None) if status in (Status.APPROVED, DEFENCE_FAILED) else None
        if status == Status.APPROVED and result is not None:
            return gettext("毕业论文答辩通过，成绩等级：%(grade)s。毕业论文已记入考籍。") % {
                "grade": result.get_grade_display()}
        if status == DEFENCE_FAILED and result is not None:
            return gettext("毕业论文答辩未通过（%(grade)s）。可在下次毕业论文答辩申请时间内重新申请。") % {
                "grade": result.get_grade_display()}
        return None

    def staff_panel(self, request, application) -> dict | None:
        """The card on the staff detail page: the thesis, the candidate's theory courses now, the answer
        while 审核中 (审核通过（待答辩）) and the result once 待答辩 (登记答辩结果), for the university whose
        queue the application is in."""
        staff = getattr(request, "staff", None)
        own = (staff is not None and application.reviewing_office_id == staff.office_id
               and staff.office.kind == Office.Kind.UNIVERSITY)
        major = Major.objects.filter(code=application.data.get("major")).first()
        standing = thesis_standing(candidate=application.candidate, major=major) if major is not None else None
        can_accept = own and application.status == Status.REVIEWING
        can_record = own and application.status == AWAITING_DEFENCE
        return {
            "template": "theses/staff/panel.html",
            "application": application,
            "data": application.data,
            "standing": standing,
            "acceptance": last_comment(application, AWAITING_DEFENCE),
            "result": getattr(application, "thesis_result", None),
            "can_accept": can_accept,
            "can_record": can_record,
            "accept_form": AcceptForm(prefix="accept") if can_accept else None,
            "result_form": ResultForm(prefix="result", initial={"defended_on": timezone.localdate()})
            if can_record else None,
        }
