"""实践性环节报名 (issue #14 item 2; seed 001, 个人中心 › 快捷入口 › 实践性环节报名) as an application
type of the workflow engine.

Inside the window (`BusinessWindow.Kind.PRACTICE_REGISTRATION` of the current sitting) a candidate
with an active 准考证号 chooses practical courses (`Course.Kind.PRACTICE`, 实践) of his plan that are
not on his 考籍 and not in another registration still open, checks them (预览) and saves; the saved
registration is 待缴费 with an order of one line per course (`KAOWU_PRACTICAL_FEE` each). Until it is
paid he may delete it (the unpaid order is cancelled). Paying registers him: the registration goes to
the 主考学校 of the major (`university_of_major`), which records each course's result — 合格 or 不合格
— on the engine's per-item decisions (`ApplicationItem`, in the engine's queue or on its own page
under the back office, by form or by Excel import). 合格 puts the course on the 考籍 as 实践考核合格
(`records.services.passed_course_grant`); once every course has its result the registration is
成绩已登记. The candidate is told at each step (消息 + SMS).

    待缴费 ──paid──▶ 报名成功 (主考学校登记成绩, one result per course) ──last result──▶ 成绩已登记
      │ 删除 (the unpaid order is cancelled)
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import BusinessWindow
from kaowu.core.state import StateMachine
from kaowu.core.text import Form
from kaowu.organization.models import Office
from kaowu.workflow.gates import PaymentGate
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import ApplicationType, RailStep, ReviewStep, TypePages, university_of_major

CODE = "practical_registration"
PURPOSE = "practice_registration"  # payments Order.Purpose.PRACTICE_REGISTRATION

# This type's own statuses around the engine's 审核中 (here: 报名成功, waiting for the results).
PENDING_PAYMENT = "pending_payment"
REGISTERED = Status.REVIEWING
COMPLETED = "graded"  # 成绩已登记 (a value of its own: the staff filter lists every type's statuses by value)

STATUS_LABELS = {PENDING_PAYMENT: _("待缴费"), REGISTERED: _("报名成功"), COMPLETED: _("成绩已登记")}
BADGES = {PENDING_PAYMENT: "warning", REGISTERED: "info", COMPLETED: "success"}
FLOW = StateMachine({
    PENDING_PAYMENT: {REGISTERED},
    REGISTERED: {COMPLETED},
})
ALL_STATUSES = [PENDING_PAYMENT, REGISTERED, COMPLETED]
PASSED, FAILED = "passed", "failed"  # a result as staff choose it (forms, audit rows)
# The engine's per-item decisions as this type names them.
ITEM_LABELS = {"pending": _("待登记"), "approved": _("合格"), "rejected": _("不合格")}


def practical_fee() -> Decimal:
    from django.conf import settings

    return Decimal(str(settings.KAOWU_PRACTICAL_FEE)).quantize(Decimal("0.01"))


class RegistrationForm(Form):
    """实践性环节报名: the practical courses chosen (of one major's plan) and the 须知 read."""
    courses = forms.MultipleChoiceField(label=_("报名课程"), widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": _("请至少选择一门实践课程")})
    agree = forms.BooleanField(label=_("我已阅读实践性环节报名须知，将按主考学校的安排参加实践考核"),
                               error_messages={"required": _("请阅读报名须知并勾选确认")})

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].choices = list(choices)


def course_label(course: dict) -> str:
    return gettext("%(code)s %(name)s（%(credits)s学分）") % course


def describe(data: dict) -> list[tuple[str, str]]:
    courses = data.get("courses", [])
    return [
        (gettext("报名专业"), f"{data.get('major', '')} {data.get('major_name', '')}".strip()),
        (gettext("主考学校"), data.get("university_name", "")),
        (gettext("报名课程"), "；".join(course_label(c) for c in courses)),
        (gettext("报名费"), gettext("每门%(fee)s元，共%(count)s门，合计%(total)s元") % {
            "fee": data.get("fee_each", ""), "count": len(courses), "total": data.get("fee_total", "")}),
    ]


def order_lines(application) -> list[tuple[str, Decimal, str]]:
    """The order's lines: one per course, at the fee of the day the registration was saved."""
    data = application.data
    fee = Decimal(str(data.get("fee_each") or practical_fee()))
    return [(gettext("%(code)s %(name)s 实践性环节报名费") % course, fee, course["code"])
            for course in data.get("courses", [])]


def _paid_texts(application, order):
    data = application.data
    return (gettext("您的实践性环节报名已缴费，报名成功"),
            gettext("申请编号 %(number)s 的报名费已缴纳（订单号 %(order)s），报名课程：%(courses)s。请按主考学校"
                    "（%(university)s）的安排参加实践考核，考核结果登记后会通知您。") % {
                "number": application.number, "order": order.number,
                "courses": "、".join(f"{c['code']} {c['name']}" for c in data.get("courses", [])),
                "university": data.get("university_name", "")})


PAYMENT = PaymentGate(
    purpose=PURPOSE, fee=practical_fee, item=gettext_noop("实践性环节报名费"), lines=order_lines,
    status=PENDING_PAYMENT, then=REGISTERED, then_step=0, paid_texts=_paid_texts,
    paid_comment=gettext_noop("报名费已缴纳，报名成功"),
    delete_refused=gettext_noop("报名当前状态为“%(status)s”，不能删除。只有待缴费的报名可以删除。"),
    paid_refused=gettext_noop("报名费已缴纳，不能删除该报名。"),
    deleted_comment=gettext_noop("删除实践性环节报名"),
)


def next_step(application, window) -> str | None:
    data = application.data
    if application.status == PENDING_PAYMENT:
        return gettext("请缴纳报名费（共%(total)s元），缴费后报名成功。缴费前可以删除报名。") % {
            "total": data.get("fee_total", "")}
    if application.status == REGISTERED:
        return gettext("报名费已缴纳。请按主考学校（%(university)s）的安排参加实践考核；考核结果由主考学校逐门登记，"
                       "登记后会通知您。") % {"university": data.get("university_name", "")}
    if application.status == COMPLETED:
        return gettext("主考学校已登记全部课程的考核结果。合格的课程已计入考籍，可在“历次合格成绩”中查看。")
    return None


def result_text(item) -> str:
    """“04748 Java语言程序设计（一）（实践） 不合格（未按时提交实验报告）”"""
    return f"{item.label} {ITEM_LABELS[item.decision]}" + (f"（{item.comment}）" if item.comment else "")


class PracticalRegistration(ApplicationType):
    code = CODE
    label = _("实践性环节报名")
    form_class = RegistrationForm
    review_chain = (ReviewStep(_("主考学校登记成绩"), Office.Kind.UNIVERSITY, university_of_major("major")),)
    window_kind = BusinessWindow.Kind.PRACTICE_REGISTRATION
    flow = FLOW
    status_labels = STATUS_LABELS
    badges = BADGES
    pages = TypePages(namespace="practicals", prefix="registration")
    initial_status = PENDING_PAYMENT
    # The courses (the per-item results) are set while unpaid; the candidate changes a registration by
    # deleting it and registering again (the order would change), so no edit page is mounted.
    editable_statuses = frozenset({PENDING_PAYMENT})
    deletable_statuses = frozenset({PENDING_PAYMENT})
    decisions = frozenset()  # no generic 审核通过 / 退回修改 / 审核未通过: a result per course
    item_labels = ITEM_LABELS
    gates = (PAYMENT,)
    rail = (
        RailStep(_("选择课程")),
        RailStep(_("缴费"), at=frozenset({PENDING_PAYMENT})),
        RailStep(_("参加考核"), at=frozenset({REGISTERED})),
        RailStep(_("成绩登记")),
    )
    rail_done = frozenset({COMPLETED})
    list_columns = ((_("报名专业"), "major_name"),)
    texts = {"deleted": _("实践性环节报名 %(number)s 已删除，未缴费的订单已取消。"),
             "landing_title": _("实践性环节报名"), "apply": _("实践性环节报名"),
             "mine": _("我的实践性环节报名"), "detail_title": _("实践性环节报名详情"),
             "not_open": _("当前不在实践性环节报名时间内。"),
             "unpublished": _("本考期实践性环节报名时间尚未公布，请留意通知公告。")}

    def describe(self, data: dict) -> list[tuple[str, str]]:
        return describe(data)

    def may_apply(self, *, candidate, exam_number) -> str | None:
        if exam_number is None or exam_number.status != ExamNumber.Status.ACTIVE:
            return gettext("实践性环节报名须使用在籍的准考证号办理。")
        return None

    def before_save(self, *, application, candidate, exam_number) -> None:
        """保存 only with the candidate's own active 准考证号, inside the window (the courses: services)."""
        from kaowu.workflow.services import WorkflowError

        from .selectors import registration_window

        refused = self.may_apply(candidate=candidate, exam_number=exam_number)
        if refused or exam_number.candidate_id != candidate.pk:
            raise WorkflowError(refused or gettext("请选择本人名下的准考证号"))
        registration_window(exam_number=exam_number).require_open(WorkflowError)

    def validate(self, application, data: dict) -> None:
        """A registration is never 提交ted by the candidate: paying registers it (the PaymentGate)."""
        from kaowu.workflow.services import WorkflowError

        raise WorkflowError(gettext("实践性环节报名缴费后即报名成功，不需要提交。"))

    def next_step(self, application, window) -> str | None:
        return next_step(application, window)

    def on_item_decided(self, application, item, *, previous: str, staff, request=None) -> None:
        """A course's result recorded by the 主考学校: once only; 合格 joins the 考籍 (实践考核合格); the
        candidate is told; the last result completes the registration (成绩已登记)."""
        from kaowu.audit.events import AuditAction
        from kaowu.audit.services import audit_record
        from kaowu.catalog.models import Course
        from kaowu.records.models import PassedCourse
        from kaowu.records.services import passed_course_grant
        from kaowu.workflow.models import ApplicationItem
        from kaowu.workflow.services import WorkflowError, application_notify, application_transition

        if previous != ApplicationItem.Decision.PENDING:
            raise WorkflowError(gettext("课程 %(course)s 的考核结果已登记为“%(result)s”，不能更改。") % {
                "course": item.label, "result": self.item_decision_labels[previous]})
        if staff.office.kind != Office.Kind.UNIVERSITY:
            raise WorkflowError(gettext("实践考核结果由主考学校登记。"))
        passed = item.decision == ApplicationItem.Decision.APPROVED
        if passed:
            course = Course.objects.filter(code=item.key).first()
            if course is None:  # the course's code was changed since the registration
                raise WorkflowError(gettext("课程 %(course)s 已不在课程库中，请联系省级考试机构。") % {"course": item.label})
            passed_course_grant(candidate=application.candidate, course=course, source=PassedCourse.Source.PRACTICE,
                                score=None, sitting=application.sitting,
                                note=gettext("实践性环节报名 %(number)s") % {"number": application.number})
        audit_record(actor=staff.user, action=AuditAction.PRACTICAL_RESULT_RECORDED, target=application,
                     request=request, jurisdiction_code=application.candidate.district.code,
                     detail={"number": application.number, "course": item.key,
                             "result": PASSED if passed else FAILED, "comment": item.comment})
        results = list(application.items.order_by("position", "id"))
        if any(i.decision == ApplicationItem.Decision.PENDING for i in results):
            text = result_text(item)
            application_notify(application=application, texts=lambda: (
                gettext("您的实践考核成绩已登记"),
                gettext("申请编号 %(number)s：%(result)s。") % {"number": application.number, "result": text}))
            return
        summary = "；".join(result_text(i) for i in results)
        application_transition(
            application=application, to=COMPLETED, actor=staff.user, actor_office=staff.office, in_queue=True,
            comment=gettext("考核结果：%(results)s") % {"results": summary}, action=gettext("登记成绩"),
            texts=lambda: (gettext("您的实践性环节报名成绩已登记"),
                           gettext("申请编号 %(number)s 的考核结果：%(results)s。合格的课程已计入考籍。") % {
                               "number": application.number, "results": summary}),
            request=request)
