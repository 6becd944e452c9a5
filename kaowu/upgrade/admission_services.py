"""专升本 scores and admission as the province runs them: import scores (all rows or none), 分数段统计,
the 平行志愿 filing of a batch with the province's tie-break chain (kaowu.upgrade.admission does the
filing), 退档 by a college, 征集志愿 for the places left, and the candidate's results once published."""

import datetime
import secrets
from collections import Counter
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.spreadsheets import SpreadsheetError, echo, table_rows
from kaowu.core.text import clean_free_text

from . import admission
from .models import (
    DEFAULT_TIE_BREAK_CHAIN,
    TIE_BREAKERS,
    AdmissionBatch,
    AdmissionResult,
    AdmissionRun,
    Category,
    Plan,
    SupplementaryRound,
    SupplementarySubmission,
    UpgradeRegistration,
    UpgradeScore,
)
from .services import UpgradeError, batches_open_to, volunteer_ids_check

HEADERS = ["考生号", "总分", "专业综合课", "外语"]
SEGMENT = 10


MAX_ROWS = 200_000  # a province's 专升本 candidates are tens of thousands


def _rows(upload) -> list[list[str]]:
    """The rows of a .csv or .xlsx file as text, through the project's one spreadsheet reader."""
    if upload is None:
        raise UpgradeError(gettext("请选择成绩文件（.csv 或 .xlsx）。"))
    try:
        return [["" if v is None else str(v).strip() for v in row]
                for _number, row in table_rows(upload, name=getattr(upload, "name", "") or "", max_rows=MAX_ROWS,
                                               max_columns=len(HEADERS) + 4)]
    except SpreadsheetError as exc:
        raise UpgradeError(exc.message) from None


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
            errors.append(gettext("第%(n)s行：考生号 %(number)s 重复") % {"n": number, "number": echo(candidate_number)})
            continue
        seen.add(candidate_number)
        registration = registrations.get(candidate_number)
        if registration is None:
            errors.append(gettext("第%(n)s行：考生号 %(number)s 不是已缴费的报名考生") % {
                "n": number, "number": echo(candidate_number)})
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
        audit_record(actor=staff.user, action=AuditAction.UPGRADE_SCORES_IMPORTED, request=request,
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


# --- The tie-break chain (同分排序) ------------------------------------------------------------------


def chain_parse(keys) -> list[str]:
    """The province's tie-break chain: known keys, each once, the random code included (it makes the
    order strict: no two candidates share it)."""
    keys = [str(k) for k in (keys or []) if k]
    if any(k not in TIE_BREAKERS for k in keys):
        raise UpgradeError(gettext("同分排序依据无效，请重新选择。"), field="chain")
    if len(set(keys)) != len(keys):
        raise UpgradeError(gettext("同分排序依据不能重复选择。"), field="chain")
    if "random_code" not in keys:
        raise UpgradeError(gettext("同分排序须包含随机码，以保证每位考生的位次唯一。"), field="chain")
    return keys


def chain_labels(keys) -> list[str]:
    return [str(TIE_BREAKERS[k][0]) if k in TIE_BREAKERS else str(k) for k in keys or []]


def _chain(keys) -> tuple[admission.TieBreak, ...]:
    return tuple(admission.TieBreak(k, descending=TIE_BREAKERS[k][1]) for k in keys)


def _tie_values(score: UpgradeScore, keys) -> tuple:
    return tuple(score.random_code if k == "random_code" else float(getattr(score, k)) for k in keys)


def cutoff_display(cut: dict | None) -> dict | None:
    """A stored cut-off ({"total", "tie_breaks": [[key, value], …]}) with the keys' labels."""
    if not cut:
        return None
    return {"total": cut["total"], "tie_breaks": [(chain_labels([k])[0], v) for k, v in cut.get("tie_breaks", [])]}


def _rules(*, ratio, category_lines, chain) -> admission.FilingRules:
    try:
        return admission.FilingRules(ratio=Fraction(str(ratio)), category_lines=category_lines, chain=_chain(chain))
    except (admission.AdmissionError, ValueError, ZeroDivisionError) as exc:
        raise UpgradeError(str(exc) if isinstance(exc, admission.AdmissionError)
                           else gettext("投档比例须为1.00至1.05之间的数字。"), field="ratio") from None


def admission_run(*, batch: AdmissionBatch, staff, ratio="1.00", category_lines=None, publish_at=None,
                  chain=None, request=None) -> AdmissionRun:
    """投档 of a batch: the candidates with scores and volunteers in this batch who were not filed in an
    earlier batch, in score order with the tie-break chain, each to the first volunteer with room."""
    category_lines = {k: float(v) for k, v in (category_lines or {}).items() if v not in ("", None)}
    chain = chain_parse(chain if chain is not None else DEFAULT_TIE_BREAK_CHAIN)
    rules = _rules(ratio=ratio, category_lines=category_lines, chain=chain)
    if SupplementaryRound.objects.filter(run__batch=batch).exists():
        raise UpgradeError(gettext("该批次已开放征集志愿，不能重新投档。"))
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
            tie_breaks=_tie_values(score, chain), volunteers=tuple(submission.plan_ids)))
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
            chain=chain, cutoffs=cutoffs, run_by=staff.user, publish_at=publish_at))
        run.results.all().delete()
        held = standing.admitted()
        AdmissionResult.objects.bulk_create([
            AdmissionResult(run=run, registration_id=c.candidate_id, plan_id=held.get(c.candidate_id),
                            status=AdmissionResult.Status.FILED if c.candidate_id in held
                            else AdmissionResult.Status.NOT_FILED) for c in candidates])
        run.filed = len(held)
        run.save(update_fields=["filed"])
        audit_record(actor=staff.user, action=AuditAction.UPGRADE_ADMISSION_RUN, target=run, request=request,
                     detail={"batch": batch.code, "filed": len(held), "candidates": len(candidates),
                             "chain": chain})
    return run


