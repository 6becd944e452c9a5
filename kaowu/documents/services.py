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

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.catalog.windows import business_window
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
    business_window(kind=BusinessWindow.Kind.TICKET_PRINT, sitting=sitting, exam_area=registration.exam_area,
                    now=now).require_open(TicketError)
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


def ticket_for_staff(*, token: str, staff):
    """The 准考证号, sitting and 报考 behind a ticket's QR code, if this staff member may check it: the
    candidate is in his jurisdiction, or the ticket's exam area is one he runs (the exam-hall staff of
    the 考区 and the province). Any other ticket reads as unknown, so a token never confirms a person."""
    from kaowu.candidates.selectors import candidates_visible_to
    from kaowu.exams.selectors import exam_area_manageable_by

    from .verification import ticket_token_parse

    parsed = ticket_token_parse(token)
    if parsed is None:
        raise TicketError(gettext("二维码无效：不是本平台签发的准考证。"))
    number, sitting_code = parsed
    exam_number = ExamNumber.objects.filter(number=number).select_related("candidate__user").first()
    sitting = ExamSitting.objects.filter(code=sitting_code).first()
    unknown = TicketError(gettext("准考证号 %(number)s 不存在或已注销。") % {"number": number})
    if exam_number is None or sitting is None:
        raise unknown
    registration = selectors.ticket_registration(exam_number=exam_number, sitting=sitting)
    in_jurisdiction = candidates_visible_to(staff=staff).filter(pk=exam_number.candidate_id).exists()
    runs_the_area = registration is not None and exam_area_manageable_by(staff=staff,
                                                                          exam_area=registration.exam_area)
    if not (in_jurisdiction or runs_the_area):
        raise unknown
    return exam_number, sitting, registration


def ticket_verify_record(*, token: str, staff, request=None):
    """扫码核验: the live record behind a ticket's QR code, for a staff member (audit-logged)."""

    exam_number, sitting, registration = ticket_for_staff(token=token, staff=staff)
    courses = selectors.ticket_courses(registration=registration) if registration else []
    audit_record(actor=staff.user, action=AuditAction.DOCUMENTS_TICKET_VERIFIED, target=exam_number, request=request,
                 detail={"sitting": sitting.code})
    return exam_number, sitting, registration, courses


# --- 批量生成准考证: a whole exam area as one background job ---------------------------------------

BATCH_PROGRESS_EVERY = 25


def ticket_batch_request(*, sitting: ExamSitting, exam_area, staff, base_url: str, request=None):
    """开始生成: queue the 准考证 of every arranged candidate of an exam area (province authority, or
    the exam area itself). Not tied to the candidates' print window: staff print for distribution."""
    from django.db import IntegrityError, transaction

    from kaowu.exams.selectors import exam_area_manageable_by

    from .models import TicketBatch

    if not exam_area_manageable_by(staff=staff, exam_area=exam_area):
        raise TicketError(gettext("只能为本考区生成准考证。"))
    try:
        with transaction.atomic():
            TicketBatch.fail_stale(sitting=sitting, exam_area=exam_area,
                                   message=gettext("生成任务超时未完成，已终止。"))
            if TicketBatch.objects.filter(sitting=sitting, exam_area=exam_area, status__in=[
                    TicketBatch.Status.QUEUED, TicketBatch.Status.RUNNING]).exists():
                raise TicketError(gettext("该考区本考期的准考证正在生成中，请等待完成。"))
            batch = TicketBatch.objects.create(sitting=sitting, exam_area=exam_area, requested_by=staff.user,
                                               base_url=base_url[:200])
            audit_record(actor=staff.user, action=AuditAction.DOCUMENTS_TICKET_BATCH_REQUESTED, target=batch, request=request,
                         jurisdiction_code=exam_area.region.code if exam_area.region_id else "",
                         detail={"sitting": sitting.code, "exam_area": exam_area.code})
            from .tasks import ticket_batch_task

            batch_id = batch.pk
            transaction.on_commit(lambda: ticket_batch_task.enqueue(batch_id=batch_id))
    except IntegrityError:
        raise TicketError(gettext("该考区本考期的准考证正在生成中，请等待完成。")) from None
    return batch


def _first_seats(*, sitting: ExamSitting, exam_area) -> dict[int, tuple]:
    """registration id -> (site code, site name, room number, seat) of its first seated exam, in one
    query over the seats: a ticket goes in the pile of the site where the candidate first sits."""
    from kaowu.exams.models import SeatAssignment

    first: dict[int, tuple] = {}
    rows = (SeatAssignment.objects
            .filter(sitting=sitting, registered_course__registration__exam_area=exam_area,
                    registered_course__status__in=selectors.SEATED)
            .values_list("registered_course__registration_id", "session__date", "session__half_day",
                         "registered_course__course__code", "room__site__code", "room__site__name",
                         "room__number", "seat")
            .order_by())
    for registration_id, date, half_day, code, site_code, site_name, room, seat in rows.iterator(chunk_size=5000):
        key = (date, half_day, code)
        if registration_id not in first or key < first[registration_id][0]:
            first[registration_id] = (key, (site_code, site_name, room, seat))
    return {registration_id: place for registration_id, (_, place) in first.items()}


def ticket_batch_registrations(*, sitting: ExamSitting, exam_area):
    """The registrations of the exam area with at least one seated course (the arranged candidates)."""
    from kaowu.registration.models import Registration

    return Registration.objects.filter(pk__in=list(_first_seats(sitting=sitting, exam_area=exam_area)))


