"""Benchmark: the bulk 准考证 job (批量准考证) for one whole exam area, on PostgreSQL.

    .venv/bin/python bench/ticket_batch.py [--courses 80000] [--areas 2] [--target 100]
                                           [--database-url postgres://postgres@127.0.0.1:5432/kaowu_bench_tickets]
    .venv/bin/python bench/ticket_batch.py --smoke   # 4,000 courses, own database; checks, no target (CI)

Generates its data with bench/generate.py the first time (paid course registrations, four per
candidate, spread over `areas` exam areas with their sites and rooms; generation is not counted),
arranges the first exam area (not counted either), then times the job staff start from 管理端 ›
批量准考证 (`ticket_batch_run`): read every arranged candidate with courses and seats, draw every
ticket (CJK font embedded, QR code, 考场规则), one PDF per 考点 in a ZIP, publish the seats. Checks the
ZIP (one PDF per site, each embedding the font, one page per candidate) and prints tickets per
second of the whole job, with the target (issue 6: ≥ 100 ticket PDFs per second per core) and the
drawing-only baseline of bench/ticket_pdf.py beside it, and the peak memory. Exits 1 on a miss or a
failed check (with --smoke only on a failed check). Re-runs on the database it left: earlier seats,
jobs and their ZIP files are removed first (generate.outputs_clear).

The generated candidates have no 证件照 (the photo is one file read per candidate when present;
bench/ticket_pdf.py draws tickets with photos)."""

import argparse
import io
import logging
import resource
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import generate  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kaowu_bench_tickets"


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help=f"default {DEFAULT_URL} (--smoke: {generate.SMOKE_URL})")
    parser.add_argument("--courses", type=int, default=None,
                        help=f"paid course registrations in all (default 80,000; --smoke: {generate.SMOKE_COURSES:,})")
    parser.add_argument("--areas", type=int, default=None, help="exam areas (default 2; the first one is timed)")
    parser.add_argument("--target", type=float, default=100.0, help="tickets per second (default 100)")
    parser.add_argument("--regenerate", action="store_true", help="generate the data again")
    parser.add_argument("--smoke", action="store_true", help="small sizes, seconds: the code path, no target (CI)")
    args = parser.parse_args()

    generate.database_prepare(args.database_url or (generate.SMOKE_URL if args.smoke else DEFAULT_URL))
    generate.django_setup()
    logging.getLogger("kaowu").setLevel(logging.WARNING)
    import pypdf
    from django.db import connection

    from kaowu.documents.models import TicketBatch
    from kaowu.documents.services import ticket_batch_run
    from kaowu.exams.models import ArrangementRun, SeatAssignment
    from kaowu.exams.services import arrangement_run_execute

    # world_ensure removes the seats, jobs and ZIP files of earlier runs (generate.outputs_clear).
    world = generate.world_ensure(courses=args.courses or (generate.SMOKE_COURSES if args.smoke else 80_000),
                                  areas=args.areas or (generate.SMOKE_AREAS if args.smoke else 2),
                                  regenerate=args.regenerate)
    generation = f"generated in {world.seconds:.1f} s (not counted)" if world.seconds else "reused"
    area_id = world.area_ids[0]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    started = time.perf_counter()
    arrangement_run_execute(run_id=ArrangementRun.objects.create(sitting_id=world.sitting_id,
                                                                 exam_area_id=area_id).pk)
    arranged_in = time.perf_counter() - started
    candidates = (SeatAssignment.objects.filter(sitting_id=world.sitting_id, room__site__exam_area_id=area_id)
                  .values("registered_course__registration_id").distinct().count())
    print(f"PostgreSQL {version}; {world.registered_courses:,} course registrations in {len(world.area_ids)} areas "
          f"({generation}); exam area 1 arranged in {arranged_in:.1f} s (not counted): {candidates:,} candidates")

    batch = TicketBatch.objects.create(sitting_id=world.sitting_id, exam_area_id=area_id,
                                       base_url="https://kaowu.example.cn")
    rss_before = _maxrss_mb()
    started_cpu, started = time.process_time(), time.perf_counter()
    batch = ticket_batch_run(batch_id=batch.pk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    rate = batch.done / seconds if seconds else 0.0

    problems = []
    if batch.status != TicketBatch.Status.DONE:
        problems.append(f"the batch ended {batch.status}: {batch.error}")
    pages = 0
    with batch.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        for name in names:
            data = archive.read(name)
            if b"/FontFile2" not in data:
                problems.append(f"{name} does not embed the font")
            pages += len(pypdf.PdfReader(io.BytesIO(data)).pages)
    if len(names) != batch.sites:
        problems.append(f"{len(names)} PDFs for {batch.sites} sites")
    if pages != candidates or batch.done != candidates:
        problems.append(f"{pages} pages / {batch.done} tickets for {candidates} arranged candidates")
    unpublished = SeatAssignment.objects.filter(sitting_id=world.sitting_id, room__site__exam_area_id=area_id,
                                                notified_at__isnull=True).count()
    if unpublished:
        problems.append(f"{unpublished} printed seats not published")

    ok = (args.smoke or rate >= args.target) and not problems
    print(f"批量准考证: {batch.done:,} tickets in {batch.sites} site PDFs, {batch.size / 1e6:.1f} MB ZIP, "
          f"in {seconds:.1f} s wall ({cpu:.1f} s CPU in Python)")
    print(f"    rate: {rate:.0f} tickets/s    target: ≥ {args.target:.0f}/s per core    "
          f"drawing-only baseline (bench/ticket_pdf.py, bulk): 121–160/s")
    print(f"    peak memory (maxrss): {_maxrss_mb():.0f} MB ({rss_before:.0f} MB before the job)")
    for problem in problems:
        print(f"    CHECK FAILED: {problem}")
    print(("PASS (smoke run: checks only, no target)" if args.smoke else "PASS") if ok else "MISS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
