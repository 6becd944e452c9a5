"""成绩复核 (seed 002, 青海: 申请 › 成绩复核) as an application type of the workflow engine.

Inside the sitting's 成绩复核 window (`BusinessWindow.Kind.SCORE_REVIEW`), which only opens a
business once the sitting's scores are published, the candidate chooses one of their published
scores of that sitting and gives the reason (“填写复核成绩及原因”), checks it (下一步) and submits
(提交审核). Only a score can be re-checked: 缺考 has none, and 违纪 is decided by the 违纪处理, not
by a re-check. A course is re-checked once per sitting: a second application for the same score is
refused unless the first was withdrawn.

After submitting, the candidate fetches the 《成绩复核申请表》 (PDF here; seed 002: 到报考考区领取并
填写), has the exam area stamp it and uploads the stamped form within 3 working days — by 17:00
Beijing time of the third working day after the day of submission (`upload_deadline`, working days
from `kaowu.core.workdays`, holidays in `KAOWU_HOLIDAYS`). The seed counts those days from the
score publication; the issue (#6) counts them from the submission, which is what this does. An
application whose form is not uploaded in time lapses (已失效): the server refuses a late upload,
and `score_reviews_lapse_overdue` (run by `manage.py records_lapse_score_reviews`, and lazily when
the candidate opens the pages) records it.

Flow (this type's own statuses around the engine's review):

    草稿 ──提交──▶ 待上传申请表 ──上传盖章申请表──▶ 审核中 (省级考试机构复核) ──登记复核结果──▶ 复核完成
                    │ 逾期 → 已失效                  │ 不予受理 (the form is not valid)
                    │ 撤回                           │ 撤回

The province authority re-checks the score and records the result in the card of the application's
staff page: 成绩无变化, or 成绩有变化 with the new score, which replaces the ExamScore's and updates
the 考籍 (`PassedCourse`) in the same transaction. The generic 审核通过 is not offered for this type
(`decisions` leaves it out), and the engine refuses it (批量审核 too). The upload by the deadline and
the lapse are the engine's `UploadGate`.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kaowu.catalog.models import BusinessWindow
from kaowu.core.dates import cn_datetime
from kaowu.core.state import StateMachine
from kaowu.core.text import Form
from kaowu.organization.models import Office
from kaowu.workflow.gates import UploadGate
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import REJECT, ApplicationType, RailStep, ReviewStep, TypePages, province_authority

CODE = "score_review"
FORM_KIND = "review_form"

# This type's own statuses (the engine's strings for the rest).
AWAITING_FORM = "awaiting_form"
LAPSED = "lapsed"

STATUS_LABELS = {
    AWAITING_FORM: _("待上传申请表"),
    LAPSED: _("已失效"),
    Status.APPROVED: _("复核完成"),
    Status.REJECTED: _("不予受理"),
}
BADGES = {AWAITING_FORM: "warning", LAPSED: "neutral", Status.APPROVED: "success", Status.REJECTED: "danger"}

FLOW = StateMachine({
    Status.DRAFT: {AWAITING_FORM, Status.WITHDRAWN},
    AWAITING_FORM: {Status.REVIEWING, LAPSED, Status.WITHDRAWN},
    Status.REVIEWING: {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
})
ALL_STATUSES = [Status.DRAFT, AWAITING_FORM, Status.REVIEWING, Status.APPROVED, Status.REJECTED, LAPSED,
                Status.WITHDRAWN]

REASON_MAX = 200

# The stamped form, uploaded within 3 working days (until 17:00 Beijing time of the last one).
UPLOAD = UploadGate(
    attachment=FORM_KIND, status=AWAITING_FORM, lapsed=LAPSED, working_days=3, closes_at=datetime.time(17, 0),
    missing=gettext_noop("请选择盖章的成绩复核申请表（照片或PDF）"),
    uploaded_comment=gettext_noop("已上传盖章的成绩复核申请表"),
    uploaded_message=gettext_noop("盖章的复核申请表已上传，等待省级考试机构复核。"),
    uploaded_texts=lambda application, office: (
        gettext("成绩复核申请表已上传"),
        gettext("申请编号 %(number)s 的复核申请表已上传，等待%(office)s复核。") % {
            "number": application.number, "office": office.name}),
    lapsed_comment=gettext_noop("逾期未上传盖章的成绩复核申请表，申请已失效"),
    lapsed_texts=lambda application: (
        gettext("您的成绩复核申请已失效"),
        gettext("申请编号 %(number)s 未在规定时间内上传盖章的成绩复核申请表，申请已失效。")
        % {"number": application.number}),
)


def upload_deadline(submitted_at: datetime.datetime) -> datetime.datetime:
    """17:00 (Beijing) of the 3rd working day after the day of submission."""
    return UPLOAD.deadline_after(submitted_at)


def deadline_of(application) -> datetime.datetime | None:
    return UPLOAD.deadline(application)


def is_overdue(application, now=None) -> bool:
    return UPLOAD.is_overdue(application, now)


def working_days_left(application, now=None) -> int | None:
    """Working days after today up to the deadline's day (0: today is the last day); None when past."""
    return UPLOAD.days_left(application, now)