def admission_reject(*, result: AdmissionResult, staff, reason: str, college=None, request=None) -> AdmissionResult:
    """退档: the college (or the province for it) returns a filed candidate with a reason; the seat is
    free and the candidate is not filed again to that plan. With ``college`` the result must be a filing
    to that college (a college returns only its own candidates)."""
    try:  # posted by the page without a form: the free-text rule here
        reason = clean_free_text(reason, multiline=True)
    except ValidationError as exc:
        raise UpgradeError(exc.messages[0], field="reason") from None
    if not reason:
        raise UpgradeError(gettext("请填写退档原因。"), field="reason")
    with transaction.atomic():
        result = AdmissionResult.objects.select_for_update(of=("self",)).select_related("plan").get(pk=result.pk)
        if college is not None and (result.plan is None or result.plan.college_id != college.pk):
            raise UpgradeError(gettext("只能对投档到本校的考生退档。"))
        if result.status != AdmissionResult.Status.FILED:
            raise UpgradeError(gettext("只能对已投档的考生退档。"))
        result.status, result.reason = AdmissionResult.Status.REJECTED, reason[:200]
        result.rejected_by = staff.office
        result.save(update_fields=["status", "reason", "rejected_by"])
        audit_record(actor=staff.user, action=AuditAction.UPGRADE_ADMISSION_REJECTED, target=result.registration,
                     request=request, detail={"plan": result.plan_id, "reason": result.reason,
                                              "round": result.round, "office": staff.office.code})
    return result


def results_for(*, registration: UpgradeRegistration, now=None) -> list[AdmissionResult]:
    """The candidate's published results, batch by batch (the 征集志愿 round after the batch's filing)."""
    now = now or timezone.now()
    published = Q(round=0, run__publish_at__lte=now) | Q(round=1, run__supplementary__publish_at__lte=now)
    return list(AdmissionResult.objects.filter(published, registration=registration)
                .select_related("run__batch", "run__supplementary", "plan__college")
                .order_by("run__batch__position", "round"))


# --- 征集志愿 ----------------------------------------------------------------------------------------


