"""The 实践性环节报名 world: the computer major examined by 兰州理工大学 with two practical courses
(04748, 04737) and a theory course in its plan, a practical course of another major, another
university (兰州大学), a candidate of the major in the current sitting, the window, and paying on the
development gateway."""

import datetime

import pytest
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow, Course, ExamSitting
from kaowu.catalog.tests.factories import CourseFactory, MajorFactory, PlanCourseFactory
from kaowu.organization.models import Office, Region
from kaowu.payments.devgateway import gateway
from kaowu.payments.models import Order
from kaowu.payments.services import order_pay_start
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def block():
        return django_capture_on_commit_callbacks(execute=True)
    return block


@pytest.fixture
def world(gansu):
    lanzhou = Region.objects.get(code="620100")
    offices = {
        "area": OfficeFactory(kind=Office.Kind.EXAM_AREA, code="EA6201", name="兰州市考区", region=lanzhou),
        "lut": OfficeFactory(kind=Office.Kind.UNIVERSITY, code="U10731", name="兰州理工大学",
                             region=Region.objects.get(code="620103")),
        "lzu": OfficeFactory(kind=Office.Kind.UNIVERSITY, code="U10730", name="兰州大学",
                             region=Region.objects.get(code="620102")),
        "province": OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, code="P62", name="甘肃省教育考试院",
                                  region=Region.objects.get(code="620000")),
    }
    staff = {key: StaffMemberFactory(office=office) for key, office in offices.items()}
    major = MajorFactory(code="080901", name="计算机科学与技术", university=offices["lut"])
    courses = {
        "04748": CourseFactory(code="04748", name="Java语言程序设计（一）（实践）", credits=1, kind=Course.Kind.PRACTICE),
        "04737": CourseFactory(code="04737", name="C++程序设计（实践）", credits=1, kind=Course.Kind.PRACTICE),
        "02324": CourseFactory(code="02324", name="离散数学", credits=4),
    }
    for position, course in enumerate(courses.values()):
        PlanCourseFactory(major=major, course=course, position=position)
    accounting = MajorFactory(code="120203K", name="会计学", university=offices["lzu"])
    courses["00052"] = CourseFactory(code="00052", name="管理系统中计算机应用（实践）", credits=1,
                                     kind=Course.Kind.PRACTICE)
    PlanCourseFactory(major=accounting, course=courses["00052"])
    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    now = timezone.now()
    window = BusinessWindow.objects.create(kind=BusinessWindow.Kind.PRACTICE_REGISTRATION, sitting=sitting,
                                           starts_at=now - datetime.timedelta(days=1),
                                           ends_at=now + datetime.timedelta(days=14))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="赵子轩")
    exam_number = ExamNumberFactory(candidate=candidate, exam_area=offices["area"], number="010221040031",
                                    major_name="计算机科学与技术")
    return {"offices": offices, "staff": staff, "major": major, "accounting": accounting, "courses": courses,
            "sitting": sitting, "window": window, "candidate": candidate, "exam_number": exam_number}


def order_of(application, status=None) -> Order:
    orders = Order.objects.filter(purpose=Order.Purpose.PRACTICE_REGISTRATION, reference=application.number)
    return orders.get(status=status) if status else orders.get()


@pytest.fixture
def pay(committed):
    """Pay an order on the development gateway, its notification delivered (on_order_paid runs)."""
    def pay_order(order: Order) -> Order:
        order_pay_start(order=order, channel="wechat")
        trade_no = gateway.trade_query(channel="wechat", out_trade_no=order.number).trade_no
        with committed():
            gateway.trade_pay(trade_no=trade_no, notify_mode="normal", delay_seconds=0)
        order.refresh_from_db()
        return order
    return pay_order


@pytest.fixture
def registered(world, pay):
    """A paid registration (报名成功) of `codes`, in the 主考学校's list."""
    from kaowu.practicals.services import practical_register

    def make(codes=("04748", "04737"), candidate=None, exam_number=None):
        candidate = candidate or world["candidate"]
        application = practical_register(actor=candidate.user, candidate=candidate,
                                         exam_number=exam_number or world["exam_number"], course_codes=list(codes))
        pay(order_of(application))
        application.refresh_from_db()
        return application
    return make
