"""Reading sites, rooms, arrangement runs and seats.

Jurisdiction: an exam area's office (考区) manages its own exam area; the province authority
manages every exam area; no other office manages any (their staff get 404)."""

from django.db.models import Count, Q, QuerySet, Sum

from kaowu.catalog.models import SittingSession
from kaowu.organization.models import Office, StaffMember

from .models import ArrangementRun, ExamRoom, ExamSite, SeatAssignment


def exam_areas_managed_by(*, staff: StaffMember) -> QuerySet[Office]:
    areas = Office.objects.filter(kind=Office.Kind.EXAM_AREA).order_by("code")
    if staff.office.kind == Office.Kind.PROVINCE_AUTHORITY:
        return areas.filter(is_active=True)
    if staff.office.kind == Office.Kind.EXAM_AREA:
        return areas.filter(pk=staff.office_id)
    return areas.none()


def exam_area_manageable_by(*, staff: StaffMember, exam_area: Office) -> bool:
    if exam_area.kind != Office.Kind.EXAM_AREA:
        return False
    if staff.office.kind == Office.Kind.PROVINCE_AUTHORITY:
        return True
    return staff.office.kind == Office.Kind.EXAM_AREA and staff.office_id == exam_area.pk


def sites_of_area(*, exam_area: Office) -> QuerySet[ExamSite]:
    return (ExamSite.objects.filter(exam_area=exam_area)
            .annotate(room_count=Count("rooms", filter=Q(rooms__is_active=True)),
                      seat_count=Sum("rooms__capacity", filter=Q(rooms__is_active=True)))
            .order_by("code"))


def rooms_of_site(*, site: ExamSite) -> QuerySet[ExamRoom]:
    return site.rooms.order_by("number")


def area_capacity(*, exam_area: Office) -> int:
    """Seats per session in the exam area's rooms in use."""
    return ExamRoom.objects.filter(site__exam_area=exam_area, site__is_active=True, is_active=True) \
        .aggregate(total=Sum("capacity"))["total"] or 0


def arrangement_runs(*, sitting, exam_area: Office) -> QuerySet[ArrangementRun]:
    return ArrangementRun.objects.filter(sitting=sitting, exam_area=exam_area).select_related("requested_by")


def arrangement_latest_run(*, sitting, exam_area: Office) -> ArrangementRun | None:
    return arrangement_runs(sitting=sitting, exam_area=exam_area).first()


def arrangement_latest_finished_run(*, sitting, exam_area: Office) -> ArrangementRun | None:
    return arrangement_runs(sitting=sitting, exam_area=exam_area).filter(status=ArrangementRun.Status.DONE).first()


def room_usage(*, sitting, exam_area: Office) -> list[dict]:
    """Per session and room: the number of seats taken and the courses seated (for 考场名单 links)."""
    return list(SeatAssignment.objects.filter(session__in=SittingSession.objects.filter(sitting=sitting),
                                              room__in=ExamRoom.objects.filter(site__exam_area=exam_area))
                .values("session_id", "room_id", "room__site__code", "room__site__name", "room__number",
                        "room__capacity")
                .annotate(taken=Count("pk"), courses=Count("registered_course__course", distinct=True))
                .order_by("session_id", "room__site__code", "room__number"))


def room_seats(*, sitting, room: ExamRoom, session_id: int) -> QuerySet[SeatAssignment]:
    """考场名单: the seats of one room in one session with the candidate's number and name."""
    return (SeatAssignment.objects.filter(sitting=sitting, room=room, session_id=session_id)
            .select_related("registered_course__course", "registered_course__registration__exam_number",
                            "registered_course__registration__exam_number__candidate__user")
            .order_by("seat"))


def session_seats(*, sitting, exam_area: Office, session_id: int) -> QuerySet[SeatAssignment]:
    """Every seat of an exam area in one session, room by room (for printing all rooms at once)."""
    return (SeatAssignment.objects.filter(session_id=session_id, sitting=sitting,
                                          room__in=ExamRoom.objects.filter(site__exam_area=exam_area))
            .select_related("room__site", "registered_course__course",
                            "registered_course__registration__exam_number__candidate__user")
            .order_by("room__site__code", "room__number", "seat"))