def remaining_places(run: AdmissionRun) -> dict[int, int]:
    """Places left per plan of the batch: seats − candidates held (filed and not returned), never below 0."""
    held = Counter(AdmissionResult.objects.filter(run=run, status=AdmissionResult.Status.FILED)
                   .values_list("plan_id", flat=True))
    return {plan.pk: max(0, plan.seats - held[plan.pk]) for plan in Plan.objects.filter(batch=run.batch)}


def supplementary_open(*, run: AdmissionRun, staff, opens_at, closes_at, request=None) -> SupplementaryRound:
    """The province opens (or moves) the 征集志愿 window of a batch after its filing."""
    if opens_at is None or closes_at is None:
        raise UpgradeError(gettext("请填写征集志愿的开始和结束时间。"), field="window")
    if closes_at <= opens_at:
        raise UpgradeError(gettext("征集志愿结束时间须晚于开始时间。"), field="window")
    if not any(remaining_places(run).values()):
        raise UpgradeError(gettext("该批次已没有剩余计划，无需征集志愿。"))
    with transaction.atomic():
        existing = SupplementaryRound.objects.select_for_update().filter(run=run).first()
        if existing is not None and existing.ran_at is not None:
            raise UpgradeError(gettext("征集志愿已投档，不能再修改填报时间。"))
        round_, _ = SupplementaryRound.objects.update_or_create(run=run, defaults=dict(
            opens_at=opens_at, closes_at=closes_at, opened_by=staff.user))
        audit_record(actor=staff.user, action=AuditAction.UPGRADE_SUPPLEMENTARY_OPENED, target=round_, request=request,
                     detail={"batch": run.batch.code, "opens_at": opens_at.isoformat(),
                             "closes_at": closes_at.isoformat()})
    return round_


def _held_anywhere(registration_ids=None):
    held = AdmissionResult.objects.filter(status=AdmissionResult.Status.FILED)
    if registration_ids is not None:
        held = held.filter(registration_id__in=registration_ids)
    return held


def supplementary_open_for(registration: UpgradeRegistration, *, now=None) -> list[SupplementaryRound]:
    """The 征集志愿 rounds whose window is open now and that this candidate may fill."""
    now = now or timezone.now()
    rounds = SupplementaryRound.objects.filter(opens_at__lte=now, closes_at__gt=now, ran_at__isnull=True,
                                               run__batch__in=batches_open_to(registration)).select_related("run__batch")
    return [r for r in rounds if supplementary_editable_error(registration=registration, round_=r, now=now) is None]


def supplementary_editable_error(*, registration: UpgradeRegistration, round_: SupplementaryRound,
                                 now=None) -> str | None:
    from kaowu.core.dates import cn_datetime

    from .models import UpgradeRegistration as Registration

    now = now or timezone.now()
    Qualification = Registration.Qualification
    if registration.status != Registration.Status.IN_PROGRESS:
        return gettext("您已放弃报名，不能填报志愿。")
    if registration.paid_at is None or registration.qualification not in (Qualification.NOT_REQUIRED,
                                                                          Qualification.APPROVED):
        return gettext("完成网上支付并通过报考资格审核后才能填报志愿。")
    if not batches_open_to(registration).filter(pk=round_.run.batch_id).exists():
        return gettext("您不能填报该批次的志愿。")
    if not UpgradeScore.objects.filter(registration=registration).exists():
        return gettext("没有您的专升本成绩，不能填报征集志愿。")
    if _held_anywhere().filter(registration=registration).exists():
        return gettext("您已被投档，不能填报征集志愿。")
    if round_.ran_at is not None or not round_.opens_at <= now < round_.closes_at:
        return gettext("%(batch)s征集志愿填报时间为%(start)s至%(end)s，当前不在填报时间内。") % {
            "batch": round_.run.batch.name, "start": cn_datetime(round_.opens_at),
            "end": cn_datetime(round_.closes_at)}
    return None


def supplementary_plans(*, registration: UpgradeRegistration, round_: SupplementaryRound) -> list[Plan]:
    """The college-majors the candidate may choose in 征集志愿: places left, the candidate's category,
    never a plan that returned (退档) the candidate in this batch. Each with ``remaining`` set."""
    remaining = remaining_places(round_.run)
    returned = set(AdmissionResult.objects.filter(run=round_.run, registration=registration,
                                                  status=AdmissionResult.Status.REJECTED)
                   .values_list("plan_id", flat=True))
    plans = []
    for plan in Plan.objects.filter(batch=round_.run.batch, category=registration.category).select_related("college"):
        if remaining.get(plan.pk, 0) > 0 and plan.pk not in returned:
            plan.remaining = remaining[plan.pk]
            plans.append(plan)
    return plans


