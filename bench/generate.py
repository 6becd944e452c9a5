"""Bench data on PostgreSQL: exam areas, sites and rooms, one sitting with its timetable, and paid
course registrations (报考) with every row they hang on (User, Candidate, ExamNumber,
Registration, Order, OrderItem, RegisteredCourse), written by INSERT … SELECT generate_series in
the database, never row by row through the ORM (a million course registrations in about a minute).

    .venv/bin/python bench/generate.py [--courses 1000000] [--areas 10] [--database-url …]

Reusable by later benches (score import, tickets):

    from bench import generate
    generate.database_prepare(url)          # creates the database if missing, sets KAOWU_DATABASE_URL
    generate.django_setup()                 # django.setup() + migrate
    world = generate.world_ensure(courses=1_000_000, areas=10)   # reuses existing data of that size

Everything generated hangs on the bench sitting (code 2099-04) and on offices / users whose codes
and user names start with "B"/"bench", so it never mixes with demo data. What the benches' jobs write
on it (seats, 考场编排 runs, 批量准考证 jobs, scores) is removed by `outputs_clear()` before a bench
runs and before the data is generated again, so every bench re-runs on the database it left.

`--smoke` (every bench has it, .ci/run runs them all): SMOKE_COURSES course registrations in
SMOKE_AREAS exam areas in their own database (SMOKE_URL), seconds instead of minutes, the same code
path; the benches then check their results but no time target. Each registration takes
four courses, one per session, all in sessions of the same parity (so never two in one session);
准考证号 are a permutation of the registration order, so that "by 准考证号" is not "by id".
"""

import argparse
import datetime
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaowu.settings")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kaowu_bench_arrange"
# --smoke: one small world shared by the database benches, never a full-size bench database.
SMOKE_URL = "postgres://postgres@127.0.0.1:5432/kaowu_bench_smoke"
SMOKE_COURSES = 4_000
SMOKE_AREAS = 2
SITTING_CODE = "2099-04"
SESSIONS = 8                 # 4 days, morning and afternoon
COURSES_PER_SESSION = 6
COURSES_PER_REGISTRATION = 4
SITES_PER_AREA = 10
SEATS_PER_ROOM = 30
ROOM_SLACK = 1.06            # rooms beyond the busiest session's need (each course starts a new room)


@dataclass
class BenchWorld:
    sitting_id: int
    area_ids: list[int]
    registrations: int
    registered_courses: int
    rooms: int
    seconds: float = 0.0     # generation time (0 when reused)


