"""批量生成准考证 in the browser: the province authority picks the sitting and the exam area, starts the
job, sees it finish and downloads the ZIP (one PDF per 考点)."""

import io
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kaowu.exams.models import ExamRoom, ExamSite, SeatAssignment
from kaowu.records.tests.conftest import world_build
from kaowu.registration.models import RegisteredCourse
from kaowu.testing.factories import TEST_PASSWORD, StaffMemberFactory, StaffUserFactory

pytestmark = pytest.mark.browser


def test_generate_an_exam_areas_tickets_and_download_them(gansu, page, solve_captcha, shoot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = world_build()
    area = world.numbers["n1"].exam_area
    room = ExamRoom.objects.create(site=ExamSite.objects.create(exam_area=area, code="01", name="兰州一中考点",
                                                                address="兰州市城关区庆阳路1号"),
                                   number="001", capacity=30)
    seats = RegisteredCourse.objects.filter(registration__sitting=world.sitting, status=RegisteredCourse.Status.PAID)
    for n, rc in enumerate(seats.order_by("registration__exam_number__number", "course__code"), start=1):
        SeatAssignment.objects.create(registered_course=rc, sitting=world.sitting, session=rc.sitting_course.session,
                                      room=room, seat=n, assigned_at=timezone.now())
    StaffMemberFactory(office=world.province_staff.office,
                       user=StaffUserFactory(username="gs-tickets", real_name="考务管理员"))

    page.goto("/backoffice/login/")
    page.locator("#id_identifier").fill("gs-tickets")
    page.locator("#id_password").fill(TEST_PASSWORD)
    solve_captcha(page.locator("main form"))
    page.locator("main form").get_by_role("button", name="登录管理端", exact=True).click()
    page.get_by_role("link", name="批量准考证").click()
    form = page.locator("[data-batch-form]")
    form.get_by_label("考期").select_option(label="2027年4月")
    form.get_by_label("考区").select_option(label=area.name)
    form.get_by_role("button", name="开始生成").click()
    expect(page.get_by_text("已开始生成准考证，完成后可在本页下载。")).to_be_visible()
    expect(page.locator("[data-batch-status]").first).to_have_text("已完成")
    expect(page.locator("[data-batch-done]").first).to_have_text("2")       # 620101000001 and 620101000002
    shoot(page, "ticket-batch-done")
    with page.expect_download() as download:
        page.locator("[data-batch-download]").first.click()
    with open(download.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert archive.namelist() == [f"准考证_2027-04_{area.code}_01_兰州一中考点.pdf"]
    assert archive.read(archive.namelist()[0]).startswith(b"%PDF")
    assert not SeatAssignment.objects.filter(notified_at__isnull=True).exists()