def supplementary_submit(*, registration: UpgradeRegistration, round_: SupplementaryRound, plan_ids: list,
                         now=None) -> SupplementarySubmission:
    """确认提交 of 征集志愿: the same rules as the batch's volunteers, among the plans with places left."""
    problem = supplementary_editable_error(registration=registration, round_=round_, now=now)
    if problem:
        raise UpgradeError(problem)
    open_plans = {p.pk: p for p in supplementary_plans(registration=registration, round_=round_)}
    ids = volunteer_ids_check(registration=registration, plan_ids=plan_ids, plans=open_plans,
                              not_open=gettext("平行志愿%(letter)s没有剩余计划，不能填报。"))
    return SupplementarySubmission.objects.create(round=round_, registration=registration, plan_ids=ids)


def supplementary_current(*, registration: UpgradeRegistration, round_: SupplementaryRound):
    return registration.supplementary_submissions.filter(round=round_).first()


def supplementary_run(*, round_: SupplementaryRound, staff, ratio="1.00", publish_at=None, now=None,
                      request=None) -> SupplementaryRound:
    """征集志愿投档 (engine ``supplementary_round``): the places left are filed from the candidates'
    征集志愿, in score order with the batch's tie-break chain; candidates held anywhere take no part and
    nobody is filed to a plan that returned them.

    The round and every result of the run stay locked from the checks to the writes, so a college's
    退档 meanwhile waits and is never overwritten, and the seats read are the seats written."""
    with transaction.atomic():
        round_ = SupplementaryRound.objects.select_for_update().select_related("run__batch").get(pk=round_.pk)
        list(AdmissionResult.objects.select_for_update().filter(run=round_.run).values_list("pk", flat=True))
        return _supplementary_run(round_=round_, staff=staff, ratio=ratio, publish_at=publish_at,
                                  now=now or timezone.now(), request=request)


