"""毕业论文答辩申请: the 主考学校's acts in the type's card — 审核通过（待答辩） and 登记答辩结果 — through the
engine's public `application_transition` (lock, flow, history, audit, 消息 + SMS on commit). Only the
university whose queue the application is in acts (`in_queue`): the major's 主考学校, as the review chain
resolved it. A pass puts the thesis on the 考籍 in the same transaction (the type's `outcome`)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kaowu.organization.models import Office
from kaowu.workflow.services import WorkflowError, application_transition
from kaowu.workflow.statuses import Status

from .models import DefenceResult
from .types import AWAITING_DEFENCE, DEFENCE_FAILED, Grade

NOTE_MAX = 200


def _require_university(staff) -> None:
    if staff.office.kind != Office.Kind.UNIVERSITY:
        raise WorkflowError(gettext("毕业论文答辩申请由专业的主考学校审核。"))


def thesis_accept(*, application, staff, arrangement: str = "", request=None):
    """审核通过（待答辩）: the application waits for the defence, still in the university's hands (its
    `reviewing_office`), which later records the result. The candidate reads the arrangements."""
    arrangement = " ".join((arrangement or "").split())[:NOTE_MAX]
    comment = gettext_noop("审核通过，待答辩") + (f"。答辩安排：{arrangement}" if arrangement else "")

    def texts():
        body = gettext("申请编号 %(number)s 已通过%(office)s审核，待答辩。") % {
            "number": application.number, "office": staff.office.name}
        if arrangement:
            body += gettext("答辩安排：%(arrangement)s。") % {"arrangement": arrangement}
        return gettext("您的毕业论文答辩申请已审核通过"), body + gettext("请按主考学校的安排参加毕业论文答辩。")

    return application_transition(
        application=application, to=AWAITING_DEFENCE, actor=staff.user, actor_office=staff.office, in_queue=True,
        office=staff.office, check=lambda locked: _require_university(staff), comment=comment,
        action=gettext("审核"), audit_action="thesis_accepted", audit_detail={"arrangement": bool(arrangement)},
        texts=texts, request=request)


def thesis_record_result(*, application, staff, passed: bool, grade: str, defended_on, note: str = "",
                         request=None):
    """登记答辩结果 (the university, once 待答辩): 通过 with 优秀 / 良好 / 中等 / 及格 — the thesis joins the
    考籍 in the same transaction — or 不通过 (不及格). The result, the history row, the audit row and the
    message to the candidate go together."""
    note = " ".join((note or "").split())[:NOTE_MAX]
    if grade not in Grade.values:
        raise WorkflowError(gettext("请选择成绩等级"), field="grade")
    if passed != (grade in DefenceResult.PASSING):
        raise WorkflowError(gettext("答辩通过的成绩等级为优秀、良好、中等或及格；不通过为不及格。"), field="grade")
    if defended_on is None or defended_on > timezone.localdate():
        raise WorkflowError(gettext("答辩日期不能晚于今天"), field="defended_on")
    label = str(Grade(grade).label)
    thesis = application.data.get("thesis_label", "")

    def check(locked):
        _require_university(staff)
        if locked.submitted_at is not None and defended_on < timezone.localdate(locked.submitted_at):
            raise WorkflowError(gettext("答辩日期不能早于申请提交日期"), field="defended_on")

    def texts():
        if passed:
            body = gettext("申请编号 %(number)s：毕业论文答辩通过，成绩等级%(grade)s，毕业论文（%(thesis)s）已记入考籍。") % {
                "number": application.number, "grade": label, "thesis": thesis}
            return gettext("您的毕业论文答辩通过"), body
        body = gettext("申请编号 %(number)s：毕业论文答辩未通过（%(grade)s）。可在下次毕业论文答辩申请时间内重新申请。") % {
            "number": application.number, "grade": label}
        return gettext("您的毕业论文答辩未通过"), body + (gettext("说明：%(note)s") % {"note": note} if note else "")

    comment = (gettext_noop("答辩通过") if passed else gettext_noop("答辩未通过")) + f"（{label}）" + (
        f"。{note}" if note else "")
    with transaction.atomic():
        application = application_transition(
            application=application, to=Status.APPROVED if passed else DEFENCE_FAILED, actor=staff.user,
            actor_office=staff.office, in_queue=True, check=check, comment=comment, action=gettext("登记答辩结果"),
            audit_action="thesis_result", audit_detail={"passed": passed, "grade": grade,
                                                        "defended_on": defended_on.isoformat()},
            texts=texts, request=request)
        DefenceResult.objects.create(application=application, course_id=_thesis_course_id(application),
                                     passed=passed, grade=grade, defended_on=defended_on, note=note,
                                     office=staff.office, recorded_by=staff.user)
        application.type.outcome(application, approved=passed, grade=grade)
    return application


def _thesis_course_id(application) -> int:
    from kaowu.catalog.models import Course

    course = Course.objects.only("pk").filter(code=application.data["thesis_course"]).first()
    if course is None:  # the course's code was changed since the application
        raise WorkflowError(gettext("毕业论文课程 %(code)s 已不在课程库中，请联系省级考试机构。")
                            % {"code": application.data["thesis_course"]})
    return course.pk
