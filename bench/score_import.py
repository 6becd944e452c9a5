"""Benchmark: importing 1,000,000 score rows (成绩导入) on PostgreSQL against a plain COPY of the same rows.

    .venv/bin/python bench/score_import.py [--rows 1000000] [--database-url postgres://…/kaowu_bench_scores]
    .venv/bin/python bench/score_import.py --smoke   # 4,000 rows, one pair, own database; no target (CI)

Data: bench/generate.py's world (paid course registrations in the bench sitting 2099-04, written by
INSERT … SELECT generate_series; reused when present). The score file is one row per paid course
registration — 准考证号, 课程代码, 成绩, 缺考/违纪 — about 57 % passing, 4 % 缺考, 0.2 % 违纪, in
准考证号 order, written as UTF-8 CSV by COPY … TO STDOUT.

Measured, each on empty score tables:

(a) baseline: one COPY … FROM STDIN of the same rows, already resolved to ids (exam_number_id,
    sitting_id, course_id, score, mark, passed, score_import_id), into a scratch copy of the
    records_examscore table (CREATE TABLE … (LIKE … INCLUDING ALL) — the same columns, checks and
    indexes — plus the same deferred foreign keys), committed;
(b) the full import: `records.services.score_import_run` — open the stored file, parse, validate
    every row against the sitting's registrations, stream into the staging table, write
    records_examscore, add the passes to records_passedcourse, audit, commit.

The pair is run `--repeat` times (alternating, so both see the same machine load) and the best
time of each is compared. Prints every run, the ratio against the target (b ≤ 2 × a), the peak
memory of the process (ru_maxrss) and the load average; exits 1 on a miss or when the import did not
write every row (with --smoke only then). Re-runs on the database it left: the score tables are
emptied first, with whatever refers to a score (TRUNCATE … CASCADE: a bench database holds bench data).
"""

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaowu.settings")

from bench import generate  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kaowu_bench_scores"
SCRATCH = "bench_examscore_copy"

