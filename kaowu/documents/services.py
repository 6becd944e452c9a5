"""准考证打印 and the bulk run for an exam area.

A candidate's ticket is generated once per content (courses, seats, photo, rules) and kept in
private storage: printing it again serves the stored file, and a change (a late seat, a new photo)
makes a new one. Printing publishes the seats (`notified_at`): re-arrangement never moves them."""

import dataclasses
import hashlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.services import audit_record
from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.catalog.windows import WindowClosed, window_require_open
from kaowu.core.errors import UserFacingError

from . import selectors
from .tickets import ticket_pdf


class TicketError(UserFacingError):
    """准考证打印 refused, with the reason."""


def _content_key(ticket) -> str:
    fields = dataclasses.asdict(ticket)
    fields.pop("printed_at")
    photo = fields.pop("photo")
    fields["photo"] = hashlib.sha256(photo).hexdigest() if photo else ""
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:24]


def ticket_print(*, exam_number: ExamNumber, sitting: ExamSitting, base_url: str, now=None) -> bytes:
    """打印准考证: the PDF of the candidate's ticket, inside the 准考证打印 window, once every paid
    course has its seat."""
    registration = selectors.ticket_registration(exam_number=exam_number, sitting=sitting)
    if registration is None:
        raise TicketError(gettext("您在%(sitting)s没有报考记录。") % {"sitting": sitting.name})
    try:
        window_require_open(kind=BusinessWindow.Kind.TICKET_PRINT, sitting=sitting,
                            exam_area=registration.exam_area, now=now)
    except WindowClosed as exc:
        raise TicketError(exc.message) from None
    courses = selectors.ticket_courses(registration=registration)
    if not courses:
        raise TicketError(gettext("您在%(sitting)s没有已缴费的报考课程，没有准考证。") % {"sitting": sitting.name})
    if any(rc.seat_or_none is None for rc in courses):
        raise TicketError(gettext("考场尚未编排完成，请稍后再打印准考证。如有疑问，请联系%(area)s。")
                          % {"area": registration.exam_area.name})
    ticket = selectors.ticket_build(registration=registration, courses=courses, base_url=base_url)
    name = f"tickets/{sitting.code}/{exam_number.number}-{_content_key(ticket)}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            pdf = handle.read()
    else:
        pdf = ticket_pdf(ticket)
        default_storage.save(name, ContentFile(pdf))
    from kaowu.exams.services import arrangement_mark_notified

    arrangement_mark_notified(assignment_ids=[rc.pk for rc in courses], at=now or timezone.now())
    return pdf


def ticket_verify_record(*, token: str, staff, request=None):
    """扫码核验: the live record behind a ticket's QR code, for a staff member (audit-logged)."""
    from .verification import ticket_token_parse

    parsed = ticket_token_parse(token)
    if parsed is None:
        raise TicketError(gettext("二维码无效：不是本平台签发的准考证。"))
    number, sitting_code = parsed
    exam_number = ExamNumber.objects.filter(number=number).select_related("candidate__user").first()
    sitting = ExamSitting.objects.filter(code=sitting_code).first()
    if exam_number is None or sitting is None:
        raise TicketError(gettext("准考证号 %(number)s 不存在或已注销。") % {"number": number})
    registration = selectors.ticket_registration(exam_number=exam_number, sitting=sitting)
    courses = selectors.ticket_courses(registration=registration) if registration else []
    audit_record(actor=staff.user, action="documents.ticket_verified", target=exam_number, request=request,
                 detail={"sitting": sitting.code})
    return exam_number, sitting, registration, courses
