"""毕业资格初审 (seed 003, issue #14 item 8): at the start of a 毕业申请 window the province authority runs
the eligibility rule over every candidate, as a background job with progress.

The job reads the candidates in chunks of CHUNK (by id, keyset), each chunk's 考籍 in one query
(`records.selectors.passed_course_pairs`) and their own majors in two, evaluates every major's plan with
`eligibility.evaluate` — the rule 毕业预测 and 毕业申请 use — and writes a chunk's results before
reading the next: memory holds one chunk, whatever the number of candidates. A result row is written
for every plan a candidate completes and for his own major when he does not complete it (with the
courses he lacks); the run keeps counts by major as it goes.
"""

import datetime
import io
import logging
from collections import defaultdict

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.candidates.models import Candidate
from kaowu.catalog.models import Course
from kaowu.core.errors import UserFacingError
from kaowu.organization.models import StaffMember
from kaowu.records.selectors import passed_course_pairs

from . import selectors
from .eligibility import evaluate, graduation_majors, plans_of
from .models import EligibilityResult, EligibilityRun

logger = logging.getLogger(__name__)

CHUNK = 5000
MISSING_SHOWN = 40          # course codes kept per result row
RUNNING_STALE_AFTER = datetime.timedelta(hours=2)
ACTIVE = [EligibilityRun.Status.QUEUED, EligibilityRun.Status.RUNNING]


class GraduationError(UserFacingError):
    pass


def _fail_stale_runs() -> None:
    now = timezone.now()
    stale = EligibilityRun.objects.select_for_update().filter(status__in=ACTIVE).filter(
        created_at__lt=now - RUNNING_STALE_AFTER)
    for run in stale:
        run.status, run.error, run.finished_at = EligibilityRun.Status.FAILED, gettext("初审任务超时未完成，已终止。"), now
        run.save(update_fields=["status", "error", "finished_at"])


def eligibility_run_request(*, staff: StaffMember, request=None) -> EligibilityRun:
    """开始初审: queue 毕业资格初审 over every candidate (province authority only)."""
    if not selectors.eligibility_runnable_by(staff=staff):
        raise GraduationError(gettext("只有省级考试机构可以进行毕业资格初审。"))
    return _eligibility_run_queue(requested_by=staff.user, request=request)


def eligibility_run_autostart(*, now: datetime.datetime | None = None) -> EligibilityRun | None:
    """The platform's own 开始初审 at the start of a 毕业申请 window (`graduation_start_eligibility_runs`,
    run every few minutes): one run per opened window — queued when the province's 毕业申请 window is
    open and no run was started since it opened (by anyone); None otherwise (also while a run is still
    active). Audited as the system, with the window it was for."""
    from kaowu.catalog.models import BusinessWindow
    from kaowu.catalog.selectors import current_sitting
    from kaowu.catalog.windows import business_window

    now = now or timezone.now()
    applicable = business_window(kind=BusinessWindow.Kind.GRADUATION, sitting=current_sitting(), now=now)
    if not applicable.is_open:
        return None
    window = applicable.window
    try:
        return _eligibility_run_queue(requested_by=None, since=window.starts_at, detail={
            "window": window.pk, "window_starts_at": window.starts_at.isoformat(),
            "window_ends_at": window.ends_at.isoformat()})
    except GraduationError:  # a run (started before the window opened) is still active: next time
        return None


def _eligibility_run_queue(*, requested_by, request=None, since=None, detail=None) -> EligibilityRun | None:
    """Queue a run (the job starts once committed). `requested_by` None: the platform itself; with
    `since`, nothing is queued (None) when a run was created at or after that moment."""
    busy = gettext("毕业资格初审正在进行中，请等待完成。")
    try:
        with transaction.atomic():
            _fail_stale_runs()
            if since is not None and EligibilityRun.objects.filter(created_at__gte=since).exists():
                return None
            if EligibilityRun.objects.filter(status__in=ACTIVE).exists():
                raise GraduationError(busy)
            run = EligibilityRun.objects.create(requested_by=requested_by)
            if requested_by is not None:
                audit_record(actor=requested_by, action=AuditAction.GRADUATION_ELIGIBILITY_REQUESTED, target=run,
                             request=request, detail=detail)
            else:  # the system: filed under the province, whose auditors read it
                from kaowu.organization.selectors import home_province

                province = home_province()
                audit_record(actor=None, action=AuditAction.GRADUATION_ELIGIBILITY_AUTOSTARTED, target=run,
                             detail=detail, jurisdiction_code=province.region.code if province else "")
            from .tasks import eligibility_run_task

            run_id = run.pk
            transaction.on_commit(lambda: eligibility_run_task.enqueue(run_id=run_id))
    except IntegrityError:  # a second request in the same instant: the constraint refused it
        raise GraduationError(busy) from None
    return run


