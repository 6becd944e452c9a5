"""Benchmark: 毕业资格初审 (`graduation.services.eligibility_run_execute`) over 200,000 candidates with 20
passed courses each on PostgreSQL — target ≤ 60 s, memory flat (the job reads one chunk of candidates at a
time).

    .venv/bin/python bench/graduation.py [--candidates 200000] [--database-url postgres://…/kaowu_bench_graduation]
    .venv/bin/python bench/graduation.py --smoke   # 1,000 candidates in the shared smoke database; no target (CI)

Data: bench/generate.py's world (one candidate, 准考证号 and 报考 per 4 course registrations; reused when
present) gives the candidates, their own major (压测专业 B990001, that of their 报考) and 48 bench courses
of 4 credits. This bench adds nine more majors (B990002–B990010) and gives each of the ten a plan of 20
bench courses: 16 required and a group 选考课程（任选两门） of 4; major m's plan is the courses 4m … 4m+19
(mod 48). Candidate i's 考籍 is 20 courses, 4(i mod 12)+d … +19 (mod 48), d = 1 when i mod 7 = 3 (one
required course short), else 0 — written by INSERT … SELECT generate_series, 85 % 考试合格, 5 % 转入成绩,
10 % 免考. So candidate i completes exactly the plan of major i mod 12 when that is < 10 and d = 0.

Measured in the same run:
(a) baseline: reading the same 考籍 the same way (chunks of candidates, `records.selectors.passed_course_pairs`
    into a set per candidate) without evaluating or writing anything — the floor of any streamed batch;
(b) the job: evaluate every plan for every candidate, write the results, keep the counts by major.

Prints both, (b)'s figure beside the target, the results against the expected counts, the process's
memory (ru_maxrss) before and after the job, and the load average; exits 1 on a miss (time, memory
growth over --max-growth-mb, or a wrong count; with --smoke only a wrong count). Re-runs on the database
it left: the earlier runs' results are deleted first, and the 考籍 is written again (generate.py empties
records_passedcourse whenever a bench reuses its world); its own results are deleted at the end, so that
the other benches may regenerate the shared world.
"""

import argparse
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaowu.settings")

from bench import generate  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kaowu_bench_graduation"
MAJORS = 10
PLAN_SIZE = 20
REQUIRED = 16
GROUP_LABEL = "选考课程（任选两门）"
ROTATIONS = 12          # candidate i's record starts at course 4 (i mod 12)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def results_clear(*, plans: bool = False) -> None:
    """Delete the runs and their results (and, at the end, the bench plans and majors but B990001, which
    generate.py owns), so that the other benches find the shared world as generate.py left it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM graduation_eligibilityresult")
        cursor.execute("DELETE FROM graduation_eligibilityrun")
        if plans:
            cursor.execute("DELETE FROM catalog_plancourse WHERE major_id IN "
                           "(SELECT id FROM catalog_major WHERE code LIKE 'B99%%')")
            cursor.execute("DELETE FROM catalog_major WHERE code LIKE 'B99%%' AND code <> 'B990001'")


def bench_courses() -> list[int]:
    from kaowu.catalog.models import Course

    courses = list(Course.objects.filter(code__regex=r"^8[0-9]{4}$").order_by("code").values_list("pk", flat=True))
    if len(courses) != generate.SESSIONS * generate.COURSES_PER_SESSION:
        raise SystemExit(f"expected {generate.SESSIONS * generate.COURSES_PER_SESSION} bench courses, found {len(courses)}")
    return courses


def plans_ensure(courses: list[int]) -> list[int]:
    """Majors B990001–B990010 with their plans (rewritten every run). Returns the major ids."""
    from kaowu.catalog.models import Major, PlanCourse
    from kaowu.organization.models import Office

    university = Office.objects.get(code="BU00")
    majors = []
    for m in range(MAJORS):
        major, _ = Major.objects.get_or_create(code=f"B99{m + 1:04d}", defaults={
            "name": "压测专业" if m == 0 else f"压测专业{m + 1}", "level": "bachelor", "university": university})
        PlanCourse.objects.filter(major=major).delete()
        PlanCourse.objects.bulk_create([
            PlanCourse(major=major, course_id=courses[(4 * m + k) % len(courses)], position=k,
                       requirement="required" if k < REQUIRED else "elective",
                       group_label="" if k < REQUIRED else GROUP_LABEL) for k in range(PLAN_SIZE)])
        majors.append(major.pk)
    return majors


def record_write(*, courses: list[int]) -> tuple[int, int, int]:
    """20 PassedCourse rows per bench candidate. Returns (first candidate id, candidates, rows)."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(c.id), count(*) FROM candidates_candidate c JOIN accounts_user u "
                       "ON u.id = c.user_id WHERE u.username LIKE 'bench%%'")
        first, count = cursor.fetchone()
        n = len(courses)
        with transaction.atomic():
            cursor.execute("TRUNCATE records_passedcourse")
            cursor.execute("SET LOCAL synchronous_commit = off")
            # candidate i = the i-th bench candidate by id
            cursor.execute(f"""
                INSERT INTO records_passedcourse (candidate_id, course_id, score, source, passed_on, note, created_at)
                SELECT c.id, ({generate._array(courses)})[
                           ((4 * (c.i % {ROTATIONS}) + (CASE WHEN c.i % 7 = 3 THEN 1 ELSE 0 END) + k) % {n}) + 1],
                       CASE WHEN k % 20 < 17 THEN 60 + (c.i + k) % 40 END,
                       CASE WHEN k % 20 < 17 THEN 'exam' WHEN k % 20 = 17 THEN 'transfer_in' ELSE 'exemption' END,
                       DATE '2025-05-01', '', now()
                FROM (SELECT c.id, row_number() OVER (ORDER BY c.id) - 1 AS i FROM candidates_candidate c
                      JOIN accounts_user u ON u.id = c.user_id WHERE u.username LIKE 'bench%%') AS c,
                     generate_series(0, {PLAN_SIZE - 1}) AS h(k)""")
        cursor.execute("ANALYZE records_passedcourse")
        cursor.execute("SELECT count(*) FROM records_passedcourse")
        return first, count, cursor.fetchone()[0]


