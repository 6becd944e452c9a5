"""考籍 use cases: 成绩导入 (start, and the background job that validates and writes a file)."""

import logging
import uuid
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.catalog.models import ExamSitting
from kaowu.core.errors import UserFacingError
from kaowu.organization.models import StaffMember

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
    with transaction.atomic():
        score_import = ScoreImport(sitting=sitting, original_name=name, uploaded_by=staff.user)
        score_import.file.save(f"{uuid.uuid4().hex}{suffix}", file, save=False)
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
