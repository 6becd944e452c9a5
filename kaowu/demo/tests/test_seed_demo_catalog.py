"""The demo catalog: believable majors and plans, the current sitting with its timetable, fees and
all 14 exam areas, windows around the seeding day, announcements — seeded once, stable afterwards."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from kaowu.catalog.models import (
    Announcement,
    BusinessWindow,
    Course,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
)
from kaowu.catalog.selectors import (
    current_sitting,
    guide_for_sitting,
    majors_open_to_new_candidates,
    sitting_courses_for_major,
    sitting_exam_areas,
)
from kaowu.catalog.windows import WindowState, business_window
from kaowu.demo import data
from kaowu.demo.services import demo_seed
from kaowu.organization.models import Office

PREFIXES = list(data.REQUIRED_PROVINCE_PREFIXES)


@pytest.fixture
def seeded(db):
    return demo_seed(region_prefixes=PREFIXES)


def test_the_demo_catalog_has_its_majors_courses_and_plans(seeded):
    assert Major.objects.count() == len(data.MAJORS) == 8
    assert Course.objects.count() == len(data.COURSES)
    assert PlanCourse.objects.count() == sum(len(m.plan) + len(m.electives) for m in data.MAJORS)
    chinese = Major.objects.get(code="050105")
    assert (chinese.name, chinese.university.name, chinese.get_level_display()) == ("汉语言文学", "西北师范大学", "本科")
    assert Major.objects.get(code="120203K").university.name == "兰州财经大学"
    assert Course.objects.get(code="00015").textbook.publisher == "外语教学与研究出版社"
    assert Major.objects.filter(level=Major.Level.JUNIOR_COLLEGE).exists()
    assert seeded.created["专业"] == 8


def test_one_major_is_in_transition_and_takes_no_new_candidates(seeded):
    transition = Major.objects.get(status=Major.Status.TRANSITION)

    assert transition.transition_ends_on
    assert transition not in majors_open_to_new_candidates()
    assert majors_open_to_new_candidates().count() == 7


def test_the_current_sitting_has_a_two_day_timetable_fees_and_all_exam_areas(seeded):
    sitting = current_sitting()

    assert (sitting.code, sitting.name) == ("2027-04", "2027年4月")
    sessions = list(sitting.sessions.order_by("date", "half_day"))
    assert [(s.date.day, s.get_half_day_display(), f"{s.start_time:%H:%M}–{s.end_time:%H:%M}") for s in sessions] == [
        (10, "上午", "09:00–11:30"), (10, "下午", "14:30–17:00"), (11, "上午", "09:00–11:30"), (11, "下午", "14:30–17:00")]
    assert set(SittingCourse.objects.filter(sitting=sitting).values_list("fee", flat=True)) == {Decimal("30.00")}
    assert sitting_exam_areas(sitting=sitting).count() == 14
    assert set(sitting_exam_areas(sitting=sitting).values_list("kind", flat=True)) == {Office.Kind.EXAM_AREA}
    own = [sc.course.code for sc in sitting_courses_for_major(sitting=sitting, major=Major.objects.get(code="050105"))]
    assert "00015" in own and "03708" in own


def test_registration_is_open_on_the_seeding_day_and_other_windows_are_not(seeded):
    sitting = current_sitting()
    now = timezone.now()

    business_window(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting).require_open()
    assert business_window(kind=BusinessWindow.Kind.TICKET_PRINT, sitting=sitting, now=now).state == \
        WindowState.NOT_STARTED
    # 毕业申请 is open in the demo (林静怡 can graduate end to end; demo/graduation.py)
    assert business_window(kind=BusinessWindow.Kind.GRADUATION, sitting=sitting, now=now).state == WindowState.OPEN
    assert business_window(kind=BusinessWindow.Kind.FILING, now=now).state == WindowState.OPEN
    gannan = Office.objects.get(code="EA6230")
    province_wide = business_window(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting).window
    assert business_window(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting,
                           exam_area=gannan).window.ends_at > province_wide.ends_at


def test_the_guide_and_announcements_are_published(seeded):
    guide = guide_for_sitting(sitting=current_sitting())

    assert guide.title == "甘肃省2027年上半年高等教育自学考试报考简章"
    assert "显示全部开考课程" in guide.body and "{" not in guide.body
    assert Announcement.objects.filter(is_published=True).count() == len(data.ANNOUNCEMENTS)
    assert set(Announcement.objects.values_list("category", flat=True)) == set(Announcement.Category.values)


def test_windows_stay_as_seeded_on_later_days_and_reset_moves_them(seeded):
    registration = BusinessWindow.objects.get(kind=BusinessWindow.Kind.COURSE_REGISTRATION, exam_area=None)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        again = demo_seed(region_prefixes=PREFIXES)
        assert not again.changed
        assert BusinessWindow.objects.get(pk=registration.pk).ends_at == registration.ends_at
        demo_seed(region_prefixes=PREFIXES, reset=True)

    moved = BusinessWindow.objects.get(pk=registration.pk)
    assert moved.ends_at - registration.ends_at == datetime.timedelta(days=3)


def test_a_sitting_made_current_on_the_site_stays_current(seeded):
    ExamSitting.objects.update(is_current=False)
    ExamSitting.objects.create(code="2027-10", name="2027年10月", is_current=True)

    demo_seed(region_prefixes=PREFIXES, reset=True)

    assert current_sitting().code == "2027-10"


def test_demo_registrations_are_consistent_and_seeded_once(db):
    from kaowu.demo.services import demo_seed
    from kaowu.registration.models import RegisteredCourse, Registration

    demo_seed(region_prefixes=["62"])
    first = Registration.objects.count()
    assert first > 10
    assert not demo_seed(region_prefixes=["62"]).created.get("报考")
    assert Registration.objects.count() == first
    for registration in Registration.objects.prefetch_related("courses"):
        statuses = {rc.status for rc in registration.courses.all()}
        expected = {Registration.Status.SUCCEEDED: {RegisteredCourse.Status.PAID},
                    Registration.Status.PENDING_PAYMENT: {RegisteredCourse.Status.UNPAID}}[registration.status]
        assert statuses == expected
        sessions = [rc.sitting_course.session_id for rc in registration.courses.all()]
        assert len(sessions) == len(set(sessions))  # never two courses at the same time
