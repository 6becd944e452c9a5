"""考籍 use cases: 成绩导入 (start, and the background job that validates and writes a file)."""

import logging
import uuid
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.catalog.models import ExamSitting
from kaowu.core.errors import UserFacingError
from kaowu.organization.models import Office, StaffMember

from . import imports
from .models import ScoreImport
from .selectors import scores_importable_by

logger = logging.getLogger(__name__)

MAX_BYTES = 200 * 1024 * 1024       # a million rows of CSV are about 30 MB
EXTENSIONS = (".csv", ".xlsx")


class ScoreImportError(UserFacingError):
    pass


def score_import_start(*, sitting: ExamSitting, file, staff: StaffMember, request=None) -> ScoreImport:
    """上传成绩文件: store the file privately and queue its validation and import (see `imports`)."""
    if not scores_importable_by(staff=staff):
        raise ScoreImportError(gettext("成绩由省级考试机构导入。"))
    name = PurePath(file.name or "").name[:200]
    suffix = PurePath(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ScoreImportError(gettext("请上传 .csv 或 .xlsx 格式的成绩文件（可先下载模板）。"), field="file")
    if file.size > MAX_BYTES:
        raise ScoreImportError(gettext("文件不能超过 200 MB。"), field="file")
    if file.size == 0:
        raise ScoreImportError(gettext("文件是空的。"), field="file")
    from kaowu.core.uploads import file_saved_first

    score_import = ScoreImport(sitting=sitting, original_name=name, uploaded_by=staff.user)
    # Copying (and encrypting) up to 200 MB is slow: before the transaction, not while it holds the lock.
    with file_saved_first(score_import.file, f"{uuid.uuid4().hex}{suffix}", file), transaction.atomic():
        score_import.save()
        from .tasks import score_import_task

        import_id = score_import.pk
        transaction.on_commit(lambda: score_import_task.enqueue(import_id=import_id))
    return score_import


def score_import_run(*, import_id: int) -> ScoreImport:
    """The job: validate the whole file; write it when valid (已导入), else store the error report
    (校验未通过). Safe to run twice: an import already finished, or taken by another worker, is left alone."""
    taken = ScoreImport.objects.filter(pk=import_id, status=ScoreImport.Status.VALIDATING,
                                       started_at__isnull=True).update(started_at=timezone.now())
    score_import = ScoreImport.objects.select_related("sitting", "uploaded_by").get(pk=import_id)
    if not taken:
        return score_import
    try:
        with score_import.file.open("rb") as handle:
            problems = imports.score_file_apply(score_import=score_import, handle=handle,
                                                name=score_import.original_name)
        if problems:
            with transaction.atomic():
                imports.error_report_save(score_import, problems)
                score_import.status = ScoreImport.Status.REJECTED
                score_import.finished_at = timezone.now()
                score_import.save()
                imports._audit(score_import)
    except Exception as exc:
        logger.exception("score import %s failed", import_id)
        score_import.refresh_from_db()
        score_import.status = ScoreImport.Status.FAILED
        score_import.failure = gettext("导入失败，未写入任何成绩：%(error)s") % {"error": type(exc).__name__}
        score_import.finished_at = timezone.now()
        score_import.save()
    return score_import


def score_import_file_delete(*, score_import: ScoreImport) -> None:
    """Remove the stored files of an import (used by tests and housekeeping)."""
    for field in (score_import.file, score_import.error_report):
        if field and default_storage.exists(field.name):
            default_storage.delete(field.name)


# --- 成绩复核 (see review.py for the rules and the flow) ------------------------------------------

class ScoreReviewError(UserFacingError):
    pass


def score_review_submit(*, actor, candidate, exam_score_id: int, reason: str, request=None, now=None):
    """提交审核: a new 成绩复核 application for one published score of the candidate, inside the
    sitting's 成绩复核 window; it then waits for the stamped form (待上传申请表)."""
    from django.utils.translation import gettext_noop

    from kaowu.catalog.models import BusinessWindow
    from kaowu.catalog.windows import business_window
    from kaowu.core.dates import cn_datetime
    from kaowu.workflow.models import Application
    from kaowu.workflow.services import WorkflowError, application_advance, application_save_draft

    from . import review
    from .models import ExamScore
    from .selectors import score_review_taken, scores_published

    now = now or timezone.now()
    reason = " ".join((reason or "").split())[:review.REASON_MAX]
    if not reason:
        raise WorkflowError(gettext("请填写复核原因"), field="reason")
    with transaction.atomic():
        # The score row is the lock two simultaneous applications for it would both need.
        score = (ExamScore.objects.select_for_update().select_related("sitting", "course", "exam_number__exam_area")
                 .filter(pk=exam_score_id, exam_number__candidate=candidate).first())
        if score is None:
            raise WorkflowError(gettext("请选择本人的成绩申请复核"), field="score")
        if not scores_published(sitting=score.sitting, now=now):
            raise WorkflowError(gettext("%(sitting)s成绩尚未公布，不能申请复核。") % {"sitting": score.sitting.name})
        if score.mark != ExamScore.Mark.NORMAL or score.score is None:
            raise WorkflowError(gettext("只有有分数的课程可以申请复核（缺考、违纪的课程不能申请）。"), field="score")
        business_window(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=score.sitting,
                        exam_area=score.exam_number.exam_area, now=now).require_open(WorkflowError)
        taken = score_review_taken(exam_score=score)
        if taken is not None:
            raise WorkflowError(gettext("%(course)s 已申请过成绩复核（%(number)s），同一考期同一课程只能申请一次。")
                                % {"course": f"{score.course.code} {score.course.name}", "number": taken.number},
                                field="score")
        application = application_save_draft(actor=actor, data=review.data_of(score, reason), type_code=review.CODE,
                                             candidate=candidate, exam_number=score.exam_number, request=request)
        Application.objects.filter(pk=application.pk).update(sitting=score.sitting, submitted_at=now)
        application.sitting, application.submitted_at = score.sitting, now
        deadline = review.upload_deadline(now)
        application = application_advance(
            application=application, to=review.AWAITING_FORM, actor=actor, action=gettext("提交"),
            comment=gettext_noop("提交申请，待上传盖章的成绩复核申请表"), request=request,
            texts=lambda: (gettext("您的成绩复核申请已提交"), gettext(
                "申请编号 %(number)s（%(course)s）已提交。请下载《成绩复核申请表》，到报考考区确认盖章后于%(deadline)s前上传，"
                "逾期申请失效。") % {"number": application.number, "course": score.course.name,
                                "deadline": cn_datetime(deadline)}))
    return application


def score_review_lapse(*, application, now=None):
    """待上传申请表 → 已失效 once the upload deadline has passed (the engine's UploadGate)."""
    from . import review

    return review.UPLOAD.lapse(application=application, now=now)


def score_reviews_lapse_overdue(*, candidate=None, now=None) -> int:
    """Lapse every 成绩复核 still waiting for its form after the deadline (the daily job, and lazily
    for one candidate when they open the pages). Returns how many lapsed."""
    from . import review

    return review.UPLOAD.lapse_overdue(candidate=candidate, now=now)


def score_review_upload_form(*, application, actor, upload, request=None, now=None):
    """上传盖章的复核申请表: before the deadline, the form goes with the application into the province
    authority's queue (待上传申请表 → 审核中). After the deadline the upload is refused and the
    application lapses (the engine's UploadGate)."""
    from . import review

    return review.UPLOAD.upload(application=application, actor=actor, upload=upload, request=request, now=now)


def score_review_record_result(*, application, staff, changed: bool, new_score=None, note: str = "",
                               request=None):
    """登记复核结果 (the province authority): 成绩无变化, or 成绩有变化 with the new score — which
    replaces the ExamScore's score and pass, and brings the 考籍 (PassedCourse) in line, in one
    transaction with the result, the history row and the audit rows."""
    from decimal import Decimal, InvalidOperation

    from django.conf import settings
    from django.utils.translation import gettext_noop

    from kaowu.audit.services import audit_record
    from kaowu.workflow.services import WorkflowError, application_transition
    from kaowu.workflow.statuses import Status

    from . import review
    from .imports import passed_course_recompute
    from .models import ExamScore, ScoreReviewResult

    note = " ".join((note or "").split())[:200]
    if changed:
        try:
            new_score = Decimal(str(new_score)).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError, TypeError):
            raise WorkflowError(gettext("请填写复核后成绩（0–100，最多一位小数）"), field="new_score") from None
        if not Decimal(0) <= new_score <= Decimal(100):
            raise WorkflowError(gettext("复核后成绩须在 0 到 100 之间"), field="new_score")
        if not note:
            raise WorkflowError(gettext("成绩有变化时请填写复核说明（例如：漏评小题）"), field="note")
    found = {}

    def check(locked):
        if staff.office.kind != Office.Kind.PROVINCE_AUTHORITY:
            raise WorkflowError(gettext("成绩复核结果由省级考试机构登记。"))
        score = ExamScore.objects.select_for_update().get(pk=locked.data["score_id"])
        if changed and new_score == score.score:
            raise WorkflowError(gettext("复核后成绩与原成绩相同，请选择“成绩无变化”。"), field="new_score")
        found.update(score=score, old=score.score)

    def comment_of(old):
        if changed:
            comment = gettext_noop("复核结果：成绩有变化") + f"（{review.score_text(old)} → {review.score_text(new_score)}）"
        else:
            comment = gettext_noop("复核结果：成绩无变化") + f"（{review.score_text(old)}）"
        return comment + (f"。{note}" if note else "")

    def texts():
        old = found["old"]
        if changed:
            body = gettext("申请编号 %(number)s（%(course)s）复核完成：成绩有变化，原成绩 %(old)s 分，复核后 %(new)s 分。") % {
                "number": application.number, "course": application.data.get("course_name", ""),
                "old": review.score_text(old), "new": review.score_text(new_score)}
        else:
            body = gettext("申请编号 %(number)s（%(course)s）复核完成：成绩无变化。") % {
                "number": application.number, "course": application.data.get("course_name", "")}
        return gettext("您的成绩复核结果已出"), body + gettext("请到报考考区领取成绩复核告知单。")

    with transaction.atomic():
        # The old score is read under the application's lock (in `check`), so the history row and
        # the result agree with what was replaced.
        application = application_transition(
            application=application, to=Status.APPROVED, step=0, actor=staff.user, actor_office=staff.office,
            in_queue=True, check=check, comment=lambda locked: comment_of(found["old"]),
            action=gettext("登记复核结果"), audit_action="score_review_result", request=request, texts=texts,
            audit_detail=lambda locked: {"changed": changed, "old": review.score_text(found["old"]),
                                         "new": review.score_text(new_score if changed else found["old"])})
        score, old = found["score"], found["old"]
        if changed:
            score.score = new_score
            score.passed = new_score >= Decimal(settings.KAOWU_PASS_SCORE)
            score.save(update_fields=["score", "passed"])
            passed_course_recompute(candidate_id=application.candidate_id, course_id=score.course_id)
        result = ScoreReviewResult.objects.create(
            application=application, exam_score=score, changed=changed, old_score=old,
            new_score=new_score if changed else old, note=note, office=staff.office, recorded_by=staff.user)
        audit_record(actor=staff.user, action=AuditAction.RECORDS_SCORE_REVIEWED, target=application, request=request,
                     jurisdiction_code=application.candidate.district.code,
                     detail={"number": application.number, "exam_number": score.exam_number.number,
                             "sitting": application.data.get("sitting"), "course": score.course.code,
                             "changed": changed, "old": review.score_text(old),
                             "new": review.score_text(result.new_score), "passed": score.passed})
    return application


