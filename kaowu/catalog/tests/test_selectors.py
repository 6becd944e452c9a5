"""What later issues read: the current sitting, the courses a candidate may register for, the majors
open to new candidates."""

import datetime

from kaowu.catalog.models import Major
from kaowu.catalog.selectors import (
    current_sitting,
    majors_open_to_new_candidates,
    sitting_courses_all,
    sitting_courses_for_major,
    sitting_exam_areas,
)

from .factories import (
    CourseFactory,
    ExamAreaFactory,
    ExamSittingFactory,
    MajorFactory,
    PlanCourseFactory,
    SittingCourseFactory,
    SittingExamAreaFactory,
    SittingSessionFactory,
)


def test_current_sitting(gansu):
    assert current_sitting() is None
    ExamSittingFactory(code="2026-10")
    april = ExamSittingFactory(code="2027-04", is_current=True)

    assert current_sitting() == april


def test_own_major_courses_are_the_plan_courses_the_sitting_offers(gansu):
    sitting = ExamSittingFactory(is_current=True)
    session = SittingSessionFactory(sitting=sitting)
    chinese, law = MajorFactory(name="汉语言文学"), MajorFactory(name="法学")
    english, logic, criminal_law, not_offered = (CourseFactory(code=c) for c in ("00015", "00024", "00245", "00037"))
    for course in (english, logic, not_offered):
        PlanCourseFactory(major=chinese, course=course)
    PlanCourseFactory(major=law, course=criminal_law)
    PlanCourseFactory(major=law, course=english)
    for course in (english, logic, criminal_law):
        SittingCourseFactory(session=session, course=course)
    other_sitting = SittingCourseFactory(course=not_offered)  # offered in another sitting only

    own = [sc.course.code for sc in sitting_courses_for_major(sitting=sitting, major=chinese)]
    everything = [sc.course.code for sc in sitting_courses_all(sitting=sitting)]

    assert own == ["00015", "00024"]
    assert everything == ["00015", "00024", "00245"]
    assert other_sitting.sitting != sitting


def test_timetable_order_is_by_date_then_half_day(gansu):
    sitting = ExamSittingFactory()
    late = SittingSessionFactory(sitting=sitting, date=datetime.date(2027, 4, 11))
    afternoon = SittingSessionFactory(sitting=sitting, half_day="pm", start_time=datetime.time(14, 30),
                                      end_time=datetime.time(17, 0))
    morning = SittingSessionFactory(sitting=sitting)
    for session, code in ((late, "00001"), (afternoon, "00002"), (morning, "00003")):
        SittingCourseFactory(session=session, course=CourseFactory(code=code))

    assert [sc.course.code for sc in sitting_courses_all(sitting=sitting)] == ["00003", "00002", "00001"]


def test_majors_in_transition_or_closed_take_no_new_candidates(gansu):
    MajorFactory(code="050105")
    MajorFactory(code="030302", status=Major.Status.TRANSITION, transition_ends_on=datetime.date(2028, 12, 31))
    MajorFactory(code="020101", status=Major.Status.CLOSED)

    assert [m.code for m in majors_open_to_new_candidates()] == ["050105"]


def test_exam_areas_of_a_sitting(gansu):
    sitting = ExamSittingFactory()
    lanzhou, gannan = ExamAreaFactory(code="EA6201"), ExamAreaFactory(code="EA6230")
    ExamAreaFactory(code="EA6205")
    for area in (gannan, lanzhou):
        SittingExamAreaFactory(sitting=sitting, exam_area=area)

    assert list(sitting_exam_areas(sitting=sitting)) == [lanzhou, gannan]