def database_prepare(url: str = DEFAULT_URL) -> str:
    """Create the database if missing; point Django at it, with a state directory of its own
    (KAOWU_VAR_DIR, default /tmp/kaowu-bench/<database>): the development data keys generated there
    encrypt the ID numbers in that database, so the two go together."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["KAOWU_DATABASE_URL"] = url
    os.environ.setdefault("KAOWU_VAR_DIR", f"/tmp/kaowu-bench/{name}")
    return url


def django_setup(*, migrate: bool = True) -> None:
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def _insert_series(cursor, model, count: int, values: dict[str, str], start: int = 0) -> int:
    """INSERT INTO model's table SELECT <values> FROM generate_series(start, start+count-1) AS g(i).
    `values` maps field names to SQL expressions of i; ids are explicit (base + i). Returns base."""
    meta = model._meta
    missing = [f.name for f in meta.concrete_fields
               if not f.null and not f.primary_key and f.name not in values]
    if missing:
        raise ValueError(f"{meta.label}: no value for {missing}")
    table = meta.db_table
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    base = cursor.fetchone()[0]
    columns = ["id"] + [meta.get_field(name).column for name in values]
    expressions = [f"{base} + i - {start}"] + list(values.values())
    cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} "
                   f"FROM generate_series({start}, {start + count - 1}) AS g(i)")
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    return base


def _array(values) -> str:
    return "ARRAY[" + ",".join(str(v) for v in values) + "]"


def world_ensure(*, courses: int = 1_000_000, areas: int = 10, regenerate: bool = False) -> BenchWorld:
    """The bench data for `courses` paid course registrations in `areas` exam areas (reused when present,
    without what earlier bench runs wrote on it)."""
    from kaowu.catalog.models import ExamSitting
    from kaowu.registration.models import RegisteredCourse, Registration

    sitting = ExamSitting.objects.filter(code=SITTING_CODE).first()
    if sitting is not None and not regenerate:
        outputs_clear(sitting_id=sitting.pk)
        courses_reset(sitting_id=sitting.pk)
        registrations = Registration.objects.filter(sitting=sitting)
        area_ids = sorted(set(registrations.values_list("exam_area_id", flat=True).distinct()))
        count = RegisteredCourse.objects.filter(registration__sitting=sitting).count()
        if count == courses and len(area_ids) == areas:
            rooms = rooms_ensure(area_ids=area_ids, registrations=registrations.count())
            return BenchWorld(sitting.pk, area_ids, registrations.count(), count, rooms)
    started = time.perf_counter()
    _wipe()
    world = _generate(courses=courses, areas=areas)
    world.seconds = time.perf_counter() - started
    return world


def outputs_clear(*, sitting_id: int) -> None:
    """Remove what the benches' jobs wrote on the bench data: seats and 考场编排 runs, 批量准考证 jobs
    (with their ZIP files) and scores (成绩导入, 考籍 passes, the score imports). Score and seat tables
    are emptied whole (TRUNCATE … CASCADE, with whatever refers to a score, e.g. 成绩复核 results): a
    bench database holds bench data only."""
    from django.db import connection

    from kaowu.documents.models import TicketBatch

    for batch in TicketBatch.objects.filter(sitting_id=sitting_id):
        if batch.file:
            batch.file.delete(save=False)
    TicketBatch.objects.filter(sitting_id=sitting_id).delete()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE exams_seatassignment")
        cursor.execute("DELETE FROM exams_arrangementrun WHERE sitting_id = %s", [sitting_id])
        cursor.execute("TRUNCATE records_examscore, records_passedcourse CASCADE")
        cursor.execute("DELETE FROM audit_auditevent WHERE action = 'records.scores_imported'")
        cursor.execute("DELETE FROM records_scoreimport WHERE sitting_id = %s", [sitting_id])


def _wipe() -> None:
    """Remove earlier bench data (everything generated hangs on bench rows)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM catalog_examsitting WHERE code = %s", [SITTING_CODE])
        row = cursor.fetchone()
        if row:
            sitting_id = row[0]
            outputs_clear(sitting_id=sitting_id)
            cursor.execute("DELETE FROM registration_registeredcourse WHERE registration_id IN "
                           "(SELECT id FROM registration_registration WHERE sitting_id = %s)", [sitting_id])
            cursor.execute("DELETE FROM registration_registration WHERE sitting_id = %s", [sitting_id])
        cursor.execute("DELETE FROM payments_orderitem WHERE order_id IN "
                       "(SELECT id FROM payments_order WHERE number LIKE 'BENCH%%')")
        cursor.execute("DELETE FROM payments_order WHERE number LIKE 'BENCH%%'")
        cursor.execute("DELETE FROM candidates_examnumber WHERE candidate_id IN (SELECT c.id FROM "
                       "candidates_candidate c JOIN accounts_user u ON u.id = c.user_id WHERE u.username LIKE 'bench%%')")
        cursor.execute("DELETE FROM candidates_candidate WHERE user_id IN "
                       "(SELECT id FROM accounts_user WHERE username LIKE 'bench%%')")
        cursor.execute("DELETE FROM accounts_user WHERE username LIKE 'bench%%'")
        cursor.execute("DELETE FROM exams_examroom WHERE site_id IN (SELECT s.id FROM exams_examsite s "
                       "JOIN organization_office o ON o.id = s.exam_area_id WHERE o.code LIKE 'BA%%')")
        cursor.execute("DELETE FROM exams_examsite WHERE exam_area_id IN "
                       "(SELECT id FROM organization_office WHERE code LIKE 'BA%%')")
        if row:
            cursor.execute("DELETE FROM catalog_sittingexamarea WHERE sitting_id = %s", [row[0]])
            cursor.execute("DELETE FROM catalog_sittingcourse WHERE sitting_id = %s", [row[0]])
            cursor.execute("DELETE FROM catalog_sittingsession WHERE sitting_id = %s", [row[0]])
            cursor.execute("DELETE FROM catalog_examsitting WHERE id = %s", [row[0]])


