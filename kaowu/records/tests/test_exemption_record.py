"""`passed_course_exempt`: the public call a 免考 uses to put an exempted course on the 考籍."""

import datetime
from decimal import Decimal

from kaowu.catalog.tests.factories import CourseFactory
from kaowu.records.models import PassedCourse
from kaowu.records.selectors import passed_course_ids
from kaowu.records.services import passed_course_exempt
from kaowu.testing.factories import CandidateFactory


def test_an_exempted_course_joins_the_record_without_a_score(gansu):
    candidate, course = CandidateFactory(), CourseFactory(code="03708")
    assert passed_course_exempt(candidate=candidate, course=course, note="免考申请 M1") is True
    record = PassedCourse.objects.get(candidate=candidate)
    assert (record.source, record.score, record.note) == (PassedCourse.Source.EXEMPTION, None, "免考申请 M1")
    assert course.pk in passed_course_ids(candidate=candidate)  # what 报考 refuses


def test_a_course_already_on_the_record_is_left_as_it_is(gansu):
    candidate, course = CandidateFactory(), CourseFactory(code="00015")
    PassedCourse.objects.create(candidate=candidate, course=course, source=PassedCourse.Source.EXAM,
                                score=Decimal("72"), passed_on=datetime.date(2024, 5, 1))
    assert passed_course_exempt(candidate=candidate, course=course) is False
    record = PassedCourse.objects.get(candidate=candidate)
    assert (record.source, record.score) == (PassedCourse.Source.EXAM, Decimal("72"))
