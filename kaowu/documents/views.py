"""准考证打印 for candidates; the QR code's landing for staff (扫码核验)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from kaowu.accounts.decorators import candidate_required
from kaowu.accounts.services.login import acting_exam_number, exam_numbers_of
from kaowu.audit.services import personal_data_access_record
from kaowu.catalog.models import BusinessWindow
from kaowu.catalog.selectors import current_sitting
from kaowu.catalog.windows import WindowState, business_window
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import selectors, services


def _exam_number(request):
    numbers = exam_numbers_of(request.user)
    return acting_exam_number(request) or (numbers[0] if len(numbers) == 1 else None), numbers


@never_cache
@candidate_required
def tickets(request):
    """准考证打印 (考场座次通知单): the courses with their seats and the print button in the window."""
    exam_number, numbers = _exam_number(request)
    if exam_number is None and len(numbers) > 1:
        return redirect("accounts:choose_exam_number")
    sitting = current_sitting()
    registration = selectors.ticket_registration(exam_number=exam_number, sitting=sitting) \
        if exam_number and sitting else None
    courses = selectors.ticket_courses(registration=registration) if registration else []
    applicable = business_window(kind=BusinessWindow.Kind.TICKET_PRINT, sitting=sitting,
                                 exam_area=registration.exam_area if registration else None) if sitting else None
    window = applicable.window if applicable else None
    state = applicable.state if applicable else WindowState.NOT_SCHEDULED
    return render(request, "documents/tickets.html", {
        "exam_number": exam_number, "sitting": sitting, "registration": registration, "courses": courses,
        "window": window, "window_state": state, "window_open": state == WindowState.OPEN,
        "all_seated": bool(courses) and all(rc.seat_or_none is not None for rc in courses),
    })


@never_cache
@candidate_required
def ticket_download(request):
    exam_number, _numbers = _exam_number(request)
    sitting = current_sitting()
    if exam_number is None or sitting is None:
        return redirect("documents:tickets")
    try:
        pdf = services.ticket_print(exam_number=exam_number, sitting=sitting,
                                    base_url=f"{request.scheme}://{request.get_host()}")
    except services.TicketError as exc:
        messages.error(request, exc.message)
        return redirect("documents:tickets")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"准考证-{exam_number.number}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


def verify_redirect(request, token: str):
    """What a ticket's QR code opens: the staff verification page (staff log in first)."""
    return redirect("backoffice:documents_staff:verify", token=token.upper())


@never_cache
@staff_required
def verify(request, token: str):
    """扫码核验: the live record of the ticket — who, which courses, which seats, paid or not."""
    try:
        exam_number, sitting, registration, courses = services.ticket_verify_record(
            token=token, staff=request.staff, request=request)
    except services.TicketError as exc:
        return staff_render(request, "documents/staff/verify.html", {"error": exc.message}, section="home",
                            status=404)
    personal_data_access_record(actor=request.user, target=exam_number, fields=["id_number"],
                                request=request)
    return staff_render(request, "documents/staff/verify.html", {
        "exam_number": exam_number, "user_record": exam_number.candidate.user, "sitting": sitting,
        "registration": registration, "courses": courses, "token": token,
        "has_photo": selectors.id_photo(exam_number.candidate.user) is not None,
    }, section="home")


@never_cache
@staff_required
def verify_photo(request, token: str):
    from kaowu.identity.views import photo_response

    try:
        exam_number, _sitting, _registration = services.ticket_for_staff(token=token, staff=request.staff)
    except services.TicketError:
        raise Http404(gettext("没有证件照")) from None
    photo = selectors.id_photo(exam_number.candidate.user)
    if photo is None:
        raise Http404(gettext("没有证件照"))
    personal_data_access_record(actor=request.user, target=exam_number, fields=["photo:id_photo"],
                                request=request)
    return photo_response(photo)