def rooms_ensure(*, area_ids: list[int], registrations: int) -> int:
    """Sites and rooms of the bench exam areas (created when missing). The busiest session of an area
    needs registrations / areas / 2 seats (half the registrations take each session), plus a partly
    filled last room per course. Returns the number of rooms."""
    from kaowu.exams.models import ExamRoom, ExamSite
    from kaowu.organization.models import Office

    existing = ExamRoom.objects.filter(site__exam_area_id__in=area_ids).count()
    if existing:
        return existing
    per_session = -(-registrations // len(area_ids)) // 2
    rooms_needed = int((per_session / SEATS_PER_ROOM + COURSES_PER_SESSION) * ROOM_SLACK) + 1
    rooms_per_site = -(-rooms_needed // SITES_PER_AREA)
    sites = ExamSite.objects.bulk_create([
        ExamSite(exam_area=office, code=f"{n + 1:02d}", name=f"{office.name}第{n + 1}考点", address="压测路")
        for office in Office.objects.filter(pk__in=area_ids).order_by("code") for n in range(SITES_PER_AREA)])
    ExamRoom.objects.bulk_create([ExamRoom(site=site, number=f"{r + 1:03d}", capacity=SEATS_PER_ROOM)
                                  for site in sites for r in range(rooms_per_site)], batch_size=5000)
    return len(sites) * rooms_per_site


def _generate(*, courses: int, areas: int) -> BenchWorld:
    from django.db import connection, transaction
    from django.utils import timezone

    from kaowu.accounts.models import User
    from kaowu.candidates.models import Candidate, ExamNumber
    from kaowu.catalog.models import (
        Course,
        ExamSitting,
        Major,
        SittingCourse,
        SittingExamArea,
        SittingSession,
    )
    from kaowu.core.fields import rows_rewrite
    from kaowu.exams.models import ExamRoom
    from kaowu.organization.models import Office, Region
    from kaowu.organization.services import regions_import
    from kaowu.payments.models import Order, OrderItem
    from kaowu.registration.models import RegisteredCourse, Registration

    if not Region.objects.filter(code__startswith="62", level=Region.Level.CITY).exists():
        regions_import(province_prefixes=["62"])
    cities = list(Region.objects.filter(code__startswith="62", level=Region.Level.CITY).order_by("code"))
    district = Region.objects.filter(code__startswith="62", level=Region.Level.DISTRICT).order_by("code").first()
    registrations = courses // COURSES_PER_REGISTRATION
    courses = registrations * COURSES_PER_REGISTRATION
    now = timezone.now()

    with transaction.atomic():
        area_offices = []
        for n in range(areas):
            office, _ = Office.objects.get_or_create(
                code=f"BA{n:02d}", defaults={"name": f"压测考区{n:02d}", "kind": Office.Kind.EXAM_AREA,
                                             "region": cities[n % len(cities)], "address": "压测", "phone": "0"})
            area_offices.append(office)
        university, _ = Office.objects.get_or_create(
            code="BU00", defaults={"name": "压测主考学校", "kind": Office.Kind.UNIVERSITY, "region": cities[0],
                                   "address": "压测", "phone": "0"})
        major, _ = Major.objects.get_or_create(code="B990001", defaults={"name": "压测专业", "level": "bachelor",
                                                                         "university": university})
        sitting = ExamSitting.objects.create(code=SITTING_CODE, name="2099年4月", is_current=False,
                                             is_published=False)
        SittingExamArea.objects.bulk_create([SittingExamArea(sitting=sitting, exam_area=o) for o in area_offices])
        session_rows = []
        for s in range(SESSIONS):
            half = "am" if s % 2 == 0 else "pm"
            session_rows.append(SittingSession.objects.create(
                sitting=sitting, date=datetime.date(2099, 4, 10) + datetime.timedelta(days=s // 2), half_day=half,
                start_time=datetime.time(9) if half == "am" else datetime.time(14, 30),
                end_time=datetime.time(11, 30) if half == "am" else datetime.time(17)))
        offered, course_ids = [], []
        for s, session in enumerate(session_rows):
            for k in range(COURSES_PER_SESSION):
                course, _ = Course.objects.get_or_create(code=f"8{s:02d}{k:02d}",
                                                         defaults={"name": f"压测课程{s}-{k}", "credits": 4})
                offered.append(SittingCourse.objects.create(sitting=sitting, session=session, course=course,
                                                            fee="30.00").pk)
                course_ids.append(course.pk)

        rooms_ensure(area_ids=[o.pk for o in area_offices], registrations=registrations)

        areas_sql = _array(o.pk for o in area_offices)
        stamp = f"'{now.isoformat()}'::timestamptz"
        # 准考证号: 12 digits, a permutation of i (7919 is prime to the count unless it divides it).
        multiplier = 7919 if registrations % 7919 else 7927
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            user_base = _insert_series(cursor, User, registrations, {
                "password": "'!'", "is_superuser": "false", "username": "'bench' || i", "kind": "'candidate'",
                "exam_type": "'self_study'", "real_name": "'考生' || i", "id_number": "'B' || lpad(i::text, 17, '0')",
                "must_change_password": "false", "security_stamp": "md5(i::text)", "is_active": "true",
                "is_staff": "false", "date_joined": stamp})
            # ID numbers are encrypted at rest: encrypt the generated ones and fill their lookup digests.
            rows_rewrite(connection, User, User._meta.get_field("id_number"), mode="encrypt",
                         after_pk=user_base - 1, batch_size=5000)
            candidate_base = _insert_series(cursor, Candidate, registrations, {
                "user": f"{user_base} + i", "district": str(district.pk), "created_at": stamp})
            number_base = _insert_series(cursor, ExamNumber, registrations, {
                "number": f"'6201' || lpad((((i::bigint * {multiplier}) % {registrations}))::text, 8, '0')",
                "candidate": f"{candidate_base} + i", "exam_area": f"({areas_sql})[(i / {SESSIONS}) % {areas} + 1]",
                "major_name": "'压测专业'", "status": "'active'", "issued_at": stamp})
            registration_base = _insert_series(cursor, Registration, registrations, {
                "exam_number": f"{number_base} + i", "sitting": str(sitting.pk),
                "exam_area": f"({areas_sql})[(i / {SESSIONS}) % {areas} + 1]", "major": str(major.pk), "status": "'succeeded'",
                "guide_agreed_at": stamp, "submission_count": "1", "submitted_at": stamp, "updated_at": stamp})
            order_base = _insert_series(cursor, Order, registrations, {
                "number": "'BENCH' || lpad(i::text, 12, '0')", "user": f"{user_base} + i",
                "purpose": "'course_registration'", "reference": f"'R' || ({registration_base} + i)",
                "title": "'报考费'", "amount": f"{30 * COURSES_PER_REGISTRATION}", "status": "'paid'",
                "expires_at": stamp, "paid_at": stamp, "provider": "'wechat'",
                "provider_trade_no": "'BT' || i", "created_at": stamp, "updated_at": stamp})
            # Row i is course j = i % 4 of registration r = i / 4, in session (r % 8 + 2 j) % 8 and course
            # (r / (8 * areas) + j) % 6 of that session; registration r is in exam area (r / 8) % areas.
            r, j = f"(i / {COURSES_PER_REGISTRATION})", f"(i % {COURSES_PER_REGISTRATION})"
            slot = (f"(({r} % {SESSIONS} + 2 * {j}) % {SESSIONS}) * {COURSES_PER_SESSION}"
                    f" + ({r} / {SESSIONS * areas} + {j}) % {COURSES_PER_SESSION} + 1")
            item_base = _insert_series(cursor, OrderItem, courses, {
                "order": f"{order_base} + i / {COURSES_PER_REGISTRATION}", "description": "'报考费'",
                "amount": "30", "quantity": "1", "reference": "''"})
            _insert_series(cursor, RegisteredCourse, courses, {
                "registration": f"{registration_base} + i / {COURSES_PER_REGISTRATION}",
                "sitting_course": f"({_array(offered)})[{slot}]",
                "course": f"({_array(course_ids)})[{slot}]",
                "fee": "30", "cross_major": "false", "status": "'paid'",
                "order": f"{order_base} + i / {COURSES_PER_REGISTRATION}", "order_item": f"{item_base} + i",
                "added_at": stamp, "updated_at": stamp})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return BenchWorld(sitting.pk, [o.pk for o in area_offices], registrations, courses,
                      ExamRoom.objects.filter(site__exam_area__in=area_offices).count())


def courses_change(*, world: BenchWorld, fraction: float = 0.01) -> tuple[int, int]:
    """Late changes: refund `fraction`/2 of the paid courses and add as many new paid courses (a
    course in a session of the other parity, so still one course per session). Returns (refunded, added)."""
    from django.db import connection, transaction

    from kaowu.payments.models import OrderItem
    from kaowu.registration.models import RegisteredCourse

    half = int(world.registered_courses * fraction / 2)
    step = max(1, world.registered_courses // max(half, 1))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registration_registeredcourse SET status = 'refunded' WHERE status = 'paid' AND id %% %s = 0 "
            "AND registration_id IN (SELECT id FROM registration_registration WHERE sitting_id = %s)",
            [step, world.sitting_id])
        refunded = cursor.rowcount
        cursor.execute("SELECT MIN(id), COUNT(*) FROM registration_registration WHERE sitting_id = %s",
                       [world.sitting_id])
        first, count = cursor.fetchone()
        cursor.execute("SELECT sc.id, sc.course_id, ss.id FROM catalog_sittingcourse sc JOIN catalog_sittingsession "
                       "ss ON ss.id = sc.session_id WHERE sc.sitting_id = %s ORDER BY ss.date, ss.half_day, sc.id",
                       [world.sitting_id])
        offered = cursor.fetchall()
        reg_step = max(1, count // max(half, 1))
        # Registration with offset i has sessions of parity (i % 8) % 2; the new course is in session
        # (i % 8 + 1) % 8 — in a session that registration does not have yet — course 5 of it.
        slot = f"(((i * {reg_step}) % {SESSIONS} + 1) % {SESSIONS}) * {COURSES_PER_SESSION} + 5 + 1"
        item_base = _insert_series(cursor, OrderItem, half, {
            "order": f"(SELECT order_id FROM registration_registeredcourse WHERE registration_id = {first} + i * {reg_step} LIMIT 1)",
            "description": "'补报课程'", "amount": "30", "quantity": "1", "reference": "''"})
        _insert_series(cursor, RegisteredCourse, half, {
            "registration": f"{first} + i * {reg_step}",
            "sitting_course": f"({_array(o[0] for o in offered)})[{slot}]",
            "course": f"({_array(o[1] for o in offered)})[{slot}]",
            "fee": "30", "cross_major": "false", "status": "'paid'",
            "order": f"(SELECT order_id FROM payments_orderitem WHERE id = {item_base} + i)",
            "order_item": f"{item_base} + i", "added_at": "now()", "updated_at": "now()"})
    return refunded, half


def courses_reset(*, sitting_id: int) -> None:
    """Undo `courses_change`: remove the added courses, make the refunded ones paid again."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM exams_seatassignment WHERE registered_course_id IN (SELECT id FROM "
                       "registration_registeredcourse WHERE order_item_id IN (SELECT id FROM payments_orderitem "
                       "WHERE description = '补报课程'))")
        cursor.execute("DELETE FROM registration_registeredcourse WHERE order_item_id IN "
                       "(SELECT id FROM payments_orderitem WHERE description = '补报课程')")
        cursor.execute("DELETE FROM payments_orderitem WHERE description = '补报课程'")
        cursor.execute("UPDATE registration_registeredcourse SET status = 'paid' WHERE status = 'refunded' AND "
                       "registration_id IN (SELECT id FROM registration_registration WHERE sitting_id = %s)",
                       [sitting_id])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help=f"default {DEFAULT_URL} (--smoke: {SMOKE_URL})")
    parser.add_argument("--courses", type=int, default=None,
                        help=f"paid course registrations (default 1e6; --smoke: {SMOKE_COURSES:,})")
    parser.add_argument("--areas", type=int, default=None, help=f"exam areas (default 10; --smoke: {SMOKE_AREAS})")
    parser.add_argument("--regenerate", action="store_true", help="generate even when data of that size exists")
    parser.add_argument("--smoke", action="store_true", help="the small world the benches' --smoke runs use")
    args = parser.parse_args()
    database_prepare(args.database_url or (SMOKE_URL if args.smoke else DEFAULT_URL))
    django_setup()
    world = world_ensure(courses=args.courses or (SMOKE_COURSES if args.smoke else 1_000_000),
                         areas=args.areas or (SMOKE_AREAS if args.smoke else 10), regenerate=args.regenerate)
    print(f"{world.registered_courses} course registrations, {world.registrations} registrations, "
          f"{len(world.area_ids)} exam areas, {world.rooms} rooms; generated in {world.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
