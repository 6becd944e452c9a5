"""准考证打印 in the browser: the candidate sees each course's seat and prints the ticket; staff open
the ticket's QR link, log in and see the live record."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from walk_helpers import log_in

from kaowu.catalog.models import BusinessWindow
from kaowu.documents.verification import ticket_verify_url
from kaowu.exams.models import ExamRoom, ExamSite, SeatAssignment
from kaowu.payments.models import Order
from kaowu.registration.services import registration_submit
from kaowu.registration.tests.conftest import committed, exam_number, pay, world  # noqa: F401
from kaowu.testing.factories import TEST_PASSWORD, StaffMemberFactory, StaffUserFactory

pytestmark = pytest.mark.browser


def test_print_the_ticket_and_staff_check_it(page, world, exam_number, pay, solve_captcha, shoot,  # noqa: F811
                                            live_server):
    registration = registration_submit(exam_number=exam_number, sitting=world.sitting, exam_area=world.lanzhou,
                                       major=world.accounting, sitting_course_ids=world.ids("00041", "00043"),
                                       guide_agreed=True, actor=exam_number.candidate.user)
    pay(Order.objects.get())
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.TICKET_PRINT, sitting=world.sitting,
                                  starts_at=timezone.now() - datetime.timedelta(hours=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=5))
    site = ExamSite.objects.create(exam_area=world.lanzhou, code="01", name="兰州一中考点", address="兰州市城关区庆阳路1号")
    room = ExamRoom.objects.create(site=site, number="003", capacity=30)
    for n, rc in enumerate(registration.courses.all(), start=1):
        SeatAssignment.objects.create(registered_course=rc, sitting=world.sitting, session=rc.sitting_course.session,
                                      room=room, seat=n, assigned_at=timezone.now())

    log_in(page, solve_captcha, "/accounts/login/", exam_number.candidate.user.phone, "登录")
    page.get_by_role("link", name=re.compile(r"^准考证打印\s")).click()
    expect(page.locator("[data-ticket-courses]")).to_contain_text("兰州一中考点")
    expect(page.locator("[data-ticket-courses]")).to_contain_text("003")
    shoot(page, "ticket-print")
    href = page.get_by_role("link", name="打印准考证").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    assert SeatAssignment.objects.filter(notified_at__isnull=False).count() == 2
    page.get_by_role("button", name="安全退出").click()

    StaffMemberFactory(office=world.lanzhou, user=StaffUserFactory(username="lz-gate", real_name="考点核验员"))
    url = ticket_verify_url(base_url=live_server.url, exam_number=exam_number.number, sitting_code="2027-04")
    page.goto(url.replace(live_server.url.upper(), live_server.url))  # what a phone opens from the QR code
    expect(page).to_have_url(re.compile(r"/backoffice/login/"))
    page.locator("#id_identifier").fill("lz-gate")
    page.locator("#id_password").fill(TEST_PASSWORD)
    solve_captcha(page.locator("main form"))
    page.locator("main form").get_by_role("button", name="登录管理端", exact=True).click()
    expect(page.get_by_role("heading", name="准考证核验")).to_be_visible()
    expect(page.get_by_text("报考状态：报考成功")).to_be_visible()
    expect(page.locator("main")).to_contain_text(exam_number.number)
    shoot(page, "staff-ticket-verify")
