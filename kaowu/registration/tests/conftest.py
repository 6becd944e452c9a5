"""A small 2027年4月 sitting to register for: two exam areas, three majors (开考, 停考过渡期, 停考),
five courses in three sessions, the 报考 window open; and a verified candidate with a 准考证号."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow, Course, ExamSitting, Major, SittingCourse, SittingSession
from kaowu.catalog.tests.factories import (
    CourseFactory,
    ExamAreaFactory,
    MajorFactory,
    PlanCourseFactory,
    SittingExamAreaFactory,
)
from kaowu.identity.models import Verification
from kaowu.organization.models import Office, Region
from kaowu.payments.devgateway import gateway
from kaowu.payments.models import Order
from kaowu.payments.services import order_pay_start
from kaowu.registration.models import Registration
from kaowu.testing.factories import ExamNumberFactory, StaffMemberFactory


@dataclass
class World:
    sitting: ExamSitting
    lanzhou: Office
    tianshui: Office
    accounting: Major      # 开考: 00041, 00043 in its plan
    law: Major             # 停考过渡期: 00227
    closed: Major          # 停考
    courses: dict          # code -> SittingCourse
    window: BusinessWindow

    def ids(self, *codes: str) -> list[int]:
        return [self.courses[code].pk for code in codes]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def block():
        return django_capture_on_commit_callbacks(execute=True)
    return block


@pytest.fixture
def world(gansu) -> World:
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    lanzhou = ExamAreaFactory(name="兰州市考区", code="EA6201")
    tianshui = ExamAreaFactory(name="天水市考区", code="EA6205", region=Region.objects.get(code="620500"))
    for area in (lanzhou, tianshui):
        SittingExamAreaFactory(sitting=sitting, exam_area=area)
    sat_am = SittingSession.objects.create(sitting=sitting, date=datetime.date(2027, 4, 10), half_day="am",
                                           start_time=datetime.time(9), end_time=datetime.time(11, 30))
    sat_pm = SittingSession.objects.create(sitting=sitting, date=datetime.date(2027, 4, 10), half_day="pm",
                                           start_time=datetime.time(14, 30), end_time=datetime.time(17))
    sun_am = SittingSession.objects.create(sitting=sitting, date=datetime.date(2027, 4, 11), half_day="am",
                                           start_time=datetime.time(9), end_time=datetime.time(11, 30))
    made = {}
    for code, name, session, fee in [("00041", "基础会计学", sat_am, "30.00"), ("00043", "经济法概论（财经类）", sat_pm, "30.00"),
                                     ("00015", "英语（二）", sat_am, "35.00"), ("00227", "公司法", sun_am, "30.00"),
                                     ("03708", "中国近现代史纲要", sun_am, "30.00")]:
        course = CourseFactory(code=code, name=name)
        made[code] = SittingCourse.objects.create(sitting=sitting, session=session, course=course, fee=Decimal(fee))
    accounting = MajorFactory(code="120203K", name="会计", status=Major.Status.OPEN)
    law = MajorFactory(code="030101K", name="法学", status=Major.Status.TRANSITION,
                       transition_ends_on=datetime.date(2028, 12, 31))
    closed = MajorFactory(code="050101", name="汉语言文学", status=Major.Status.CLOSED)
    for major, codes in [(accounting, ["00041", "00043", "03708"]), (law, ["00227"]), (closed, ["00015"])]:
        for code in codes:
            PlanCourseFactory(major=major, course=Course.objects.get(code=code))
    window = BusinessWindow.objects.create(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting,
                                           starts_at=timezone.now() - datetime.timedelta(days=1),
                                           ends_at=timezone.now() + datetime.timedelta(days=10))
    return World(sitting, lanzhou, tianshui, accounting, law, closed, made, window)


@pytest.fixture
def exam_number(world):
    """An enrolled candidate's 准考证号 (issued for 会计), identity verified."""
    number = ExamNumberFactory(exam_area=world.lanzhou, major_name="会计", candidate__user__real_name="王晓燕")
    Verification.objects.create(user=number.candidate.user, kind="two_photos", status="passed")
    return number


@pytest.fixture
def area_staff(world):
    return StaffMemberFactory(office=world.lanzhou)


@pytest.fixture
def pay(committed):
    """The candidate pays an order on the development gateway and the notification arrives."""

    def pay_order(order: Order, channel: str = "wechat") -> Order:
        order_pay_start(order=order, channel=channel)
        trade_no = gateway.trade_query(channel=channel, out_trade_no=order.number).trade_no
        with committed():
            gateway.trade_pay(trade_no=trade_no, notify_mode="normal", delay_seconds=0)
        order.refresh_from_db()
        return order

    return pay_order


def pending_order(registration: Registration) -> Order | None:
    return Order.objects.filter(reference=registration.order_reference, status=Order.Status.PENDING).first()