# Row i of the file (in 准考证号 order): 缺考 when i % 25 == 7, 违纪 when i % 500 == 3, otherwise a score
# 30.0–100.0 spread by a multiplicative hash.
ROWS_SQL = """
SELECT en.number, c.code, en.id, c.id, rc.id,
       CASE WHEN rc.id %% 25 = 7 THEN NULL ELSE (30 + (rc.id * 7919) %% 701 / 10.0)::numeric(4,1) END AS score,
       CASE WHEN rc.id %% 25 = 7 THEN 'absent' WHEN rc.id %% 500 = 3 THEN 'misconduct' ELSE 'normal' END AS mark
FROM registration_registeredcourse rc
JOIN registration_registration r ON r.id = rc.registration_id
JOIN candidates_examnumber en ON en.id = r.exam_number_id
JOIN catalog_course c ON c.id = rc.course_id
WHERE r.sitting_id = %s AND rc.status = 'paid'
"""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scores_clear() -> None:
    """Empty the score tables between runs (and whatever refers to a score, e.g. 成绩复核 results)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute("TRUNCATE records_examscore, records_passedcourse CASCADE")


def file_write(*, sitting_id: int, limit: int, path: Path) -> int:
    """The score file (UTF-8 CSV with the Chinese header), in 准考证号 order."""
    from django.db import connection

    path.parent.mkdir(parents=True, exist_ok=True)
    query = (f"SELECT number, code, score, CASE mark WHEN 'absent' THEN '缺考' WHEN 'misconduct' THEN '违纪' "
             f"ELSE '' END FROM ({ROWS_SQL}) AS rows ORDER BY number, code LIMIT {int(limit)}")
    with connection.cursor() as cursor, path.open("wb") as out:
        out.write("准考证号,课程代码,成绩,缺考/违纪\n".encode())
        sql = cursor.cursor.mogrify(query, [sitting_id])
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                out.write(block)
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def baseline_data(*, sitting_id: int, import_id: int, limit: int, pass_score: int) -> bytes:
    """The same rows as COPY text, resolved to ids (prepared before timing)."""
    from django.db import connection

    query = (f"SELECT en_id, course_id, score, mark, "
             f"(mark = 'normal' AND score >= {int(pass_score)}), {int(import_id)} FROM "
             f"(SELECT number, code, en_id, course_id, score, mark FROM ({ROWS_SQL}) AS r(number, code, en_id, "
             f"course_id, rc_id, score, mark) ORDER BY number, code LIMIT {int(limit)}) AS rows")
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        sql = cursor.cursor.mogrify(query, [sitting_id])
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
            for block in copy:
                buffer.write(block)
    return buffer.getvalue()


def baseline_copy(*, data: bytes, sitting_id: int) -> float:
    """COPY the rows into a full copy of records_examscore; seconds from the first byte to the commit."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(f"CREATE TABLE {SCRATCH} (LIKE records_examscore INCLUDING ALL)")
        for column, target in [("exam_number_id", "candidates_examnumber"), ("sitting_id", "catalog_examsitting"),
                               ("course_id", "catalog_course"), ("score_import_id", "records_scoreimport")]:
            cursor.execute(f"ALTER TABLE {SCRATCH} ADD FOREIGN KEY ({column}) REFERENCES {target} (id) "
                           "DEFERRABLE INITIALLY DEFERRED")
        cursor.execute(f"ALTER TABLE {SCRATCH} ALTER COLUMN sitting_id SET DEFAULT {int(sitting_id)}")
        cursor.execute("CHECKPOINT")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {SCRATCH} (exam_number_id, course_id, score, mark, passed, score_import_id) "
                                "FROM STDIN") as copy:
            view = memoryview(data)
            for start in range(0, len(data), 1 << 20):
                copy.write(view[start:start + (1 << 20)])
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {SCRATCH}")
        copied = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {SCRATCH}")
    return seconds, copied


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help=f"default {DEFAULT_URL} (--smoke: {generate.SMOKE_URL})")
    parser.add_argument("--rows", type=int, default=None,
                        help=f"score rows (default 1e6; --smoke: {generate.SMOKE_COURSES:,})")
    parser.add_argument("--areas", type=int, default=None,
                        help=f"exam areas of the generated data (default 10; --smoke: {generate.SMOKE_AREAS})")
    parser.add_argument("--ratio", type=float, default=2.0, help="target: import ≤ ratio × COPY (default 2)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="baseline + import pairs, alternated; the best of each is compared (default 2; --smoke: 1)")
    parser.add_argument("--smoke", action="store_true", help="small sizes, seconds: the code path, no target (CI)")
    args = parser.parse_args()
    args.rows = args.rows or (generate.SMOKE_COURSES if args.smoke else 1_000_000)
    args.repeat = args.repeat or (1 if args.smoke else 2)

    generate.database_prepare(args.database_url or (generate.SMOKE_URL if args.smoke else DEFAULT_URL))
    generate.django_setup()
    from django.conf import settings
    from django.core.files import File

    from kaowu.accounts.models import User
    from kaowu.records.models import ExamScore, PassedCourse, ScoreImport
    from kaowu.records.services import score_import_run

    # world_ensure removes the scores and score imports of earlier runs (generate.outputs_clear).
    world = generate.world_ensure(courses=args.rows,
                                  areas=args.areas or (generate.SMOKE_AREAS if args.smoke else 10))
    print(f"data: {world.registered_courses} paid course registrations, {world.registrations} 准考证号"
          + (f" (generated in {world.seconds:.1f} s)" if world.seconds else " (reused)"))

    path = Path(settings.MEDIA_ROOT) / "bench" / "scores-1m.csv"
    started = time.perf_counter()
    rows = file_write(sitting_id=world.sitting_id, limit=args.rows, path=path)
    print(f"file: {rows} rows, {path.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - started:.1f} s to write)")

    staff_user = User.objects.filter(is_superuser=False).order_by("pk").first()
    copies, runs, ok, rss_before = [], [], True, 0.0
    for attempt in range(1, args.repeat + 1):
        scores_clear()
        baseline_import = ScoreImport.objects.create(sitting_id=world.sitting_id, original_name="baseline",
                                                     uploaded_by=staff_user, status=ScoreImport.Status.FAILED,
                                                     file="bench/none")
        data = baseline_data(sitting_id=world.sitting_id, import_id=baseline_import.pk, limit=args.rows,
                             pass_score=settings.KAOWU_PASS_SCORE)
        copy_seconds, copied = baseline_copy(data=data, sitting_id=world.sitting_id)
        del data
        copies.append(copy_seconds)
        print(f"run {attempt} (a) COPY baseline: {copied} rows into a copy of records_examscore in {copy_seconds:.2f} s")

        scores_clear()
        with path.open("rb") as handle:
            score_import = ScoreImport(sitting_id=world.sitting_id, original_name="scores-1m.csv",
                                       uploaded_by=staff_user)
            score_import.file.save("bench/scores-1m-import.csv", File(handle), save=True)
        rss_before = _rss_mb() if attempt == 1 else rss_before
        started = time.perf_counter()
        score_import = score_import_run(import_id=score_import.pk)
        import_seconds = time.perf_counter() - started
        runs.append(import_seconds)
        written = ExamScore.objects.filter(sitting_id=world.sitting_id).count()
        passes = PassedCourse.objects.filter(sitting_id=world.sitting_id).count()
        print(f"run {attempt} (b) full import: status {score_import.status}, {score_import.rows_written} rows written "
              f"({written} in records_examscore, {score_import.passed_count} passing → {passes} "
              f"records_passedcourse) in {import_seconds:.2f} s = {import_seconds / copy_seconds:.2f} × this run's COPY")
        ok = ok and score_import.status == ScoreImport.Status.IMPORTED and written == rows
        score_import.file.delete(save=False)
    ratio = min(runs) / min(copies)
    ok = ok and (args.smoke or ratio <= args.ratio)
    verdict = ("OK (smoke run: checks only, no target)" if args.smoke else "OK") if ok else "MISS"
    print(f"best of {args.repeat}: COPY {min(copies):.2f} s, import {min(runs):.2f} s — ratio {ratio:.2f} × COPY "
          f"(target ≤ {args.ratio:.1f} ×) — {verdict}")
    print(f"peak memory (ru_maxrss): {_rss_mb():.0f} MB (before the first import: {rss_before:.0f} MB)")
    load = os.getloadavg()
    print(f"load average while measuring: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
