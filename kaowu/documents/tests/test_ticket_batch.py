"""批量生成准考证: a background job per sitting and exam area, one ticket per arranged candidate in a
ZIP of one PDF per 考点; only within the staff member's jurisdiction; downloads are audited."""

import io
import zipfile

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.documents.models import TicketBatch
from kaowu.documents.services import TicketError, ticket_batch_request
from kaowu.exams.models import ExamRoom, ExamSite, SeatAssignment
from kaowu.organization.models import Office
from kaowu.records.tests.conftest import register, world_build
from kaowu.registration.models import RegisteredCourse
from kaowu.testing.factories import ExamNumberFactory, OfficeFactory, StaffMemberFactory


@pytest.fixture
def arranged(gansu):
    """兰州市考区 in 2027年4月: 620101000001 seated in 考点 01 for all four courses, 620101000004 seated
    in 考点 02 for one of two courses, 620101000002 not seated at all (not arranged)."""
    world = world_build()
    area = world.numbers["n1"].exam_area
    sites = [ExamSite.objects.create(exam_area=area, code=code, name=name, address="兰州市城关区")
             for code, name in [("01", "兰州一中考点"), ("02", "兰州二中考点")]]
    rooms = [ExamRoom.objects.create(site=site, number="001", capacity=30) for site in sites]
    register(world.numbers["n4"], world.sitting, ["00015", "03708"], major=world.major)

    def seat(key, room, codes):
        for n, rc in enumerate(RegisteredCourse.objects.filter(registration__exam_number=world.numbers[key],
                                                                course__code__in=codes).order_by("course__code"),
                               start=1):
            SeatAssignment.objects.create(registered_course=rc, sitting=world.sitting,
                                          session=rc.sitting_course.session, room=room, seat=n,
                                          assigned_at=timezone.now())

    seat("n1", rooms[0], ["00015", "03708", "03709", "00024"])
    seat("n4", rooms[1], ["00015"])
    world.area = area
    return world


def run(world, staff, committed):
    with committed():
        return ticket_batch_request(sitting=world.sitting, exam_area=world.area, staff=staff,
                                    base_url="http://testserver")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def read_zip(batch) -> dict[str, pypdf.PdfReader]:
    with batch.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return {name: pypdf.PdfReader(io.BytesIO(archive.read(name))) for name in archive.namelist()}


def test_one_ticket_per_arranged_candidate_one_pdf_per_site(arranged, committed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    batch = run(arranged, arranged.province_staff, committed)
    batch.refresh_from_db()
    assert batch.status == TicketBatch.Status.DONE and batch.percent == 100
    assert (batch.total, batch.done, batch.sites, batch.incomplete, batch.unarranged) == (2, 2, 2, 1, 1)
    pdfs = read_zip(batch)
    assert sorted(pdfs) == ["准考证_2027-04_EA6201_01_兰州一中考点.pdf", "准考证_2027-04_EA6201_02_兰州二中考点.pdf"]
    texts = {name: "".join(page.extract_text() for page in reader.pages) for name, reader in pdfs.items()}
    assert sum(len(reader.pages) for reader in pdfs.values()) == 2
    first, second = texts["准考证_2027-04_EA6201_01_兰州一中考点.pdf"], texts["准考证_2027-04_EA6201_02_兰州二中考点.pdf"]
    assert "620101000001" in first and "620101000004" not in first
    assert "620101000004" in second and "待编排" in second            # the course without a seat yet
    assert "620101000002" not in first + second                     # not arranged: no ticket
    # The printed seats are published: a re-arrangement will not move them.
    assert not SeatAssignment.objects.filter(notified_at__isnull=True).exists()


def test_the_exam_area_generates_its_own_but_not_another(arranged, committed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = StaffMemberFactory(office=arranged.area)
    assert run(arranged, own, committed).pk
    other_area = OfficeFactory(kind=Office.Kind.EXAM_AREA, name="天水市考区")
    with pytest.raises(TicketError, match="只能为本考区"):
        run(arranged, StaffMemberFactory(office=other_area), committed)
    city = OfficeFactory(kind=Office.Kind.CITY_OFFICE, name="兰州市教育考试院")
    with pytest.raises(TicketError):
        run(arranged, StaffMemberFactory(office=city), committed)


def test_pages_start_progress_download_and_audit(arranged, client, committed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = arranged.province_staff
    client.force_login(staff.user)
    page = client.get(reverse("backoffice:documents_staff:batches"))
    assert page.status_code == 200 and "批量生成准考证" in page.content.decode()
    with committed():
        response = client.post(reverse("backoffice:documents_staff:batch_start"),
                               {"sitting": arranged.sitting.pk, "area": arranged.area.pk})
    assert response.status_code == 302
    batch = TicketBatch.objects.get()
    assert batch.status == TicketBatch.Status.DONE
    status = client.get(reverse("backoffice:documents_staff:batch_status", args=[batch.pk])).content.decode()
    assert "已生成" in status and "data-batch-download" in status
    download = client.get(reverse("backoffice:documents_staff:batch_download", args=[batch.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert zipfile.is_zipfile(io.BytesIO(b"".join(download.streaming_content)))
    assert AuditEvent.objects.filter(action="documents.ticket_batch_downloaded").exists()
    assert AuditEvent.objects.filter(action="documents.ticket_batch_requested").exists()
    # Another exam area's staff neither sees nor downloads it; a registration point has no page.
    other = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.EXAM_AREA, name="天水市考区"))
    client.force_login(other.user)
    assert client.get(reverse("backoffice:documents_staff:batch_download", args=[batch.pk])).status_code == 404
    assert "兰州市考区" not in client.get(reverse("backoffice:documents_staff:batches")).content.decode()
    point = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.REGISTRATION_POINT, name="报名点"))
    client.force_login(point.user)
    assert client.get(reverse("backoffice:documents_staff:batches")).status_code == 404


def test_a_second_job_for_the_same_area_waits_for_the_first(arranged, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket_batch_request(sitting=arranged.sitting, exam_area=arranged.area, staff=arranged.province_staff,
                         base_url="")        # queued: the job starts once the transaction commits
    with pytest.raises(TicketError, match="正在生成中"):
        ticket_batch_request(sitting=arranged.sitting, exam_area=arranged.area, staff=arranged.province_staff,
                             base_url="")


def test_a_candidate_number_outside_the_area_is_not_included(arranged, committed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    elsewhere = ExamNumberFactory(number="620201000009", exam_area=OfficeFactory(kind=Office.Kind.EXAM_AREA))
    register(elsewhere, arranged.sitting, ["00015"], major=arranged.major)
    batch = run(arranged, arranged.province_staff, committed)
    batch.refresh_from_db()
    assert batch.total == 2


def test_a_job_given_up_as_stale_does_not_finish_as_done(arranged, settings, tmp_path, monkeypatch):
    from kaowu.documents import services, tickets
    from kaowu.documents.models import TicketBatch

    settings.MEDIA_ROOT = tmp_path
    batch = ticket_batch_request(sitting=arranged.sitting, exam_area=arranged.area, staff=arranged.province_staff,
                                 base_url="http://testserver")
    draw = tickets.tickets_pdf

    def slow_worker(items):  # meanwhile the job was declared lost and a new one may start
        TicketBatch.objects.filter(pk=batch.pk).update(status=TicketBatch.Status.FAILED)
        return draw(items)

    monkeypatch.setattr(tickets, "tickets_pdf", slow_worker)
    services.ticket_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == TicketBatch.Status.FAILED and not batch.file
