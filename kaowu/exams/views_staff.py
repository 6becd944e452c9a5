"""管理端 › 考场编排: sites and rooms of an exam area, the arrangement of the current sitting with its
progress, and the room lists (考场名单).

Jurisdiction: an exam area's office works on its own exam area, the province authority on any
(chosen with ?area=); every other office gets 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.catalog.models import Course, SittingSession
from kaowu.catalog.selectors import current_sitting
from kaowu.organization.models import Office
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import selectors, services
from .forms import ArrangementStartForm, ExamRoomForm, ExamSiteForm
from .models import ArrangementRun, ExamRoom, ExamSite
from .pdf import session_label

SECTION = "exams"


def _area(request, area_id=None) -> Office:
    areas = selectors.exam_areas_managed_by(staff=request.staff)
    wanted = area_id or request.POST.get("area") or request.GET.get("area")
    if wanted:
        try:
            return get_object_or_404(areas, pk=int(wanted))
        except (TypeError, ValueError):
            raise Http404 from None
    area = areas.first()
    if area is None:
        raise Http404
    return area


def _area_url(name: str, area: Office, *args) -> str:
    return f"{reverse(f'backoffice:exams_staff:{name}', args=args)}?area={area.pk}"


def _context(request, area: Office, **extra) -> dict:
    return {"area": area, "areas": selectors.exam_areas_managed_by(staff=request.staff), **extra}


# --- The arrangement ------------------------------------------------------------------------------


@never_cache
@staff_required
def arrangement(request):
    area = _area(request)
    sitting = current_sitting()
    context = _context(request, area, sitting=sitting, form=ArrangementStartForm(),
                       capacity=selectors.area_capacity(exam_area=area))
    if sitting is not None:
        run = selectors.arrangement_latest_run(sitting=sitting, exam_area=area)
        finished = run if run and run.status == ArrangementRun.Status.DONE else \
            selectors.arrangement_latest_finished_run(sitting=sitting, exam_area=area)
        sessions = {s.pk: session_label(s) for s in SittingSession.objects.filter(sitting=sitting)}
        names = dict(Course.objects.filter(code__in=[e["course"] for e in (finished.summary if finished else [])])
                     .values_list("code", "name"))
        summary = [{**entry, "session_label": sessions.get(entry["session"], ""), "course_name": names.get(entry["course"], "")}
                   for entry in (finished.summary if finished else [])]
        usage = selectors.room_usage(sitting=sitting, exam_area=area)
        printable = {}
        for row in usage:
            row["session_label"] = sessions.get(row["session_id"], "")
            printable.setdefault(row["session_id"], row["session_label"])
        context["printable_sessions"] = list(printable.items())
        context.update(run=run, finished=finished, summary=summary, usage=usage,
                       runs=selectors.arrangement_runs(sitting=sitting, exam_area=area)[:10])
    return staff_render(request, "exams/staff/arrangement.html", context, section=SECTION)


@require_POST
@staff_required
def arrangement_start(request):
    area = _area(request)
    sitting = current_sitting()
    form = ArrangementStartForm(request.POST)
    if sitting is None or not form.is_valid():
        messages.error(request, gettext("当前没有可编排的考期。"))
        return redirect(_area_url("arrangement", area))
    try:
        services.arrangement_run_request(sitting=sitting, exam_area=area, staff=request.staff, request=request,
                                         rearrange=form.cleaned_data["rearrange"])
    except services.ArrangementError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已开始编排，完成后本页显示结果。"))
    return redirect(_area_url("arrangement", area))


@never_cache
@staff_required
def run_status(request, pk: int):
    """The progress block, polled by htmx every 2 s while the run is queued or running; when it
    has finished, the page reloads to show the result."""
    areas = selectors.exam_areas_managed_by(staff=request.staff)
    run = get_object_or_404(ArrangementRun.objects.filter(exam_area__in=areas), pk=pk)
    if request.htmx and not run.is_active:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return staff_render(request, "exams/staff/_run_status.html", {"run": run}, section=SECTION)


@never_cache
@staff_required
def room_list(request, pk: int, session_pk: int):
    """考场名单: who sits where in one room in one session."""
    areas = selectors.exam_areas_managed_by(staff=request.staff)
    room = get_object_or_404(ExamRoom.objects.select_related("site__exam_area").filter(site__exam_area__in=areas),
                             pk=pk)
    sitting = current_sitting()
    if sitting is None:
        raise Http404
    session = get_object_or_404(SittingSession, pk=session_pk, sitting=sitting)
    seats = list(selectors.room_seats(sitting=sitting, room=room, session_id=session.pk))
    return staff_render(request, "exams/staff/room_list.html", {
        "room": room, "session": session, "session_label": session_label(session), "sitting": sitting,
        "seats": seats, "area": room.site.exam_area,
        "courses": sorted({f"{s.registered_course.course.code} {s.registered_course.course.name}" for s in seats}),
    }, section=SECTION)


def _pdf_response(kind: str, pages: list, filename: str) -> HttpResponse:
    from . import pdf

    try:
        content = pdf.room_lists_pdf(pages) if kind == "list" else pdf.door_lists_pdf(pages)
    except pdf.PdfError as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _page(sitting, session, room, seats):
    from .pdf import RoomPage

    return RoomPage(sitting_name=sitting.name, session_label=session_label(session),
                    site_label=f"{room.site.code} {room.site.name}", site_address=room.site.address,
                    room_number=room.number, capacity=room.capacity, seats=seats)


@never_cache
@staff_required
def room_pdf(request, pk, session_pk, kind: str):
    """考场名单 (kind "list") or 门贴 (kind "door") of one room in one session, as PDF."""
    areas = selectors.exam_areas_managed_by(staff=request.staff)
    room = get_object_or_404(ExamRoom.objects.select_related("site__exam_area__region")
                             .filter(site__exam_area__in=areas), pk=pk)
    sitting = current_sitting()
    if sitting is None:
        raise Http404
    session = get_object_or_404(SittingSession, pk=session_pk, sitting=sitting)
    seats = list(selectors.room_seats(sitting=sitting, room=room, session_id=session.pk))
    audit_record(actor=request.user, action=AuditAction.EXAMS_ROOM_LIST_PRINTED, target=room, request=request,
                 jurisdiction_code=room.site.exam_area.region.code,
                 detail={"kind": kind, "session": session.pk, "seats": len(seats)})
    return _pdf_response(kind, [_page(sitting, session, room, seats)],
                         f"{kind}-{room.site.code}-{room.number}-{session.date:%Y%m%d}{session.half_day}.pdf")


@never_cache
@staff_required
def session_pdf(request, session_pk, kind: str):
    """考场名单 or 门贴 of every room of the exam area with candidates in one session, as one PDF."""
    area = _area(request)
    sitting = current_sitting()
    if sitting is None:
        raise Http404
    session = get_object_or_404(SittingSession, pk=session_pk, sitting=sitting)
    by_room: dict = {}
    for seat in selectors.session_seats(sitting=sitting, exam_area=area, session_id=session.pk):
        by_room.setdefault(seat.room_id, (seat.room, []))[1].append(seat)
    pages = [_page(sitting, session, room, seats) for room, seats in by_room.values()]
    audit_record(actor=request.user, action=AuditAction.EXAMS_ROOM_LIST_PRINTED, target=area, request=request,
                 jurisdiction_code=area.region.code,
                 detail={"kind": kind, "session": session.pk, "rooms": len(pages)})
    return _pdf_response(kind, pages, f"{kind}-{area.code}-{session.date:%Y%m%d}{session.half_day}.pdf")


# --- Sites and rooms ------------------------------------------------------------------------------


@never_cache
@staff_required
def site_list(request):
    area = _area(request)
    return staff_render(request, "exams/staff/site_list.html", _context(
        request, area, sites=selectors.sites_of_area(exam_area=area), capacity=selectors.area_capacity(exam_area=area),
    ), section=SECTION)


def _site(request, pk: int) -> ExamSite:
    areas = selectors.exam_areas_managed_by(staff=request.staff)
    return get_object_or_404(ExamSite.objects.select_related("exam_area__region").filter(exam_area__in=areas), pk=pk)


@never_cache
@staff_required
def site_detail(request, pk: int):
    site = _site(request, pk)
    return staff_render(request, "exams/staff/site_detail.html", {
        "site": site, "area": site.exam_area, "rooms": selectors.rooms_of_site(site=site),
    }, section=SECTION)


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def site_edit(request, pk: int | None = None):
    if pk is None:
        area = _area(request)
        site = ExamSite(exam_area=area)
        title = gettext("新增考点")
    else:
        site = _site(request, pk)
        area = site.exam_area
        title = gettext("修改考点")
    form = ExamSiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.exam_site_save(site=form.save(commit=False), staff=request.staff, request=request)
        except services.ArrangementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("考点已保存。"))
            return redirect("backoffice:exams_staff:site_detail", site.pk)
    back = reverse("backoffice:exams_staff:site_detail", args=[site.pk]) if site.pk else \
        _area_url("site_list", area)
    return staff_render(request, "exams/staff/form.html", {"form": form, "title": title, "area": area,
                                                            "back": back}, section=SECTION)


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def room_edit(request, site_pk: int | None = None, pk: int | None = None):
    if pk is None:
        site = _site(request, site_pk)
        room = ExamRoom(site=site, capacity=30)
        title = gettext("新增考场")
    else:
        areas = selectors.exam_areas_managed_by(staff=request.staff)
        room = get_object_or_404(ExamRoom.objects.select_related("site__exam_area__region")
                                 .filter(site__exam_area__in=areas), pk=pk)
        site = room.site
        title = gettext("修改考场")
    form = ExamRoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            services.exam_room_save(room=form.save(commit=False), staff=request.staff, request=request)
        except services.ArrangementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext("考场已保存。"))
            return redirect("backoffice:exams_staff:site_detail", site.pk)
    return staff_render(request, "exams/staff/form.html", {
        "form": form, "title": f"{title} · {site.name}", "area": site.exam_area,
        "back": reverse("backoffice:exams_staff:site_detail", args=[site.pk])}, section=SECTION)
