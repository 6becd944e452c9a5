"""准考证打印: only in its window, only with every paid course seated; the PDF embeds the font and
carries a QR code staff can check against the live record; printing publishes the seats."""

import datetime
import re

import pytest
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.catalog.models import BusinessWindow
from kaowu.documents.services import TicketError, ticket_print
from kaowu.documents.verification import ticket_token, ticket_token_parse
from kaowu.exams.models import ExamRoom, ExamSite, SeatAssignment
from kaowu.payments.models import Order
from kaowu.registration.services import registration_submit
from kaowu.testing.factories import StaffMemberFactory


@pytest.fixture
def paid(world, exam_number, pay):
    registration = registration_submit(exam_number=exam_number, sitting=world.sitting, exam_area=world.lanzhou,
                                       major=world.accounting, sitting_course_ids=world.ids("00041", "00043"),
                                       guide_agreed=True, actor=exam_number.candidate.user)
    pay(Order.objects.get())
    return registration


@pytest.fixture
def print_window(world):
    return BusinessWindow.objects.create(kind=BusinessWindow.Kind.TICKET_PRINT, sitting=world.sitting,
                                         starts_at=timezone.now() - datetime.timedelta(hours=1),
                                         ends_at=timezone.now() + datetime.timedelta(days=5))


def seat_all(registration):
    site = ExamSite.objects.create(exam_area=registration.exam_area, code="01", name="兰州一中考点",
                                   address="兰州市城关区庆阳路1号")
    room = ExamRoom.objects.create(site=site, number="003", capacity=30)
    for n, rc in enumerate(registration.courses.all(), start=1):
        SeatAssignment.objects.create(registered_course=rc, sitting=registration.sitting,
                                      session=rc.sitting_course.session, room=room, seat=n,
                                      assigned_at=timezone.now())


def test_not_in_the_print_window(world, exam_number, paid):
    with pytest.raises(TicketError, match="准考证打印时间尚未公布"):
        ticket_print(exam_number=exam_number, sitting=world.sitting, base_url="http://testserver")


def test_not_before_every_course_is_seated(world, exam_number, paid, print_window):
    with pytest.raises(TicketError, match="考场尚未编排完成"):
        ticket_print(exam_number=exam_number, sitting=world.sitting, base_url="http://testserver")


def test_the_ticket_pdf(world, exam_number, paid, print_window):
    seat_all(paid)
    pdf = ticket_print(exam_number=exam_number, sitting=world.sitting, base_url="http://testserver")
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # the CJK font travels with the file
    # Printing published the seats: re-arrangement will not move them.
    assert not SeatAssignment.objects.filter(notified_at__isnull=True).exists()
    # The same content is served from storage, unchanged.
    again = ticket_print(exam_number=exam_number, sitting=world.sitting, base_url="http://testserver")
    assert again == pdf


def test_the_ticket_text(world, exam_number, paid, print_window):
    """What the PDF says, read back from it."""
    import io

    import pypdf

    seat_all(paid)
    pdf = ticket_print(exam_number=exam_number, sitting=world.sitting, base_url="http://testserver")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert exam_number.number in text and "基础会计学" in text and "兰州一中考点" in text and "考场规则" in text


def test_tokens_are_signed():
    token = ticket_token(exam_number="010226110001", sitting_code="2027-04")
    assert re.fullmatch(r"010226110001-202704-[A-Z2-7]{16}", token)
    assert ticket_token_parse(token) == ("010226110001", "2027-04")
    assert ticket_token_parse(token.lower()) == ("010226110001", "2027-04")
    assert ticket_token_parse(token.replace("010226110001", "010226110002")) is None
    assert ticket_token_parse("nonsense") is None


def test_candidate_page_and_download(client, world, exam_number, paid, print_window):
    client.force_login(exam_number.candidate.user)
    page = client.get("/tickets/").content.decode()
    assert "待编排" in page and "考场尚未编排完成" in page and "打印准考证</a>" not in page
    seat_all(paid)
    page = client.get("/tickets/").content.decode()
    assert "兰州一中考点" in page and "打印准考证" in page
    response = client.get("/tickets/admission.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_staff_scan_the_code(client, world, exam_number, paid):
    seat_all(paid)
    token = ticket_token(exam_number=exam_number.number, sitting_code=world.sitting.code)
    response = client.get(f"/T/{token}")
    assert response["Location"] == f"/backoffice/tickets/verify/{token}/"
    staff = StaffMemberFactory(office=world.lanzhou)
    client.force_login(staff.user)
    page = client.get(response["Location"]).content.decode()
    assert exam_number.number in page and "报考状态：报考成功" in page and "兰州一中考点" in page
    assert AuditEvent.objects.filter(action="documents.ticket_verified").exists()
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert "二维码无效" in client.get(f"/backoffice/tickets/verify/{forged}/").content.decode()