# --- 免考: a course exempted joins the 考籍 ------------------------------------------------------------

def passed_course_exempt(*, candidate, course, note: str = "", on=None) -> bool:
    """Put an exempted course on the candidate's 考籍 (`PassedCourse`, source 免考, no score), which 报考
    then refuses and 毕业预测 counts. A course already on the record (passed, transferred in or
    exempted) is left as it is; returns whether a row was written. Call inside the deciding transaction."""
    from .models import PassedCourse

    with transaction.atomic():
        _, created = PassedCourse.objects.get_or_create(
            candidate=candidate, course=course,
            defaults={"source": PassedCourse.Source.EXEMPTION, "score": None, "sitting": None,
                      "passed_on": on or timezone.localdate(), "note": note[:200]})
    return created


# --- 实践 / 毕业论文: a result recorded by the 主考学校 joins the 考籍 --------------------------------------

def passed_course_grant(*, candidate, course, source: str, score=None, sitting=None, note: str = "",
                        on=None) -> bool:
    """Put a course passed outside the written examination on the candidate's 考籍 — 实践考核合格
    (`PassedCourse.Source.PRACTICE`) or 毕业论文答辩合格 (`Source.THESIS`), with its score or grade when
    there is one. A course already on the record keeps its row; a higher score of the same source
    replaces a lower one. Returns whether a row was written. Call inside the deciding transaction."""
    from .models import PassedCourse

    if source not in (PassedCourse.Source.PRACTICE, PassedCourse.Source.THESIS):
        raise ValueError(f"passed_course_grant: unsupported source {source!r}")
    with transaction.atomic():
        record, created = PassedCourse.objects.select_for_update().get_or_create(
            candidate=candidate, course=course,
            defaults={"source": source, "score": score, "sitting": sitting,
                      "passed_on": on or timezone.localdate(), "note": note[:200]})
        if not created and record.source == source and score is not None and (
                record.score is None or score > record.score):
            record.score, record.sitting = score, sitting
            record.save(update_fields=["score", "sitting"])
    return created
