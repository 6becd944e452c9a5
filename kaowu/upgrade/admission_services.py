"""专升本 scores and admission as the province runs them: import scores (all rows or none), 分数段统计,
the 平行志愿 filing of a batch (kaowu.upgrade.admission does the filing), 退档 by a college, and the
candidate's result once published."""

import csv
import io
import secrets
from collections import Counter
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.services import audit_record

from . import admission
from .models import (
    AdmissionBatch,
    AdmissionResult,
    AdmissionRun,
    Category,
    Plan,
    UpgradeRegistration,
    UpgradeScore,
)
from .services import UpgradeError

HEADERS = ["考生号", "总分", "专业综合课", "外语"]
SEGMENT = 10


def _rows(upload) -> list[list[str]]:
    name = (getattr(upload, "name", "") or "").lower()
    raw = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).active
        except Exception:  # noqa: BLE001 — any unreadable workbook is the same answer to the user
            raise UpgradeError(gettext("无法读取该Excel文件，请另存为.xlsx后重新上传。")) from None
        return [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gbk"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UpgradeError(gettext("文件编码无法识别，请保存为UTF-8或GBK编码的CSV文件。"))
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def scores_import(*, upload, staff, request=None) -> int:
    """Import 专升本 scores: 考生号, 总分, 专业综合课, 外语. Every row is checked; one error and nothing is
    written (the errors are listed with their rows). Returns the rows imported."""
    rows = [row for row in _rows(upload) if any(row)]
    if not rows or [c for c in rows[0][:4]] != HEADERS:
        raise UpgradeError(gettext("第1行须为表头：%(headers)s") % {"headers": "、".join(HEADERS)})
    registrations = {r.user.candidate_number: r for r in UpgradeRegistration.objects.select_related("user").filter(
        status=UpgradeRegistration.Status.IN_PROGRESS, paid_at__isnull=False)}
    errors, seen, parsed = [], set(), []
    for number, row in enumerate(rows[1:], start=2):
        row = (row + [""] * 4)[:4]
        candidate_number = row[0]
        if candidate_number in seen:
            errors.append(gettext("第%(n)s行：考生号 %(number)s 重复") % {"n": number, "number": candidate_number})
            continue
        seen.add(candidate_number)
        registration = registrations.get(candidate_number)
        if registration is None:
            errors.append(gettext("第%(n)s行：考生号 %(number)s 不是已缴费的报名考生") % {"n": number,
                                                                                 "number": candidate_number})
            continue
        try:
            values = [Decimal(v) for v in row[1:4]]
        except InvalidOperation:
            errors.append(gettext("第%(n)s行：成绩须为数字") % {"n": number})
            continue
        if not 0 <= values[0] <= 500 or any(not 0 <= v <= 300 for v in values[1:]):
            errors.append(gettext("第%(n)s行：成绩超出范围") % {"n": number})
            continue
        parsed.append((registration, values))
    if errors:
        raise UpgradeError("；".join(errors[:20]) + (gettext("等%(n)s处错误") % {"n": len(errors)}
                                                    if len(errors) > 20 else ""))
    with transaction.atomic():
        used = set(UpgradeScore.objects.values_list("random_code", flat=True))
        for registration, (total, major, language) in parsed:
            score = UpgradeScore.objects.filter(registration=registration).first()
            if score is None:
                code = secrets.randbelow(10 ** 8)
                while code in used:
                    code = secrets.randbelow(10 ** 8)
                used.add(code)
                score = UpgradeScore(registration=registration, random_code=code)
            score.total, score.major_subject, score.foreign_language = total, major, language
            score.save()
        audit_record(actor=staff.user, action="upgrade.scores_imported", request=request,
                     detail={"rows": len(parsed)})
    return len(parsed)


def score_segments(*, category: str) -> list[dict]:
    """分数段统计: candidates per 10-point segment of the total (highest first) with the cumulative count."""
    totals = UpgradeScore.objects.filter(registration__category=category).values_list("total", flat=True)
    counts = Counter(int(total // SEGMENT) * SEGMENT for total in totals)
    rows, cumulative = [], 0
    for low in sorted(counts, reverse=True):
        cumulative += counts[low]
        rows.append({"low": low, "high": low + SEGMENT - 1, "count": counts[low], "cumulative": cumulative})
    return rows


def admission_run(*, batch: AdmissionBatch, staff, ratio="1.00", category_lines=None, publish_at=None,
                  request=None) -> AdmissionRun:
    """投档 of a batch: the candidates with scores and volunteers in this batch who were not filed in an
    earlier batch, in score order with the tie-break chain, each to the first volunteer with room."""
    category_lines = {k: float(v) for k, v in (category_lines or {}).items() if v not in ("", None)}
    try:
        rules = admission.FilingRules(ratio=Fraction(str(ratio)), category_lines=category_lines)
    except (admission.AdmissionError, ValueError) as exc:
        raise UpgradeError(str(exc), field="ratio") from None
    earlier = AdmissionResult.objects.filter(run__batch__position__lt=batch.position,
                                             status=AdmissionResult.Status.FILED).values_list("registration_id",
                                                                                              flat=True)
    plans = list(Plan.objects.filter(batch=batch))
    if not plans:
        raise UpgradeError(gettext("该批次没有招生计划。"))
    plan_rows = [admission.Plan(plan_id=p.pk, seats=p.seats, categories=(p.category,)) for p in plans]
    plan_arrays = admission.plans_from_rows(plan_rows, categories=Category.values)
    candidates = []
    for registration in (UpgradeRegistration.objects.filter(status=UpgradeRegistration.Status.IN_PROGRESS,
                                                             score__isnull=False)
                         .exclude(pk__in=list(earlier)).select_related("score")):
        submission = registration.volunteers.filter(batch=batch).first()
        if submission is None:
            continue
        score = registration.score
        candidates.append(admission.Candidate(
            candidate_id=registration.pk, category=registration.category, total=float(score.total),
            tie_breaks=(float(score.major_subject), float(score.foreign_language), score.random_code),
            volunteers=tuple(submission.plan_ids)))
    arrays = admission.candidates_from_rows(candidates, plans=plan_arrays)
    try:
        standing = admission.filing_pass(candidates=arrays, plans=plan_arrays, rules=rules)
    except admission.AdmissionError as exc:
        raise UpgradeError(str(exc)) from None
    cutoffs = {str(plan_id): {"total": cut.total, "tie_breaks": list(cut.tie_breaks)}
               for plan_id, cut in standing.cutoffs().items()}
    with transaction.atomic():
        run, _ = AdmissionRun.objects.update_or_create(batch=batch, defaults=dict(
            ratio=Decimal(str(float(rules.ratio))).quantize(Decimal("0.01")), category_lines=category_lines,
            cutoffs=cutoffs, run_by=staff.user, publish_at=publish_at))
        run.results.all().delete()
        held = standing.admitted()
        AdmissionResult.objects.bulk_create([
            AdmissionResult(run=run, registration_id=c.candidate_id, plan_id=held.get(c.candidate_id),
                            status=AdmissionResult.Status.FILED if c.candidate_id in held
                            else AdmissionResult.Status.NOT_FILED) for c in candidates])
        run.filed = len(held)
        run.save(update_fields=["filed"])
        audit_record(actor=staff.user, action="upgrade.admission_run", target=run, request=request,
                     detail={"batch": batch.code, "filed": len(held), "candidates": len(candidates)})
    return run


def admission_reject(*, result: AdmissionResult, staff, reason: str, request=None) -> AdmissionResult:
    """退档: the college returns a filed candidate with a reason; the seat is free and the candidate is
    not filed again in this round."""
    reason = (reason or "").strip()
    if not reason:
        raise UpgradeError(gettext("请填写退档原因。"), field="reason")
    with transaction.atomic():
        result = AdmissionResult.objects.select_for_update().get(pk=result.pk)
        if result.status != AdmissionResult.Status.FILED:
            raise UpgradeError(gettext("只能对已投档的考生退档。"))
        result.status, result.reason = AdmissionResult.Status.REJECTED, reason[:200]
        result.save(update_fields=["status", "reason"])
        audit_record(actor=staff.user, action="upgrade.admission_rejected", target=result.registration,
                     request=request, detail={"plan": result.plan_id, "reason": result.reason})
    return result


def results_for(*, registration: UpgradeRegistration, now=None) -> list[AdmissionResult]:
    """The candidate's published results, batch by batch."""
    now = now or timezone.now()
    return list(AdmissionResult.objects.filter(registration=registration, run__publish_at__lte=now)
                .select_related("run__batch", "plan__college").order_by("run__batch__position"))
