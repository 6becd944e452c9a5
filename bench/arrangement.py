"""Benchmark: 考场编排 of 1,000,000 paid course registrations across 10 exam areas on PostgreSQL.

    .venv/bin/python bench/arrangement.py [--courses 1000000] [--areas 10] [--target 30]
                                          [--database-url postgres://postgres@127.0.0.1:5432/kaowu_bench_arrange]
    .venv/bin/python bench/arrangement.py --smoke    # 4,000 courses, 2 areas, own database; no target (CI)

Generates its data with bench/generate.py the first time (the database is created if missing;
generation is timed separately and not counted), then, from an empty arrangement, runs the
arrangement job (`arrangement_run_execute`: read, arrange, write every seat) for every exam area one
after another and sums the times — the figure the target is about (issue: ≤ 30 s including writes).
Then it runs again with nothing changed (writes nothing), and once more after 1 % of the course
registrations changed (half refunded, as many new paid courses added). Checks the result in SQL
(no seat twice, no room over capacity, every paid course seated) and prints the peak memory
(maxrss) of the process. Exits 1 when the first arrangement misses the target or a check fails
(with --smoke only when a check fails).
"""

import argparse
import logging
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import generate  # noqa: E402


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _backend_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend process (when the server runs on this machine)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class _Phases(logging.Handler):
    """Sums the read / arrange / write seconds the job logs for each run."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.seconds = [0.0, 0.0, 0.0]

    def emit(self, record):
        if record.msg.startswith("arrangement run") and len(record.args) == 9:
            for i in range(3):
                self.seconds[i] += record.args[6 + i]


def _arrange_all(world, *, label: str) -> tuple[float, list]:
    from kaowu.exams.models import ArrangementRun
    from kaowu.exams.services import arrangement_run_execute

    phases = _Phases()
    job_logger = logging.getLogger("kaowu.exams.services")
    job_logger.addHandler(phases)
    job_logger.propagate = False
    runs, total = [], 0.0
    cpu_started, backend_started = time.process_time(), _backend_cpu_seconds()
    for area_id in world.area_ids:
        run = ArrangementRun.objects.create(sitting_id=world.sitting_id, exam_area_id=area_id)
        started = time.perf_counter()
        run = arrangement_run_execute(run_id=run.pk)
        seconds = time.perf_counter() - started
        total += seconds
        runs.append((run, seconds))
    python_cpu = time.process_time() - cpu_started
    job_logger.removeHandler(phases)
    backend_ended = _backend_cpu_seconds()
    backend_cpu = backend_ended - backend_started if backend_started is not None and backend_ended is not None else None
    assigned = sum(r.assigned for r, _ in runs)
    kept = sum(r.kept for r, _ in runs)
    released = sum(r.released for r, _ in runs)
    unseated = sum(r.unseated for r, _ in runs)
    slowest = max(seconds for _, seconds in runs)
    cpu = f"CPU: python {python_cpu:.1f} s" + (f" + postgres {backend_cpu:.1f} s" if backend_cpu is not None else "")
    read, arrange, write = phases.seconds
    print(f"{label}: {total:.2f} s wall ({cpu}; slowest area {slowest:.2f} s)\n"
          f"    read {read:.1f} s, arrange {arrange:.1f} s, write {write:.1f} s; "
          f"assigned {assigned}, kept {kept}, released {released}, unseated {unseated}")
    return total, runs


def _check(world) -> list[str]:
    from django.db import connection

    problems = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM (SELECT 1 FROM exams_seatassignment GROUP BY session_id, room_id, seat "
                       "HAVING COUNT(*) > 1) d")
        if cursor.fetchone()[0]:
            problems.append("a seat is given twice")
        cursor.execute("SELECT COUNT(*) FROM (SELECT a.room_id FROM exams_seatassignment a JOIN exams_examroom r "
                       "ON r.id = a.room_id GROUP BY a.session_id, a.room_id, r.capacity "
                       "HAVING COUNT(*) > r.capacity OR MAX(a.seat) > r.capacity) o")
        if cursor.fetchone()[0]:
            problems.append("a room is over capacity")
        cursor.execute("SELECT COUNT(*) FROM registration_registeredcourse rc JOIN registration_registration r "
                       "ON r.id = rc.registration_id LEFT JOIN exams_seatassignment a ON a.registered_course_id = rc.id "
                       "WHERE r.sitting_id = %s AND rc.status = 'paid' AND a.registered_course_id IS NULL", [world.sitting_id])
        unseated = cursor.fetchone()[0]
        if unseated:
            problems.append(f"{unseated} paid course registrations have no seat")
        cursor.execute("SELECT COUNT(*) FROM exams_seatassignment a JOIN registration_registeredcourse rc "
                       "ON rc.id = a.registered_course_id WHERE rc.status NOT IN ('paid', 'refunding')")
        stale = cursor.fetchone()[0]
        if stale:
            problems.append(f"{stale} seats of courses no longer paid")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None,
                        help=f"default {generate.DEFAULT_URL} (--smoke: {generate.SMOKE_URL})")
    parser.add_argument("--courses", type=int, default=None,
                        help=f"paid course registrations (default 1e6; --smoke: {generate.SMOKE_COURSES:,})")
    parser.add_argument("--areas", type=int, default=None, help=f"exam areas (default 10; --smoke: {generate.SMOKE_AREAS})")
    parser.add_argument("--target", type=float, default=30.0, help="seconds for the first arrangement (default 30)")
    parser.add_argument("--regenerate", action="store_true", help="generate the data again")
    parser.add_argument("--smoke", action="store_true", help="small sizes, seconds: the code path, no target (CI)")
    args = parser.parse_args()

    generate.database_prepare(args.database_url or (generate.SMOKE_URL if args.smoke else generate.DEFAULT_URL))
    generate.django_setup()
    from django.db import connection

    world = generate.world_ensure(courses=args.courses or (generate.SMOKE_COURSES if args.smoke else 1_000_000),
                                  areas=args.areas or (generate.SMOKE_AREAS if args.smoke else 10),
                                  regenerate=args.regenerate)
    generation = f"generated in {world.seconds:.1f} s (not counted)" if world.seconds else "reused"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("TRUNCATE exams_seatassignment")
        cursor.execute("DELETE FROM exams_arrangementrun WHERE sitting_id = %s", [world.sitting_id])
        cursor.execute("VACUUM ANALYZE exams_seatassignment")
    print(f"考场编排 on PostgreSQL {version}: {world.registered_courses} paid course registrations "
          f"({world.registrations} registrations × {generate.COURSES_PER_REGISTRATION} courses), "
          f"{len(world.area_ids)} exam areas, {world.rooms} rooms of {generate.SEATS_PER_ROOM} seats, "
          f"{generate.SESSIONS} sessions × {generate.COURSES_PER_SESSION} courses; data {generation}")

    baseline = _maxrss_mb()
    first, _ = _arrange_all(world, label="first arrangement (empty → full)")
    after_first = _maxrss_mb()
    again, _ = _arrange_all(world, label="re-run, nothing changed")
    refunded, added = generate.courses_change(world=world, fraction=0.01)
    incremental, _ = _arrange_all(world, label=f"re-run after 1 % changed ({refunded} refunded, {added} added)")
    problems = _check(world)
    peak = _maxrss_mb()
    generate.courses_reset(sitting_id=world.sitting_id)

    load = os.getloadavg()[0]
    verdict = "smoke run, no target" if args.smoke else "OK" if first <= args.target else "MISSED"
    print(f"first arrangement {first:.2f} s   (target ≤ {args.target:.0f} s)   {verdict}")
    print(f"re-run unchanged  {again:.2f} s;  incremental after 1 % changed {incremental:.2f} s")
    print(f"peak memory (maxrss) {peak:.0f} MB  (before arranging {baseline:.0f} MB, "
          f"after the first arrangement {after_first:.0f} MB)")
    if load > (os.cpu_count() or 1) - 0.5:
        print(f"note: load average {load:.1f} on {os.cpu_count()} cores: other processes shared the machine, wall "
              "times are inflated; the CPU times show what the work itself costs")
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    if not problems:
        print("checks: no seat twice, no room over capacity, every paid course seated, no seat of a refunded course")
    return 0 if (args.smoke or first <= args.target) and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
