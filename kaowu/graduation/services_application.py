"""毕业申请's use cases (the type is `application.py`): the candidate's steps — 毕业专业, 学历认证,
毕业生登记表 — each saved through the engine (`workflow.services.application_save_draft`, so a change after a
submission is a new version), and the graduate's registration when he confirms online: his `Graduate`
row with a 毕业证书编号 from a sequence that never goes back.

毕业证书编号: the national rule for 学历证书编号 (18 digits), as a 自考 diploma carries it — the 主考学校's
code (5 digits, from its office code: U10730 → 10730) + 6 (自学考试) + the year of graduation + the level
(05 本科, 06 专科) + a 6-digit serial per prefix: 107306202705000001. The serial comes from
`CertificateNumberSequence` under `select_for_update` (it only ever increases), and the number column is
unique besides.
"""

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.catalog.models import Major
from kaowu.core.dates import cn_date
from kaowu.workflow.services import WorkflowError, application_save_draft

from .application import (
    CODE,
    DEGREE_FAILED,
    DEGREE_PASSED,
    DEGREE_UNAVAILABLE,
    MATERIAL,
    is_bachelor,
    major_data,
    major_refusal,
    major_verdict,
)
from .models import CertificateNumberSequence, Graduate

LEVEL_DIGITS = {Major.Level.BACHELOR: "05", Major.Level.JUNIOR_COLLEGE: "06"}
SELF_STUDY = "6"  # 办学类型 of the national 学历证书编号: 高等教育自学考试
SERIAL_DIGITS = 6


def _editable(application, actor) -> None:
    if application.applicant_id != actor.pk:
        raise WorkflowError(gettext("申请不存在"))
    if not application.type.is_editable(application.status):
        raise WorkflowError(gettext("申请当前状态为“%(status)s”，不能修改。") % {"status": application.status_label})


def graduation_major_choose(*, actor, candidate, exam_number, major_code: str, application=None, request=None):
    """【毕业申请】 › 毕业专业 (下一步): a major whose plan his 考籍 completes and in which he has not
    graduated (refused otherwise, whatever the page offered). A new application is a 草稿; choosing
    another major keeps what he filled in, but a 学历认证 only counts for a 本科 major."""
    if application is not None:
        _editable(application, actor)
        candidate = application.candidate
    major = Major.objects.filter(code=major_code or "").select_related("university").first()
    refusal = major_refusal(candidate=candidate, major=major)
    if refusal:
        raise WorkflowError(refusal, field="major")
    data = dict(application.data) if application is not None else {}
    data.update(major_data(major))
    removed = []
    if not is_bachelor(data):
        data.pop("degree", None)
        removed = [MATERIAL]
    return application_save_draft(actor=actor, data=data, application=application, type_code=CODE,
                                  candidate=candidate, exam_number=exam_number, remove_attachments=removed,
                                  request=request)


def graduation_degree_check(*, application, actor, consent: bool, certificate_number: str, request=None) -> dict:
    """同意学历认证 + 在线学历认证 of the 专科 diploma (本科 only). The provider is asked outside any
    transaction; its answer — passed, failed, or no answer in time — is kept in the application's data
    with the number typed, so nothing is lost: he may check again, or upload 学历认证材料."""
    from .degreecheck import DegreeCheckUnavailable, degree_check_provider

    _editable(application, actor)
    if not is_bachelor(application.data):
        raise WorkflowError(gettext("专科毕业不需要学历认证。"))
    if not consent:
        raise WorkflowError(gettext("本科毕业须同意学历认证"), field="consent")
    from kaowu.workflow.services import application_window

    applicable = application_window(application)
    if applicable is not None:  # before the provider is asked: nothing is saved outside the window anyway
        applicable.require_open(WorkflowError)
    _degree_check_allowance(application)
    user = application.candidate.user
    result = {"consent": True, "certificate_number": certificate_number, "checked_at": timezone.now().isoformat()}
    try:
        answer = degree_check_provider().check(certificate_number=certificate_number, real_name=user.real_name,
                                               id_number=user.id_number)
    except DegreeCheckUnavailable:
        result.update(status=DEGREE_UNAVAILABLE, reason=gettext("学历认证服务无响应"))
    else:
        result.update(status=DEGREE_PASSED if answer.passed else DEGREE_FAILED, reference=answer.reference,
                      school=answer.school, major=answer.major, level=answer.level, reason=answer.reason,
                      graduated_on=answer.graduated_on.isoformat() if answer.graduated_on else "",
                      graduated_on_text=cn_date(answer.graduated_on) if answer.graduated_on else "")
    application_save_draft(actor=actor, data={**application.data, "degree": result}, application=application,
                           request=request)
    return result