def expected(candidates: int) -> tuple[int, int]:
    """(candidates completing some plan, those completing their own major B990001's)."""
    complete = [i for i in range(candidates) if i % ROTATIONS < MAJORS and i % 7 != 3]
    return len(complete), sum(1 for i in complete if i % ROTATIONS == 0)


def baseline(chunk: int) -> tuple[float, int]:
    """Read the 考籍 as the job does, without evaluating or writing. Returns (seconds, rows)."""
    from kaowu.candidates.models import Candidate
    from kaowu.records.selectors import passed_course_pairs

    started, last, rows = time.perf_counter(), 0, 0
    while True:
        ids = list(Candidate.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        passed = defaultdict(set)
        for candidate_id, course_id in passed_course_pairs(candidate_ids=range(ids[0], ids[-1] + 1)):
            passed[candidate_id].add(course_id)
            rows += 1
        last = ids[-1]
    return time.perf_counter() - started, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help=f"default {DEFAULT_URL} (--smoke: {generate.SMOKE_URL})")
    parser.add_argument("--candidates", type=int, default=None, help="candidates (default 200,000; --smoke: 1,000)")
    parser.add_argument("--target", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--max-growth-mb", type=float, default=150.0,
                        help="peak memory growth allowed during the job (default 150 MB)")
    parser.add_argument("--smoke", action="store_true", help="small sizes, seconds: the code path, no target (CI)")
    args = parser.parse_args()

    generate.database_prepare(args.database_url or (generate.SMOKE_URL if args.smoke else DEFAULT_URL))
    generate.django_setup()
    from kaowu.accounts.models import User
    from kaowu.graduation.models import EligibilityResult, EligibilityRun
    from kaowu.graduation.services import CHUNK, eligibility_run_execute

    registrations = generate.SMOKE_COURSES if args.smoke else (args.candidates or 200_000) * 4
    world = generate.world_ensure(courses=registrations,
                                  areas=generate.SMOKE_AREAS if args.smoke else 10)
    print(f"data: {world.registrations} candidates with 准考证号 and 报考"
          + (f" (generated in {world.seconds:.1f} s)" if world.seconds else " (reused)"))
    results_clear()
    courses = bench_courses()
    plans_ensure(courses)
    started = time.perf_counter()
    _first, candidates, rows = record_write(courses=courses)
    print(f"考籍: {rows} passed courses for {candidates} candidates ({time.perf_counter() - started:.1f} s to write); "
          f"{MAJORS} majors × {PLAN_SIZE} plan courses")

    rss_start = _rss_mb()
    base_seconds, base_rows = baseline(CHUNK)
    print(f"(a) baseline: read the 考籍 in chunks of {CHUNK}: {base_rows} rows in {base_seconds:.2f} s")

    staff_user = User.objects.filter(is_superuser=False, kind="staff").order_by("pk").first()
    run = EligibilityRun.objects.create(requested_by=staff_user)
    rss_before = _rss_mb()
    started = time.perf_counter()
    run = eligibility_run_execute(run_id=run.pk)
    seconds = time.perf_counter() - started
    rss_after = _rss_mb()
    run.refresh_from_db()
    written = EligibilityResult.objects.filter(run=run).count()
    own = next((row for row in run.summary.values() if row["code"] == "B990001"), {"eligible": -1, "lacking": -1})
    want_eligible, want_own = expected(candidates)
    others = run.total - candidates   # candidates outside the bench data (none in a bench database)
    print(f"(b) 毕业资格初审: {run.status}, {run.done} candidates, {run.eligible} meet a plan, "
          f"{written} result rows in {seconds:.2f} s = {seconds / base_seconds:.2f} × the baseline read "
          f"({run.done / seconds:,.0f} candidates/s)")
    counts_ok = (run.status == EligibilityRun.Status.DONE and run.eligible == want_eligible and others >= 0
                 and own["eligible"] == want_own and own["lacking"] == candidates - want_own)
    print(f"check: meet a plan {run.eligible} (expected {want_eligible}), own major B990001 met {own['eligible']} "
          f"(expected {want_own}), lacking {own['lacking']} (expected {candidates - want_own}) — "
          f"{'OK' if counts_ok else 'WRONG'}")
    growth = rss_after - rss_before
    time_ok, memory_ok = seconds <= args.target, growth <= args.max_growth_mb
    print(f"time: {seconds:.2f} s (target ≤ {args.target:.0f} s{', not applied: smoke' if args.smoke else ''}) — "
          f"{'OK' if time_ok or args.smoke else 'MISS'}")
    print(f"memory (ru_maxrss): {rss_start:.0f} MB before the baseline, {rss_before:.0f} MB before the job, "
          f"{rss_after:.0f} MB after: +{growth:.0f} MB during the job (allowed {args.max_growth_mb:.0f} MB) — "
          f"{'OK' if memory_ok or args.smoke else 'MISS'}")
    load = os.getloadavg()
    print(f"load average while measuring: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs")
    results_clear(plans=True)
    ok = counts_ok and (args.smoke or (time_ok and memory_ok))
    print("OK (smoke run: checks only, no target)" if ok and args.smoke else ("OK" if ok else "MISS"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
