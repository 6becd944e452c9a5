"""实践性环节报名 use cases (the type and its flow: types.py). The engine keeps the application, its
history, audit rows and notifications; the fee is the type's PaymentGate; the results are the engine's
per-item decisions (the type's `on_item_decided` puts a 合格 course on the 考籍).

    practical_register        保存: the chosen courses checked, a new registration 待缴费 with its order
    practical_order           去缴费: the order to pay (a new one when the unpaid one expired), in the window
    practical_order_paid      on_order_paid: 待缴费 → 报名成功, in the 主考学校's list (idempotent)
    practical_delete          删除 while unpaid: the order is cancelled; refused once paid
    practical_result_record   合格 / 不合格 of one course, by the 主考学校 whose list it is in
"""

from django.db import transaction
from django.utils.translation import gettext

from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.catalog.models import Course
from kaowu.organization.models import Office, StaffMember
from kaowu.workflow import services as workflow
from kaowu.workflow.models import Application, ApplicationItem
from kaowu.workflow.services import WorkflowError

from .selectors import (
    candidate_majors,
    practical_courses,
    registered_course_codes,
    registration_open_in_sitting,
    registration_window,
)
from .types import CODE, PAYMENT, PENDING_PAYMENT, practical_fee

NOTE_MAX = 200


def _chosen_major(majors, codes: list[str]):
    """The first of his majors whose plan holds every chosen practical course."""
    for major in majors:
        if set(codes) <= {c.code for c in practical_courses(major=major)}:
            return major
    return None


def registration_check(*, candidate: Candidate, exam_number: ExamNumber | None, course_codes, now=None) -> dict:
    """Every rule of a registration, as the server applies it at 保存 (under the candidate's lock):
    an active 准考证号 of his, the window open, no other open registration of the sitting, courses
    that are 实践 courses of one of his plans, not on his 考籍, not in another open registration.
    Returns the registration's data; raises WorkflowError with the reason."""
    from kaowu.catalog.selectors import current_sitting
    from kaowu.records.selectors import passed_course_ids

    if exam_number is None or exam_number.candidate_id != candidate.pk or \
            exam_number.status != ExamNumber.Status.ACTIVE:
        raise WorkflowError(gettext("实践性环节报名须使用在籍的准考证号办理。"))
    registration_window(exam_number=exam_number, now=now).require_open(WorkflowError)
    sitting = current_sitting()
    other = registration_open_in_sitting(candidate=candidate, sitting=sitting)
    if other is not None:
        raise WorkflowError(gettext("您本考期已有一份实践性环节报名（%(number)s），不能重复报名。如需更改课程，"
                                    "请在缴费前删除原报名后重新报名。") % {"number": other.number})
    codes = sorted(dict.fromkeys(str(code).strip() for code in course_codes if str(code).strip()))
    if not codes:
        raise WorkflowError(gettext("请至少选择一门实践课程"), field="courses")
    courses = {c.code: c for c in Course.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in courses]
    if unknown:
        raise WorkflowError(gettext("课程 %(codes)s 不存在") % {"codes": "、".join(unknown)}, field="courses")
    theory = [code for code in codes if courses[code].kind != Course.Kind.PRACTICE]
    if theory:
        raise WorkflowError(gettext("课程 %(codes)s 不是实践课程，不能在实践性环节报名中报名。")
                            % {"codes": "、".join(theory)}, field="courses")
    majors = candidate_majors(candidate=candidate)
    planned = {c.code for major in majors for c in practical_courses(major=major)}
    outside = [code for code in codes if code not in planned]
    if outside:
        raise WorkflowError(gettext("课程 %(codes)s 不在您的专业计划中。") % {"codes": "、".join(outside)},
                            field="courses")
    passed = passed_course_ids(candidate=candidate)
    done = [code for code in codes if courses[code].pk in passed]
    if done:
        raise WorkflowError(gettext("课程 %(codes)s 已合格，不能重复报名。") % {"codes": "、".join(done)},
                            field="courses")
    taken = registered_course_codes(candidate=candidate) & set(codes)
    if taken:
        raise WorkflowError(gettext("课程 %(codes)s 已在其他实践性环节报名中，不能重复报名。")
                            % {"codes": "、".join(sorted(taken))}, field="courses")
    major = _chosen_major(majors, codes)
    if major is None:
        raise WorkflowError(gettext("所选课程不属于同一个专业计划，请按专业分别报名。"), field="courses")
    university = major.university
    if university is None or not university.is_active or university.kind != Office.Kind.UNIVERSITY:
        raise WorkflowError(gettext("未找到专业 %(major)s 的主考学校，暂不能报名。请联系省级考试机构。")
                            % {"major": major.name})
    fee = practical_fee()
    chosen = [{"code": code, "name": courses[code].name, "credits": courses[code].credits} for code in codes]
    return {"major": major.code, "major_name": major.name, "university": university.code,
            "university_name": university.name, "exam_number": exam_number.number, "courses": chosen,
            "fee_each": f"{fee:.2f}", "fee_total": f"{fee * len(chosen):.2f}"}


def practical_register(*, actor, candidate: Candidate, exam_number: ExamNumber | None, course_codes,
                       request=None) -> Application:
    """保存: the registration 待缴费, its order (one line per course) and one result item per course."""
    if candidate.user_id != actor.pk:
        raise WorkflowError(gettext("只能由考生本人报名"))
    with transaction.atomic():
        # Two saves at once: the candidate's row serialises them, so only one passes the checks.
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        data = registration_check(candidate=candidate, exam_number=exam_number, course_codes=course_codes)
        application = workflow.application_save_draft(actor=actor, data=data, type_code=CODE, candidate=candidate,
                                                      exam_number=exam_number, request=request)
        workflow.application_items_set(application=application, actor=actor, items=[
            (course["code"], f"{course['code']} {course['name']}") for course in data["courses"]])
    return application


def practical_paid_order(application: Application):
    return PAYMENT.paid_order(application)


def practical_order(*, application: Application, actor):
    """去缴费: the paid order, or the one to pay; a new order (after the unpaid one expired) only inside
    the window."""
    if application.applicant_id != actor.pk:
        raise WorkflowError(gettext("申请不存在"))
    if application.status == PENDING_PAYMENT and PAYMENT.paid_order(application) is None:
        registration_window(exam_number=application.exam_number).require_open(WorkflowError)
    return PAYMENT.order(application=application, actor=actor)


def practical_order_paid(order) -> None:
    """on_order_paid (the PaymentGate subscribes it): 待缴费 → 报名成功, once, however often told."""
    PAYMENT.order_paid(order)


def practical_delete(*, application: Application, actor, request=None) -> None:
    """删除 while 待缴费: the PaymentGate cancels the unpaid order first and refuses once it is paid."""
    workflow.application_delete(application=application, actor=actor, request=request)


def practical_result_record(*, staff: StaffMember, item: ApplicationItem, passed: bool, note: str = "",
                            request=None) -> ApplicationItem:
    """合格 / 不合格 of one registered course, by the 主考学校 whose list it is in (the engine refuses
    any other office); once only. 不合格 without a note says so."""
    if staff.office.kind != Office.Kind.UNIVERSITY:
        raise WorkflowError(gettext("实践考核结果由主考学校登记。"))
    if item.application.type_code != CODE:
        raise WorkflowError(gettext("申请中没有该项目"))
    note = (note or "").strip()[:NOTE_MAX]
    if not passed and not note:
        note = gettext("实践考核不合格")
    return workflow.application_item_decide(application=item.application, staff=staff, key=item.key,
                                            approved=passed, comment=note, request=request)
