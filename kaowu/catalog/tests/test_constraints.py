"""What the database refuses, whatever the code above it does."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from kaowu.catalog.models import BusinessWindow, Course, ExamSitting, Major, PlanCourse

from .factories import (
    BusinessWindowFactory,
    CourseFactory,
    ExamAreaFactory,
    ExamSittingFactory,
    MajorFactory,
    PlanCourseFactory,
    SittingCourseFactory,
    SittingSessionFactory,
)


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_course_is_in_a_major_plan_once(gansu):
    entry = PlanCourseFactory()

    refused(lambda: PlanCourse.objects.create(major=entry.major, course=entry.course,
                                              requirement=PlanCourse.Requirement.ELECTIVE))


def test_a_fee_is_never_negative(gansu):
    refused(lambda: SittingCourseFactory(fee=Decimal("-0.01")))
    assert SittingCourseFactory(fee=Decimal("0.00")).fee == 0


def test_a_course_is_offered_once_per_sitting(gansu):
    offered = SittingCourseFactory()

    refused(lambda: SittingCourseFactory(session=offered.session, course=offered.course))


def test_two_current_sittings_are_refused(gansu):
    ExamSittingFactory(code="2027-04", is_current=True)

    refused(lambda: ExamSittingFactory(code="2027-10", is_current=True))
    ExamSittingFactory(code="2027-10", is_current=False)
    assert ExamSitting.objects.filter(is_current=True).count() == 1


def test_a_window_ends_after_it_starts(gansu):
    start = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)

    refused(lambda: BusinessWindowFactory(starts_at=start, ends_at=start))


def test_one_window_per_business_sitting_and_area_with_empty_meaning_province_wide(gansu):
    sitting, area = ExamSittingFactory(), ExamAreaFactory()
    BusinessWindowFactory(sitting=sitting)
    BusinessWindowFactory(sitting=sitting, exam_area=area)
    BusinessWindowFactory(sitting=None, kind=BusinessWindow.Kind.FILING)

    refused(lambda: BusinessWindowFactory(sitting=sitting))
    refused(lambda: BusinessWindowFactory(sitting=sitting, exam_area=area))
    refused(lambda: BusinessWindowFactory(sitting=None, kind=BusinessWindow.Kind.FILING))
    BusinessWindowFactory(sitting=sitting, kind=BusinessWindow.Kind.REFUND)  # another business is fine


def test_one_session_per_half_day(gansu):
    session = SittingSessionFactory()

    refused(lambda: SittingSessionFactory(sitting=session.sitting, date=session.date, half_day=session.half_day))
    refused(lambda: SittingSessionFactory(date=datetime.date(2027, 4, 11), start_time=datetime.time(11, 30),
                                          end_time=datetime.time(9, 0)))


def test_codes_have_their_formats(gansu):
    refused(lambda: CourseFactory(code="0015"))
    refused(lambda: CourseFactory(code="0001A"))
    refused(lambda: MajorFactory(code="05-105"))
    refused(lambda: ExamSittingFactory(code="2027-13"))
    assert MajorFactory(code="120203K").code == "120203K"


def test_codes_are_unique(gansu):
    CourseFactory(code="00015")
    MajorFactory(code="050105")

    refused(lambda: Course.objects.create(code="00015", name="英语", credits=1))
    refused(lambda: MajorFactory(code="050105"))


def test_a_major_in_transition_has_an_end_date(gansu):
    refused(lambda: MajorFactory(status=Major.Status.TRANSITION, transition_ends_on=None))
    assert MajorFactory(status=Major.Status.TRANSITION, transition_ends_on=datetime.date(2028, 12, 31)).pk