def score_text(score) -> str:
    if score is None:
        return ""
    text = f"{Decimal(score):.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- the candidate's form -----------------------------------------------------------------------

class ScoreReviewForm(Form):
    score = forms.ChoiceField(label=_("复核课程"), widget=forms.RadioSelect,
                              error_messages={"required": _("请选择要复核的课程"),
                                              "invalid_choice": _("请选择要复核的课程")})
    reason = forms.CharField(label=_("复核原因"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("请简要说明申请复核的原因，例如：自评成绩与公布成绩相差较大。"),
                             error_messages={"required": _("请填写复核原因")})
    agree = forms.BooleanField(label=_("我已阅读并知晓成绩复核相关要求及流程"),
                               error_messages={"required": _("请阅读须知并勾选")})

    def __init__(self, *args, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = {str(s.pk): s for s in scores}
        self.fields["score"].choices = [
            (str(s.pk), f"{s.course.code} {s.course.name}（{score_text(s.score)}）") for s in scores]

    def clean_reason(self):
        return " ".join(self.cleaned_data["reason"].split())

    def chosen(self):
        return self.scores[self.cleaned_data["score"]]


class ReviewResultForm(Form):
    """登记复核结果 by the province authority (the staff panel's form)."""
    outcome = forms.ChoiceField(label=_("复核结果"), widget=forms.RadioSelect,
                                choices=[("unchanged", _("成绩无变化")), ("changed", _("成绩有变化"))],
                                error_messages={"required": _("请选择复核结果")})
    new_score = forms.DecimalField(label=_("复核后成绩"), required=False, min_value=0, max_value=100, decimal_places=1,
                                   max_digits=4, help_text=_("成绩有变化时填写，0–100，最多一位小数"),
                                   widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
                                   error_messages={"invalid": _("请填写 0–100 的成绩，最多一位小数"),
                                                   "min_value": _("复核后成绩须在 0 到 100 之间"),
                                                   "max_value": _("复核后成绩须在 0 到 100 之间"),
                                                   "max_decimal_places": _("成绩最多一位小数"),
                                                   "max_digits": _("复核后成绩须在 0 到 100 之间")})
    note = forms.CharField(label=_("复核说明"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("例如：第三大题漏评 8 分")}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "changed" and cleaned.get("new_score") is None and not self.has_error("new_score"):
            self.add_error("new_score", gettext("成绩有变化时请填写复核后成绩"))
        return cleaned


def data_of(exam_score, reason: str) -> dict:
    return {"score_id": exam_score.pk, "sitting": exam_score.sitting.code, "sitting_name": exam_score.sitting.name,
            "exam_number": exam_score.exam_number.number, "course_code": exam_score.course.code,
            "course_name": exam_score.course.name, "score": score_text(exam_score.score), "reason": reason}


def describe(data: dict) -> list[tuple[str, str]]:
    return [
        (gettext("考期"), data.get("sitting_name", "")),
        (gettext("准考证号"), data.get("exam_number", "")),
        (gettext("复核课程"), f"{data.get('course_code', '')} {data.get('course_name', '')}".strip()),
        (gettext("原成绩"), data.get("score", "")),
        (gettext("复核原因"), data.get("reason", "")),
    ]


# --- the type --------------------------------------------------------------------------------------

class ScoreReview(ApplicationType):
    code = CODE
    label = _("成绩复核")
    form_class = ScoreReviewForm
    review_chain = (ReviewStep(_("省级考试机构复核"), Office.Kind.PROVINCE_AUTHORITY, province_authority),)
    window_kind = BusinessWindow.Kind.SCORE_REVIEW
    flow = FLOW
    status_labels = STATUS_LABELS
    badges = BADGES
    attachment_kinds = {FORM_KIND: _("盖章的成绩复核申请表")}
    detail_url_name = "records:review_detail"
    print_url_name = "records:review_form_pdf"
    pages = TypePages(namespace="records", prefix="review")  # the UploadGate's page (上传盖章申请表)
    editable_statuses = frozenset()
    gates = (UPLOAD,)
    # The province authority records the result in the card of the staff page (成绩无变化 / 有变化):
    # the generic 审核通过 is not offered, and refused (批量审核 too).
    decisions = frozenset({REJECT})
    rail = (
        RailStep(_("选择课程并填写原因")),
        RailStep(_("提交申请")),
        RailStep(_("上传盖章申请表"), at=frozenset({AWAITING_FORM}), fails=frozenset({LAPSED})),
        RailStep(_("省级复核"), at=frozenset({Status.REVIEWING}), fails=frozenset({Status.REJECTED})),
        RailStep(_("复核结果")),
    )

    def describe(self, data: dict) -> list[tuple[str, str]]:
        return describe(data)

    def decision_refused(self, decision: str) -> str:
        return gettext("成绩复核须登记复核结果（成绩无变化 / 成绩有变化），请在申请详情的“复核结果”中办理。")

    def next_step(self, application, window) -> str | None:
        status = application.status
        if status == AWAITING_FORM:
            deadline = deadline_of(application)
            left = working_days_left(application)
            if left is None:
                return gettext("已超过上传期限，申请已失效。")
            text = gettext("请下载并填写《成绩复核申请表》，到报考考区确认盖章后，于%(deadline)s前上传。") % {
                "deadline": cn_datetime(deadline)}
            if left == 0:
                return text + gettext("今天是最后一天。")
            return text + gettext("还剩 %(n)s 个工作日。") % {"n": left}
        if status == Status.REVIEWING:
            return gettext("申请表已上传，等待省级考试机构复核。复核结果将通过消息和短信通知您。")
        if status == Status.APPROVED:
            return gettext("复核已完成，复核结果见下方。请前往报考考区领取成绩复核告知单。")
        if status == LAPSED:
            return gettext("未在规定时间内上传盖章的复核申请表，申请已失效，不予受理。")
        return None

    def staff_panel(self, request, application) -> dict | None:
        """The card on the staff detail page: the score, the uploaded stamped form, and 登记复核结果 for
        the province authority while 审核中 (posted to records' `review_result`)."""
        from .models import ExamScore

        staff = getattr(request, "staff", None)
        can_record = (staff is not None and application.status == Status.REVIEWING
                      and application.reviewing_office_id == staff.office_id
                      and staff.office.kind == Office.Kind.PROVINCE_AUTHORITY)
        version = application.current_version
        return {
            "template": "records/staff/review_panel.html",
            "application": application,
            "data": application.data,
            "score": ExamScore.objects.filter(pk=application.data.get("score_id")).first(),
            "form_attachment": version.attachments.filter(kind=FORM_KIND).first() if version else None,
            "result": getattr(application, "score_review_result", None),
            "can_record": can_record,
            "form": ReviewResultForm() if can_record else None,
        }