def _tickets_of(registration_ids: list[int], *, base_url: str, rules: str):
    """(registration, courses, ticket) for a chunk of registrations, with their courses and seats read
    in two queries (the photo is one file read each)."""
    from django.db.models import Prefetch

    from kaowu.registration.models import RegisteredCourse, Registration

    courses = (RegisteredCourse.objects.filter(status__in=selectors.SEATED)
               .select_related("course", "sitting_course__session", "seat__room__site")
               .order_by("sitting_course__session__date", "sitting_course__session__half_day", "course__code"))
    registrations = (Registration.objects.filter(pk__in=registration_ids)
                     .select_related("exam_area", "major", "sitting", "exam_number__candidate__user")
                     .prefetch_related(Prefetch("courses", queryset=courses, to_attr="seated_courses")))
    for registration in registrations:
        for rc in registration.seated_courses:
            rc.seat_or_none = getattr(rc, "seat", None) if hasattr(rc, "seat") else None
        ticket = selectors.ticket_build(registration=registration, courses=registration.seated_courses,
                                        base_url=base_url, rules=rules)
        yield registration, registration.seated_courses, ticket


BATCH_CHUNK = 200


def ticket_batch_run(*, batch_id: int):
    """The job: every arranged candidate's ticket, one PDF per 考点 in a ZIP; the seats printed are
    published (`notified_at`) as a candidate's own print does. Safe to run twice: a batch that is no
    longer 排队中 is left alone.

    Memory stays flat whatever the size of the exam area: the candidates are grouped by site from one
    query over the seats, and each site's tickets are read in chunks, drawn and written to the ZIP
    (which lives in a temporary file) before the next site is read."""
    import logging
    import tempfile
    import zipfile

    from django.db import transaction

    from kaowu.exams.services import arrangement_mark_notified
    from kaowu.registration.models import Registration

    from .models import TicketBatch
    from .tickets import tickets_pdf

    logger = logging.getLogger(__name__)
    with transaction.atomic():
        batch = TicketBatch.objects.select_for_update().select_related("sitting", "exam_area").get(pk=batch_id)
        if batch.status != TicketBatch.Status.QUEUED:
            return batch
        batch.status, batch.started_at = TicketBatch.Status.RUNNING, timezone.now()
        batch.save(update_fields=["status", "started_at"])
    try:
        first_seats = _first_seats(sitting=batch.sitting, exam_area=batch.exam_area)
        unarranged = (Registration.objects.filter(sitting=batch.sitting, exam_area=batch.exam_area,
                                                  courses__status__in=selectors.SEATED)
                      .exclude(pk__in=list(first_seats)).distinct().count())
        TicketBatch.objects.filter(pk=batch.pk).update(total=len(first_seats), unarranged=unarranged)
        by_site: dict[tuple, list] = {}
        for registration_id, (site_code, site_name, room, seat) in first_seats.items():
            by_site.setdefault((site_code, site_name), []).append(((room, seat), registration_id))
        rules = selectors.exam_rules(sitting=batch.sitting)
        done = incomplete = 0
        seat_ids: list[int] = []
        with tempfile.TemporaryFile() as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
                for (code, name), entries in sorted(by_site.items()):
                    entries.sort()
                    order = {registration_id: index for index, (_, registration_id) in enumerate(entries)}
                    site_tickets: list = [None] * len(entries)
                    ids = [registration_id for _, registration_id in entries]
                    for start in range(0, len(ids), BATCH_CHUNK):
                        for registration, courses, ticket in _tickets_of(ids[start:start + BATCH_CHUNK],
                                                                         base_url=batch.base_url, rules=rules):
                            seated = [rc.pk for rc in courses if rc.seat_or_none is not None]
                            incomplete += len(seated) < len(courses)
                            seat_ids += seated
                            site_tickets[order[registration.pk]] = ticket
                        done += len(ids[start:start + BATCH_CHUNK])
                        TicketBatch.objects.filter(pk=batch.pk).update(done=done)
                    archive.writestr(f"准考证_{batch.sitting.code}_{batch.exam_area.code}_{code}_{name}.pdf",
                                     tickets_pdf([ticket for ticket in site_tickets if ticket is not None]))
                    del site_tickets
            handle.seek(0)
            from django.core.files import File

            # Copying (and encrypting) the ZIP is slow: stored before the transaction, not while it holds
            # the lock; removed again if the batch was given up meanwhile or the transaction fails.
            from kaowu.core.uploads import file_saved_first

            stored = batch.file
            with file_saved_first(stored, f"{batch.sitting.code}-{batch.exam_area.code}-{batch.pk}.zip",
                                  File(handle)), transaction.atomic():
                batch = TicketBatch.objects.select_for_update().get(pk=batch_id)
                if batch.status != TicketBatch.Status.RUNNING:  # given up as stale meanwhile: its result is void
                    stored.storage.delete(stored.name)
                    return batch
                batch.file.name = stored.name
                batch.size = stored.size
                batch.status, batch.done, batch.incomplete = TicketBatch.Status.DONE, done, incomplete
                batch.sites, batch.finished_at = len(by_site), timezone.now()
                batch.save()
                arrangement_mark_notified(assignment_ids=seat_ids, at=batch.finished_at)
    except Exception as exc:
        logger.exception("ticket batch %s failed", batch_id)
        TicketBatch.objects.filter(pk=batch_id).update(status=TicketBatch.Status.FAILED, finished_at=timezone.now(),
                                                       error=f"{type(exc).__name__}: {exc}"[:500])
        raise
    return batch