def _supplementary_run(*, round_, staff, ratio, publish_at, now, request) -> SupplementaryRound:
    run = round_.run
    if now < round_.closes_at:
        raise UpgradeError(gettext("征集志愿填报结束后才能投档。"))
    if AdmissionResult.objects.filter(run=run, round=1, status=AdmissionResult.Status.REJECTED).exists():
        raise UpgradeError(gettext("征集志愿已有退档考生，不能重新投档。"))
    chain = chain_parse(run.chain or DEFAULT_TIE_BREAK_CHAIN)
    rules = _rules(ratio=ratio, category_lines=run.category_lines, chain=chain)
    plans = list(Plan.objects.filter(batch=run.batch))
    plan_arrays = admission.plans_from_rows(
        [admission.Plan(plan_id=p.pk, seats=p.seats, categories=(p.category,)) for p in plans],
        categories=Category.values)
    main = {r.registration_id: r for r in AdmissionResult.objects.filter(run=run, round=0)}
    latest: dict[int, list] = {}
    for submission in SupplementarySubmission.objects.filter(round=round_).order_by("submitted_at", "id"):
        latest[submission.registration_id] = submission.plan_ids
    ids = set(main) | set(latest)
    # Everyone filed in the main round keeps the seat (even one who has since left); only candidates
    # still taking part may be filed now.
    registrations = list(UpgradeRegistration.objects.filter(pk__in=ids, score__isnull=False)
                         .select_related("score").order_by("pk"))
    taking_part = {r.pk for r in registrations if r.status == UpgradeRegistration.Status.IN_PROGRESS}
    elsewhere = set(_held_anywhere([r.pk for r in registrations]).exclude(run=run).values_list("registration_id",
                                                                                             flat=True))
    rows = [admission.Candidate(candidate_id=r.pk, category=r.category, total=float(r.score.total),
                                tie_breaks=_tie_values(r.score, chain), volunteers=()) for r in registrations]
    candidates = admission.candidates_from_rows(rows, plans=plan_arrays)
    plan_index, n = plan_arrays.index(), len(rows)
    assignment = np.full(n, admission.NONE, np.int32)
    rejections = []
    for i, registration in enumerate(registrations):
        result = main.get(registration.pk)
        if result is None or result.plan_id is None:
            continue
        if result.status == AdmissionResult.Status.FILED:
            assignment[i] = plan_index[result.plan_id]
        elif result.status == AdmissionResult.Status.REJECTED:
            rejections.append(admission.Rejection(candidate=i, plan=plan_index[result.plan_id],
                                                  reason=result.reason, round=0))
    counts = np.bincount(assignment[assignment >= 0], minlength=len(plans)).astype(np.int64)
    standing = admission.Standing(
        round=0, candidates=candidates, plans=plan_arrays, rules=rules, assignment=assignment,
        filed_round=np.where(assignment >= 0, 0, admission.NONE).astype(np.int8), counts=counts,
        capacity=rules.capacity(plan_arrays.seats), filed=counts.copy(),
        cutoff_candidate=np.full(len(plans), admission.NONE, np.int64), order=np.arange(n, dtype=np.int64),
        rejections=tuple(rejections))
    volunteers = admission.volunteers_from_rows(
        {r.pk: [pid for pid in latest[r.pk] if pid in plan_index] for r in registrations
         if r.pk in latest and r.pk in taking_part and r.pk not in elsewhere}, candidates=candidates,
        plans=plan_arrays)
    try:
        after = admission.supplementary_round(standing=standing, volunteers=volunteers, rules=rules)
    except admission.AdmissionError as exc:
        raise UpgradeError(str(exc)) from None
    cutoffs = {str(plan_id): {"total": cut.total, "tie_breaks": list(cut.tie_breaks)}
               for plan_id, cut in after.cutoffs().items()}
    filed = {registrations[i].pk: plan_arrays.ids[after.assignment[i]]
             for i in np.flatnonzero(after.filed_round == after.round).tolist()}
    with transaction.atomic():
        AdmissionResult.objects.filter(run=run, round=1).delete()
        AdmissionResult.objects.bulk_create([
            AdmissionResult(run=run, registration_id=r.pk, round=1, plan_id=filed.get(r.pk),
                            status=AdmissionResult.Status.FILED if r.pk in filed
                            else AdmissionResult.Status.NOT_FILED)
            for r in registrations if r.pk in latest and r.pk in taking_part])
        round_.ratio = Decimal(str(float(rules.ratio))).quantize(Decimal("0.01"))
        round_.cutoffs, round_.filed, round_.ran_at, round_.ran_by = cutoffs, len(filed), now, staff.user
        round_.publish_at = publish_at
        round_.save()
        audit_record(actor=staff.user, action=AuditAction.UPGRADE_SUPPLEMENTARY_RUN, target=round_, request=request,
                     detail={"batch": run.batch.code, "filed": len(filed), "candidates": len(latest)})
    return round_


def supplementary_default_window(now=None) -> tuple[datetime.datetime, datetime.datetime]:
    now = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
    return now, now + datetime.timedelta(days=1)


def admission_batches_overview() -> list[dict]:
    """The province's 投档 page: each batch with its run, its 征集志愿 round, the tie-break chain in
    use (with labels), the places left after the run and how many candidates joined the round."""
    from .models import DEFAULT_TIE_BREAK_CHAIN, AdmissionBatch

    batches = []
    for batch in AdmissionBatch.objects.select_related("run", "run__supplementary").all():
        run = getattr(batch, "run", None)
        supplementary = getattr(run, "supplementary", None) if run else None
        chain = (run.chain if run and run.chain else DEFAULT_TIE_BREAK_CHAIN)
        batches.append({"batch": batch, "run": run, "supplementary": supplementary,
                        "chain": chain, "chain_labels": chain_labels(chain),
                        "remaining": sum(remaining_places(run).values()) if run else 0,
                        "submitted": supplementary.submissions.values("registration").distinct().count()
                        if supplementary else 0})
    return batches
