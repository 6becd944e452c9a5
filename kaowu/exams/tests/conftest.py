"""A sitting with two sessions and three courses, two exam areas with a site and rooms each, and a
helper that registers candidates (paid course registrations written directly, without the 报考 flow)."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from kaowu.catalog.models import ExamSitting, SittingCourse, SittingSession
from kaowu.catalog.tests.factories import CourseFactory, ExamAreaFactory, MajorFactory, SittingExamAreaFactory
from kaowu.exams.models import ExamRoom, ExamSite
from kaowu.organization.models import Office, Region
from kaowu.payments.models import Order, OrderItem
from kaowu.registration.models import RegisteredCourse, Registration
from kaowu.testing.factories import ExamNumberFactory, StaffMemberFactory

_order_serial = itertools.count(1)


@dataclass
class ExamWorld:
    sitting: ExamSitting
    lanzhou: Office
    tianshui: Office
    morning: SittingSession
    afternoon: SittingSession
    courses: dict                 # code -> SittingCourse
    major: object
    site: ExamSite
    rooms: list = field(default_factory=list)

    def room(self, number: str, capacity: int, *, site: ExamSite | None = None) -> ExamRoom:
        return ExamRoom.objects.create(site=site or self.site, number=number, capacity=capacity)

    def register(self, number: str, *codes: str, area: Office | None = None,
                 status: str = RegisteredCourse.Status.PAID) -> list[RegisteredCourse]:
        """A candidate with 准考证号 `number` registered (and paid) for `codes` in `area` (兰州)."""
        area = area or self.lanzhou
        exam_number = ExamNumberFactory(number=number, exam_area=area)
        now = timezone.now()
        registration = Registration.objects.create(
            exam_number=exam_number, sitting=self.sitting, exam_area=area, major=self.major,
            status=Registration.Status.SUCCEEDED, guide_agreed_at=now, submitted_at=now, submission_count=1)
        order = Order.objects.create(
            number=f"T{next(_order_serial):012d}", user=exam_number.candidate.user,
            purpose=Order.Purpose.COURSE_REGISTRATION, reference=registration.order_reference, title="报考费",
            amount=Decimal("30.00") * len(codes), status=Order.Status.PAID, expires_at=now, paid_at=now,
            provider="wechat", provider_trade_no=f"W{next(_order_serial)}")
        made = []
        for code in codes:
            offered = self.courses[code]
            item = OrderItem.objects.create(order=order, description=code, amount=offered.fee, reference=code)
            made.append(RegisteredCourse.objects.create(
                registration=registration, sitting_course=offered, course=offered.course, fee=offered.fee,
                status=status, order=order, order_item=item))
        return made


@pytest.fixture
def exam_world(gansu) -> ExamWorld:
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    lanzhou = ExamAreaFactory(name="兰州市考区", code="EA6201")
    tianshui = ExamAreaFactory(name="天水市考区", code="EA6205", region=Region.objects.get(code="620500"))
    for area in (lanzhou, tianshui):
        SittingExamAreaFactory(sitting=sitting, exam_area=area)
    morning = SittingSession.objects.create(sitting=sitting, date=datetime.date(2027, 4, 10), half_day="am",
                                            start_time=datetime.time(9), end_time=datetime.time(11, 30))
    afternoon = SittingSession.objects.create(sitting=sitting, date=datetime.date(2027, 4, 10), half_day="pm",
                                              start_time=datetime.time(14, 30), end_time=datetime.time(17))
    courses = {}
    for code, name, session in [("00041", "基础会计学", morning), ("00015", "英语（二）", morning),
                                ("00043", "经济法概论（财经类）", afternoon)]:
        courses[code] = SittingCourse.objects.create(sitting=sitting, session=session,
                                                     course=CourseFactory(code=code, name=name), fee=Decimal("30.00"))
    site = ExamSite.objects.create(exam_area=lanzhou, code="01", name="兰州第一中学", address="兰州市城关区")
    return ExamWorld(sitting, lanzhou, tianshui, morning, afternoon, courses, MajorFactory(), site)


@pytest.fixture
def area_staff(exam_world):
    return StaffMemberFactory(office=exam_world.lanzhou)


@pytest.fixture
def province_staff(exam_world):
    from kaowu.testing.factories import OfficeFactory

    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, code="P62", name="甘肃省教育考试院",
                             region=Region.objects.get(code="620000"))
    return StaffMemberFactory(office=province)