def eligibility_run_execute(*, run_id: int, chunk: int = CHUNK) -> EligibilityRun:
    """The job. Safe to run twice: a run that is no longer 排队中 is left alone."""
    with transaction.atomic():
        run = EligibilityRun.objects.select_for_update().get(pk=run_id)
        if run.status != EligibilityRun.Status.QUEUED:
            return run
        run.status, run.started_at = EligibilityRun.Status.RUNNING, timezone.now()
        run.total = Candidate.objects.count()
        run.save(update_fields=["status", "started_at", "total"])
    try:
        _run(run, chunk=chunk)
    except Exception as exc:
        logger.exception("graduation eligibility run %s failed", run_id)
        EligibilityRun.objects.filter(pk=run_id).update(
            status=EligibilityRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:500],
            finished_at=timezone.now())
        raise
    run.status, run.finished_at = EligibilityRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def _run(run: EligibilityRun, *, chunk: int) -> None:
    majors = list(graduation_majors())
    plans = list(plans_of(majors).values())
    plans = [plan for plan in plans if plan.required or plan.groups]
    by_id = {plan.major_id: plan for plan in plans}
    majors_by_name: dict[str, int] = {}
    for major in sorted(majors, key=lambda m: (m.status, m.code)):
        majors_by_name.setdefault(major.name, major.pk)
    course_ids = set().union(*(plan.course_ids for plan in plans)) if plans else set()
    codes = dict(Course.objects.filter(pk__in=course_ids).values_list("pk", "code"))
    summary = {str(plan.major_id): {"code": plan.code, "name": plan.name, "eligible": 0, "lacking": 0}
               for plan in plans}
    last, done, eligible = 0, 0, 0
    while True:
        ids = list(Candidate.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        passed: dict[int, set[int]] = defaultdict(set)
        for candidate_id, course_id in passed_course_pairs(candidate_ids=range(ids[0], ids[-1] + 1)):
            passed[candidate_id].add(course_id)
        own = selectors.own_majors_of(candidate_ids=ids, majors_by_name=majors_by_name)
        rows = []
        for candidate_id in ids:
            courses = passed.get(candidate_id, set())
            own_plan = by_id.get(own.get(candidate_id))
            any_eligible = False
            for plan in plans:
                if plan is not own_plan and not plan.within_reach(courses):
                    continue  # cannot be complete: nothing to write for a major not his own
                verdict = evaluate(plan, courses)
                if verdict.eligible or plan is own_plan:
                    rows.append(_result(candidate_id, verdict, own=plan is own_plan, codes=codes))
                    counts = summary[str(plan.major_id)]
                    counts["eligible" if verdict.eligible else "lacking"] += 1
                    any_eligible = any_eligible or verdict.eligible
            eligible += any_eligible
        _insert(rows, run_id=run.pk)
        done += len(ids)
        last = ids[-1]
        EligibilityRun.objects.filter(pk=run.pk).update(done=done, eligible=eligible, summary=summary)
    run.done, run.eligible, run.summary = done, eligible, summary
    run.total = max(run.total, done)
    run.save(update_fields=["done", "eligible", "summary", "total"])


def _result(candidate_id: int, verdict, *, own: bool, codes: dict[int, str]) -> tuple:
    missing = "、".join(codes.get(c, "") for c in verdict.missing_course_ids[:MISSING_SHOWN])[:400]
    return (candidate_id, verdict.plan.major_id, verdict.eligible, own, verdict.credits_done,
            verdict.credits_required, verdict.courses_missing, missing)


_COLUMNS = ("candidate", "major", "eligible", "own_major", "credits_done", "credits_required", "courses_missing",
            "missing")


def _insert(rows: list[tuple], *, run_id: int) -> None:
    """A chunk's results: COPY on PostgreSQL (a chunk of 5,000 candidates in milliseconds), else bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        EligibilityResult.objects.bulk_create(
            [EligibilityResult(run_id=run_id, **dict(zip([f"{c}_id" if c in ("candidate", "major") else c
                                                          for c in _COLUMNS], row, strict=True))) for row in rows],
            batch_size=2000)
        return
    meta = EligibilityResult._meta
    columns = ", ".join(meta.get_field(name).column for name in ("run", *_COLUMNS))
    buffer = io.StringIO()
    for candidate_id, major_id, eligible, own, done, required, count, missing in rows:
        # course codes are digits and 、: nothing to escape in COPY's text format
        buffer.write(f"{run_id}\t{candidate_id}\t{major_id}\t{'t' if eligible else 'f'}\t{'t' if own else 'f'}\t"
                     f"{done}\t{required}\t{count}\t{missing}\n")
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())
