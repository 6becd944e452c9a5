"""A 2027年4月 sitting with four offered courses, a 2027年10月 sitting offering the rest, the 行政管理
plan (four required courses, one elective of two), three candidates with paid 报考, and the province
authority's staff."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaowu.catalog.models import Course, ExamSitting, Major, PlanCourse, SittingCourse, SittingSession
from kaowu.catalog.tests.factories import CourseFactory, ExamAreaFactory, MajorFactory
from kaowu.organization.models import Office, Region
from kaowu.payments.models import Order, OrderItem
from kaowu.records import services
from kaowu.records.models import ScoreImport
from kaowu.registration.models import RegisteredCourse, Registration
from kaowu.testing.factories import ExamNumberFactory, OfficeFactory, StaffMemberFactory


@dataclass
class World:
    sitting: ExamSitting
    next_sitting: ExamSitting
    major: Major
    courses: dict          # code -> Course
    numbers: dict          # "n1".. -> ExamNumber
    province_staff: object
    area_staff: object


def register(number, sitting, codes, *, status=RegisteredCourse.Status.PAID, major=None):
    now = timezone.now()
    registration = Registration.objects.create(
        exam_number=number, sitting=sitting, exam_area=number.exam_area, major=major or Major.objects.first(),
        status=Registration.Status.SUCCEEDED if status == RegisteredCourse.Status.PAID else
        Registration.Status.PENDING_PAYMENT, guide_agreed_at=now, submitted_at=now)
    order = Order.objects.create(number=f"T{registration.pk:010d}", user=number.candidate.user,
                                 purpose="course_registration", reference=registration.order_reference, title="报考费",
                                 amount=Decimal("30") * len(codes), expires_at=now,
                                 status="paid" if status == RegisteredCourse.Status.PAID else "pending",
                                 **({"paid_at": now, "provider": "wechat", "provider_trade_no": f"W{registration.pk}"}
                                    if status == RegisteredCourse.Status.PAID else {}))
    for code in codes:
        offered = SittingCourse.objects.get(sitting=sitting, course__code=code)
        item = OrderItem.objects.create(order=order, description="报考费", amount=offered.fee)
        RegisteredCourse.objects.create(registration=registration, sitting_course=offered, course=offered.course,
                                        fee=offered.fee, status=status, order=order, order_item=item)
    return registration


@pytest.fixture
def world(gansu) -> World:
    return world_build()


def world_build() -> World:
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True,
                                         score_publication_at=timezone.now() + datetime.timedelta(days=20))
    next_sitting = ExamSitting.objects.create(code="2027-10", name="2027年10月")
    old_sitting = ExamSitting.objects.create(code="2026-10", name="2026年10月",
                                             score_publication_at=timezone.now() - datetime.timedelta(days=100))
    courses = {code: CourseFactory(code=code, name=name, credits=credits) for code, name, credits in [
        ("00015", "英语（二）", 14), ("03708", "中国近现代史纲要", 2), ("03709", "马克思主义基本原理概论", 4),
        ("00312", "政治学概论", 6), ("00024", "普通逻辑", 4), ("01848", "公务员制度", 5), ("00034", "社会学概论", 4)]}
    major = MajorFactory(code="120402", name="行政管理")
    for position, code in enumerate(["00015", "03708", "03709", "00312"]):
        PlanCourse.objects.create(major=major, course=courses[code], position=position)
    for code in ("00024", "01848"):
        PlanCourse.objects.create(major=major, course=courses[code], requirement=PlanCourse.Requirement.ELECTIVE,
                                  group_label="选考课程（任选一门）", position=10)
    for s, day, codes in [(sitting, datetime.date(2027, 4, 10), ["00015", "03708", "03709", "00024", "00034"]),
                          (next_sitting, datetime.date(2027, 10, 23), ["00312", "01848", "00015"]),
                          (old_sitting, datetime.date(2026, 10, 24), ["03708"])]:
        for index, code in enumerate(codes):
            session, _ = SittingSession.objects.get_or_create(
                sitting=s, date=day + datetime.timedelta(days=index // 2), half_day="am" if index % 2 == 0 else "pm",
                defaults={"start_time": datetime.time(9 if index % 2 == 0 else 14, 30),
                          "end_time": datetime.time(11 if index % 2 == 0 else 17)})
            SittingCourse.objects.create(sitting=s, session=session, course=courses[code], fee="30.00")
    area = ExamAreaFactory(name="兰州市考区", code="EA6201")
    numbers = {key: ExamNumberFactory(number=number, exam_area=area, major_name="行政管理")
               for key, number in [("n1", "620101000001"), ("n2", "620101000002"), ("n3", "620101000003"),
                                   ("n4", "620101000004")]}
    register(numbers["n1"], sitting, ["00015", "03708", "03709", "00024"], major=major)
    register(numbers["n2"], sitting, ["00015", "03708"], major=major)
    register(numbers["n3"], sitting, ["00015"], status=RegisteredCourse.Status.UNPAID, major=major)
    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                             name="甘肃省教育考试院")
    return World(sitting=sitting, next_sitting=next_sitting, major=major, courses=courses, numbers=numbers,
                 province_staff=StaffMemberFactory(office=province),
                 area_staff=StaffMemberFactory(office=area))


@pytest.fixture
def run_import(world, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def run(content: bytes | str, name: str = "scores.csv", *, sitting=None) -> ScoreImport:
        if isinstance(content, str):
            content = content.encode("utf-8")
        with django_capture_on_commit_callbacks(execute=True):
            started = services.score_import_start(sitting=sitting or world.sitting, staff=world.province_staff,
                                                  file=SimpleUploadedFile(name, content))
        started.refresh_from_db()
        return started
    return run


def xlsx_bytes(rows: list[list]) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def unused_course():
    return lambda: Course.objects.get(code="00034")