DEGREE_CHECKS_PER_DAY = 10  # online 学历认证 checks of one application a day (each one asks the paid service)


def _degree_check_allowance(application) -> None:
    """Count one check of the application today; refuse past DEGREE_CHECKS_PER_DAY (the cache keeps the
    count till the day ends — Redis in production, shared by every worker)."""
    from django.core.cache import cache

    key = f"graduation:degree-checks:{application.pk}:{timezone.localdate():%Y%m%d}"
    cache.add(key, 0, timeout=24 * 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=24 * 3600)
        count = 1
    if count > DEGREE_CHECKS_PER_DAY:
        raise WorkflowError(gettext("今天的在线学历认证次数已用完，请明天再试，或上传学历认证材料。"), field="certificate_number")


def graduation_register_save(*, application, actor, register: dict, material=None, request=None):
    """毕业生登记表 (下一步：预览): his entries, and 学历认证材料 when the online check did not pass."""
    _editable(application, actor)
    attachments = {MATERIAL: material} if material and is_bachelor(application.data) else None
    return application_save_draft(actor=actor, data={**application.data, "register": register},
                                  application=application, attachments=attachments, request=request)


# --- the graduate ----------------------------------------------------------------------------------

def certificate_number_prefix(*, major: Major, on: datetime.date) -> str:
    school = re.sub(r"\D", "", major.university.code if major.university_id else "")[-5:].rjust(5, "0")
    return f"{school}{SELF_STUDY}{on:%Y}{LEVEL_DIGITS.get(major.level, '09')}"


def certificate_number_issue(*, major: Major, on: datetime.date) -> str:
    """The next 毕业证书编号 of the prefix (call inside the registering transaction): the sequence row is
    locked, only ever increases, and a number already on a Graduate row is skipped."""
    prefix = certificate_number_prefix(major=major, on=on)
    try:
        with transaction.atomic():
            CertificateNumberSequence.objects.get_or_create(prefix=prefix)
    except IntegrityError:
        pass  # created by a concurrent registration
    sequence = CertificateNumberSequence.objects.select_for_update().get(prefix=prefix)
    while True:
        sequence.last += 1
        if sequence.last >= 10 ** SERIAL_DIGITS:
            raise WorkflowError(gettext("毕业证书编号序号已用完（%(prefix)s），请联系省级考试机构。") % {"prefix": prefix})
        number = f"{prefix}{sequence.last:0{SERIAL_DIGITS}d}"
        if not Graduate.objects.filter(certificate_number=number).exists():
            break
    sequence.save(update_fields=["last"])
    return number


def record_snapshot(*, candidate, verdict) -> list[dict]:
    """The courses that complete the plan, as they stand on the 考籍 now: the frozen record."""
    from kaowu.records.selectors import passed_courses_visible_to_candidate

    counted = [c for c, _ in verdict.plan.required if c not in verdict.missing_required]
    counted += [c for group in verdict.groups for c in group.counted]
    records = {}
    for record in passed_courses_visible_to_candidate(candidate=candidate).filter(course_id__in=counted):
        records.setdefault(record.course_id, record)
    return [{"course": r.course.code, "name": r.course.name, "credits": r.course.credits,
             "score": "" if r.score is None else f"{r.score.normalize():f}", "source": str(r.get_source_display()),
             "sitting": r.sitting.name if r.sitting_id else ""}
            for r in sorted(records.values(), key=lambda r: counted.index(r.course_id))]


def graduate_register(*, application, on: datetime.date | None = None) -> Graduate:
    """确认毕业信息无误 → 毕业: inside the confirming transaction (the engine's ConfirmGate). The rule is
    asked once more — a 考籍 changed since the review (a score corrected) refuses, and nothing is
    confirmed — then the Graduate row: 毕业证书编号, 毕业日期, credits and the 考籍 as approved."""
    data = application.data
    candidate = application.candidate
    major = Major.objects.filter(code=data.get("major") or "").select_related("university").first()
    refusal = major_refusal(candidate=candidate, major=major)
    if refusal:
        raise WorkflowError(refusal + gettext("请联系主考学校。"))
    verdict = major_verdict(candidate=candidate, major=major)
    on = on or timezone.localdate()
    graduate = Graduate.objects.create(
        candidate=candidate, major=major, application=application,
        certificate_number=certificate_number_issue(major=major, on=on), graduated_on=on,
        credits=verdict.credits_done, snapshot=record_snapshot(candidate=candidate, verdict=verdict))
    application.graduate = graduate
    audit_record(actor=application.applicant, action=AuditAction.GRADUATION_GRADUATE_REGISTERED, target=graduate,
                 jurisdiction_code=candidate.district.code,
                 detail={"application": application.number, "major": major.code,
                         "certificate_number": graduate.certificate_number})
    return graduate
