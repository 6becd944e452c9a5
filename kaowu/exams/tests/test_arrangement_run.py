"""考场编排 as a job: first run, re-runs, late changes, published seats, overflow, progress and statuses."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.exams.arrangement import Arrangement
from kaowu.exams.models import ArrangementRun, ExamRoom, SeatAssignment
from kaowu.exams.services import (
    ArrangementError,
    arrangement_mark_notified,
    arrangement_run_execute,
    arrangement_run_request,
    exam_room_save,
)
from kaowu.registration.models import RegisteredCourse
from kaowu.testing.factories import StaffMemberFactory

Status = ArrangementRun.Status


@pytest.fixture
def arrange(exam_world, area_staff, django_capture_on_commit_callbacks):
    def run(*, area=None, staff=None, rearrange=False) -> ArrangementRun:
        with django_capture_on_commit_callbacks(execute=True):
            created = arrangement_run_request(sitting=exam_world.sitting, exam_area=area or exam_world.lanzhou,
                                              staff=staff or area_staff, rearrange=rearrange)
        created.refresh_from_db()
        return created
    return run


def seating(world) -> dict:
    """准考证号 + course code -> (room number, seat)."""
    return {(a.registered_course.registration.exam_number.number, a.registered_course.course.code):
            (a.room.number, a.seat)
            for a in SeatAssignment.objects.filter(sitting=world.sitting)
            .select_related("room", "registered_course__course", "registered_course__registration__exam_number")}


def rows(world) -> set:
    return set(SeatAssignment.objects.filter(sitting=world.sitting)
               .values_list("pk", "room_id", "seat", "session_id", "assigned_at"))


def assert_seats_sound(world):
    """What the database also guarantees: one candidate per seat, no seat outside its room."""
    doubled = (SeatAssignment.objects.values("session", "room", "seat").annotate(n=Count("pk")).filter(n__gt=1))
    assert not doubled.exists()
    assignments = list(SeatAssignment.objects.select_related("room"))
    assert assignments, "no seat was assigned: nothing to check"
    for assignment in assignments:
        assert 1 <= assignment.seat <= assignment.room.capacity
    per_room = list(SeatAssignment.objects.values("session", "room", "room__capacity").annotate(n=Count("pk")))
    assert per_room and all(entry["n"] <= entry["room__capacity"] for entry in per_room)


def test_first_run_seats_every_paid_course_by_course_in_exam_number_order(exam_world, arrange):
    exam_world.room("001", 2)
    exam_world.room("002", 2)
    exam_world.room("003", 2)
    for number in ["620100000003", "620100000001", "620100000002"]:
        exam_world.register(number, "00041", "00043")
    exam_world.register("620100000009", "00015")
    exam_world.register("620100000010", "00041", status=RegisteredCourse.Status.UNPAID)

    run = arrange()

    assert run.status == Status.DONE and run.started_at and run.finished_at
    assert (run.candidates, run.assigned, run.kept, run.released, run.unseated) == (7, 7, 0, 0, 0)
    assert run.total == run.done == 7 and run.percent == 100
    assert seating(exam_world) == {
        ("620100000009", "00015"): ("001", 1),                    # 00015 comes first, in its own room
        ("620100000001", "00041"): ("002", 1), ("620100000002", "00041"): ("002", 2),
        ("620100000003", "00041"): ("003", 1),
        ("620100000001", "00043"): ("001", 1), ("620100000002", "00043"): ("001", 2),
        ("620100000003", "00043"): ("002", 1),
    }
    summary = {(entry["session"], entry["course"]): (entry["seated"], entry["unseated"]) for entry in run.summary}
    assert summary == {(exam_world.morning.pk, "00015"): (1, 0), (exam_world.morning.pk, "00041"): (3, 0),
                       (exam_world.afternoon.pk, "00043"): (3, 0)}
    assert AuditEvent.objects.filter(action="exams.arrangement_requested", target_id=str(run.pk)).exists()
    assert_seats_sound(exam_world)


def test_running_again_with_nothing_changed_changes_nothing(exam_world, arrange):
    exam_world.room("001", 3)
    exam_world.room("002", 3)
    for i in range(5):
        exam_world.register(f"6201000000{i:02d}", "00041", "00043")
    arrange()
    before = rows(exam_world)

    again = arrange()

    assert rows(exam_world) == before
    assert (again.assigned, again.released, again.kept, again.total) == (0, 0, 10, 0)
    assert again.status == Status.DONE and again.percent == 100


def test_a_late_registration_gets_a_free_seat_and_nobody_moves(exam_world, arrange):
    exam_world.room("001", 3)
    exam_world.room("002", 3)
    exam_world.room("003", 3)
    for number in ["620100000002", "620100000004"]:
        exam_world.register(number, "00041")
    exam_world.register("620100000005", "00015")
    arrange()
    before = seating(exam_world)

    exam_world.register("620100000001", "00041")   # a smaller 准考证号, registered late
    run = arrange()

    after = seating(exam_world)
    assert {key: after[key] for key in before} == before
    assert after[("620100000001", "00041")] == ("002", 3)  # the free seat in 00041's room
    assert (run.assigned, run.kept, run.released) == (1, 3, 0)


def test_a_refunded_course_releases_its_seat_even_a_published_one(exam_world, arrange):
    exam_world.room("001", 5)
    first, = exam_world.register("620100000001", "00041")
    second, = exam_world.register("620100000002", "00041")
    refunding, = exam_world.register("620100000003", "00041")
    arrange()
    arrangement_mark_notified(assignment_ids=[second.seat.pk])

    RegisteredCourse.objects.filter(pk__in=[first.pk, second.pk]).update(status=RegisteredCourse.Status.REFUNDED)
    RegisteredCourse.objects.filter(pk=refunding.pk).update(status=RegisteredCourse.Status.REFUNDING)
    run = arrange()

    assert seating(exam_world) == {("620100000003", "00041"): ("001", 3)}   # 退款中 keeps its seat
    assert (run.released, run.kept, run.assigned) == (2, 1, 0)


def test_a_published_seat_never_moves_when_the_others_are_rearranged(exam_world, arrange):
    exam_world.room("001", 2)
    exam_world.room("002", 2)
    for number in ["620100000003", "620100000004", "620100000005"]:
        exam_world.register(number, "00041")
    arrange()
    published = SeatAssignment.objects.get(registered_course__registration__exam_number__number="620100000005")
    assert (published.room.number, published.seat) == ("002", 1)
    arrangement_mark_notified(assignment_ids=[published.pk])
    published.refresh_from_db()
    for number in ["620100000001", "620100000002", "620100000006"]:
        exam_world.register(number, "00041")

    run = arrange(rearrange=True)

    after = seating(exam_world)
    assert after[("620100000005", "00041")] == ("002", 1)      # untouched
    assert SeatAssignment.objects.get(pk=published.pk).notified_at == published.notified_at
    # The published seat's room takes its course first, then the empty room; two do not fit any more.
    assert {number: place for (number, _), place in after.items()} == {
        "620100000005": ("002", 1), "620100000001": ("002", 2), "620100000002": ("001", 1),
        "620100000003": ("001", 2)}
    assert (run.unseated, run.kept, run.assigned, run.released) == (2, 1, 3, 2)
    assert_seats_sound(exam_world)


def test_rearranging_keeps_rows_of_candidates_who_land_on_the_same_seat(exam_world, arrange):
    exam_world.room("001", 4)
    for number in ["620100000001", "620100000003"]:
        exam_world.register(number, "00041")
    arrange()
    first = SeatAssignment.objects.get(registered_course__registration__exam_number__number="620100000001")
    exam_world.register("620100000002", "00041")

    run = arrange(rearrange=True)

    assert SeatAssignment.objects.filter(pk=first.pk).exists()          # same seat: the row stays
    assert seating(exam_world) == {("620100000001", "00041"): ("001", 1), ("620100000002", "00041"): ("001", 2),
                                   ("620100000003", "00041"): ("001", 3)}
    assert (run.kept, run.assigned, run.released) == (1, 2, 1)


def test_seats_in_a_room_taken_out_of_use_move_unless_published(exam_world, arrange, area_staff):
    old = exam_world.room("001", 2)
    exam_world.room("002", 2)
    exam_world.room("003", 2)
    first, second = exam_world.register("620100000001", "00041"), exam_world.register("620100000002", "00041")
    arrange()
    arrangement_mark_notified(assignment_ids=[first[0].seat.pk])

    with pytest.raises(ArrangementError, match="不能停用"):
        old.is_active = False
        exam_room_save(room=old, staff=area_staff)
    SeatAssignment.objects.filter(pk=first[0].seat.pk).update(notified_at=None)
    old.refresh_from_db()
    old.is_active = False
    exam_room_save(room=old, staff=area_staff)
    run = arrange()

    assert seating(exam_world) == {("620100000001", "00041"): ("002", 1), ("620100000002", "00041"): ("002", 2)}
    assert (run.released, run.assigned) == (2, 2)
    del second


def test_not_enough_seats_is_reported_not_an_error(exam_world, arrange):
    exam_world.room("001", 2)
    for i in range(3):
        exam_world.register(f"62010000000{i}", "00041", "00043")
    exam_world.register("620100000009", "00015")

    run = arrange()

    assert run.status == Status.DONE
    assert run.unseated == 3
    summary = {(entry["session"], entry["course"]): (entry["seated"], entry["unseated"]) for entry in run.summary}
    assert summary[(exam_world.morning.pk, "00015")] == (1, 0)
    assert summary[(exam_world.morning.pk, "00041")] == (1, 2)
    assert summary[(exam_world.afternoon.pk, "00043")] == (2, 1)
    assert_seats_sound(exam_world)


def test_each_exam_area_uses_its_own_rooms(exam_world, arrange, province_staff):
    from kaowu.exams.models import ExamSite

    exam_world.room("001", 5)
    tianshui_site = ExamSite.objects.create(exam_area=exam_world.tianshui, code="01", name="天水一中", address="天水")
    exam_world.room("001", 5, site=tianshui_site)
    exam_world.register("620100000001", "00041")
    exam_world.register("620500000001", "00041", area=exam_world.tianshui)

    arrange(staff=province_staff)
    arrange(area=exam_world.tianshui, staff=province_staff)

    placed = dict(SeatAssignment.objects.values_list("registered_course__registration__exam_area__code",
                                                     "room__site__exam_area__code"))
    assert placed == {"EA6201": "EA6201", "EA6205": "EA6205"}


def test_the_database_refuses_a_seat_twice_or_outside_the_rules(exam_world, arrange):
    room = exam_world.room("001", 2)
    first, = exam_world.register("620100000001", "00041")
    second, = exam_world.register("620100000002", "00041")
    arrange()
    common = dict(sitting=exam_world.sitting, session=exam_world.morning, room=room, assigned_at=timezone.now())

    SeatAssignment.objects.filter(registered_course=second).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatAssignment.objects.create(registered_course=second, seat=first.seat.seat, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatAssignment.objects.create(registered_course=second, seat=0, **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExamRoom.objects.create(site=exam_world.site, number="009", capacity=201)


def test_a_rule_that_breaks_the_seat_rules_fails_the_run(exam_world, area_staff, settings,
                                                         django_capture_on_commit_callbacks):
    exam_world.room("001", 2)
    exam_world.register("620100000001", "00041")
    exam_world.register("620100000002", "00041")
    settings.KAOWU_ARRANGEMENT_RULE = "kaowu.exams.tests.test_arrangement_run.careless_rule"

    with django_capture_on_commit_callbacks(execute=True):
        run = arrangement_run_request(sitting=exam_world.sitting, exam_area=exam_world.lanzhou, staff=area_staff)
    run.refresh_from_db()

    assert run.status == Status.FAILED and "seat twice" in run.error
    assert not SeatAssignment.objects.exists()


def careless_rule(candidates_by_session, rooms, kept):
    room_id = rooms[0][0]
    return Arrangement(assignments=[(rc, session, room_id, 1) for session, rows in candidates_by_session.items()
                                    for rc, _, _ in rows])


def test_the_job_moves_queued_to_running_to_done_and_a_duplicate_job_does_nothing(exam_world, area_staff):
    exam_world.room("001", 2)
    exam_world.register("620100000001", "00041")
    run = arrangement_run_request(sitting=exam_world.sitting, exam_area=exam_world.lanzhou, staff=area_staff)
    assert run.status == Status.QUEUED  # no commit yet in the test: the job has not run

    with pytest.raises(ArrangementError, match="正在进行中"):
        arrangement_run_request(sitting=exam_world.sitting, exam_area=exam_world.lanzhou, staff=area_staff)

    finished = arrangement_run_execute(run_id=run.pk)
    assert finished.status == Status.DONE and finished.done == finished.total == 1
    assert arrangement_run_execute(run_id=run.pk).status == Status.DONE
    assert SeatAssignment.objects.count() == 1


def test_a_lost_job_does_not_block_the_area_for_ever(exam_world, area_staff):
    exam_world.room("001", 2)
    lost = ArrangementRun.objects.create(sitting=exam_world.sitting, exam_area=exam_world.lanzhou,
                                         status=Status.RUNNING,
                                         started_at=timezone.now() - datetime.timedelta(hours=2))

    run = arrangement_run_request(sitting=exam_world.sitting, exam_area=exam_world.lanzhou, staff=area_staff)

    lost.refresh_from_db()
    assert lost.status == Status.FAILED and lost.error
    assert run.status == Status.QUEUED


def test_only_the_area_office_and_the_province_may_arrange(exam_world, province_staff):
    exam_world.room("001", 2)
    other_area = StaffMemberFactory(office=exam_world.tianshui)
    district = StaffMemberFactory()

    for staff in (other_area, district):
        with pytest.raises(ArrangementError):
            arrangement_run_request(sitting=exam_world.sitting, exam_area=exam_world.lanzhou, staff=staff)
    assert arrangement_run_request(sitting=exam_world.sitting, exam_area=exam_world.lanzhou,
                                   staff=province_staff).status == Status.QUEUED


def test_an_area_without_rooms_cannot_be_arranged(exam_world, area_staff):
    with pytest.raises(ArrangementError, match="考场"):
        arrangement_run_request(sitting=exam_world.sitting, exam_area=exam_world.lanzhou, staff=area_staff)


def test_marking_seats_published_keeps_the_first_date_and_a_room_cannot_shrink_below_them(exam_world, arrange,
                                                                                         area_staff):
    room = exam_world.room("001", 3)
    for number in ["620100000001", "620100000002"]:
        exam_world.register(number, "00041")
    arrange()
    ids = list(SeatAssignment.objects.values_list("pk", flat=True))
    first = timezone.now() - datetime.timedelta(days=1)

    assert arrangement_mark_notified(assignment_ids=ids[:1], at=first) == 1
    assert arrangement_mark_notified(assignment_ids=ids) == 1
    assert SeatAssignment.objects.get(pk=ids[0]).notified_at == first

    room.capacity = 1
    with pytest.raises(ArrangementError, match="座位数不能少于"):
        exam_room_save(room=room, staff=area_staff)


def test_a_registration_moved_to_another_exam_area_keeps_only_a_published_seat(exam_world, arrange, province_staff):
    from kaowu.exams.models import ExamSite
    from kaowu.registration.models import Registration

    exam_world.room("001", 3)
    tianshui_site = ExamSite.objects.create(exam_area=exam_world.tianshui, code="01", name="天水一中", address="天水")
    exam_world.room("001", 3, site=tianshui_site)
    published, = exam_world.register("620100000001", "00041")
    moved, = exam_world.register("620100000002", "00041")
    arrange(staff=province_staff)
    arrangement_mark_notified(assignment_ids=[published.seat.pk])
    Registration.objects.filter(pk__in=[published.registration_id, moved.registration_id]) \
        .update(exam_area=exam_world.tianshui)

    to_tianshui = arrange(area=exam_world.tianshui, staff=province_staff)
    from_lanzhou = arrange(staff=province_staff)

    placed = dict(SeatAssignment.objects.values_list("pk", "room__site__exam_area__code"))
    assert placed == {published.pk: "EA6201", moved.pk: "EA6205"}       # the published seat stays put
    assert (to_tianshui.kept, to_tianshui.assigned, to_tianshui.released) == (1, 1, 1)
    assert (from_lanzhou.kept, from_lanzhou.assigned, from_lanzhou.released) == (0, 0, 0)
    assert_seats_sound(exam_world)
