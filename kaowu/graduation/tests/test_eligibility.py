"""The one eligibility rule (`eligibility.evaluate`): required courses, elective groups, every source of
the 考籍 (考试合格, 转入, 免考, 实践), a course passed twice, a closed major."""

import datetime
from types import SimpleNamespace

import pytest

from kaowu.catalog.models import Course, Major, PlanCourse
from kaowu.catalog.tests.factories import CourseFactory, MajorFactory
from kaowu.graduation.eligibility import evaluate, group_needs, major_graduates, plan_of
from kaowu.graduation.planner import graduation_prediction
from kaowu.records.models import PassedCourse

pytestmark = pytest.mark.django_db


def ids(world, *codes):
    return {world.courses[code].pk for code in codes}


def test_required_and_one_elective_complete_the_plan(world):
    plan = plan_of(world.major)
    verdict = evaluate(plan, ids(world, "00015", "03708", "03709", "00312", "01848"))
    assert verdict.complete and verdict.eligible
    assert (verdict.credits_done, verdict.credits_required) == (31, 31)
    assert verdict.courses_missing == 0 and verdict.missing_course_ids == ()


def test_a_missing_elective_group_keeps_the_plan_incomplete_and_lists_its_courses(world):
    verdict = evaluate(plan_of(world.major), ids(world, "00015", "03708", "03709", "00312"))
    assert not verdict.complete and not verdict.eligible
    assert verdict.courses_missing == 1
    assert verdict.missing_course_ids == tuple(ids_in_order(world, "00024", "01848"))
    # the group asks one course: the cheapest missing one counts towards the credits required
    assert (verdict.credits_done, verdict.credits_required) == (26, 30)


def ids_in_order(world, *codes):
    return [world.courses[code].pk for code in codes]


def test_an_elective_group_asking_two_counts_at_most_two_and_the_highest_credits(world):
    extra = CourseFactory(code="00320", credits=3)
    PlanCourse.objects.filter(major=world.major, requirement="elective").update(group_label="选考课程（任选两门）")
    PlanCourse.objects.create(major=world.major, course=extra, requirement="elective", group_label="选考课程（任选两门）",
                              position=11)
    passed = ids(world, "00015", "03708", "03709", "00312", "00024", "01848") | {extra.pk}
    verdict = evaluate(plan_of(world.major), passed)
    assert verdict.complete
    assert verdict.credits_done == 26 + 5 + 4   # 01848 (5) and 00024 (4), not the third
    assert set(verdict.groups[0].counted) == ids(world, "01848", "00024")
    short = evaluate(plan_of(world.major), passed - ids(world, "01848", "00024"))
    assert not short.complete and short.courses_missing == 1


def test_every_source_counts_and_a_course_passed_twice_counts_once(world):
    candidate = world.numbers["n1"].candidate
    practice = CourseFactory(code="00313", credits=5, kind=Course.Kind.PRACTICE)
    PlanCourse.objects.create(major=world.major, course=practice, position=5)
    for code, source in [("00015", "exam"), ("03708", "transfer_in"), ("03709", "exemption"), ("00312", "exam"),
                         ("00024", "exemption")]:
        PassedCourse.objects.create(candidate=candidate, course=world.courses[code], source=source,
                                    passed_on="2025-05-01")
    record = list(PassedCourse.objects.filter(candidate=candidate))
    before = graduation_prediction(major=world.major, passed=record)
    assert not before.complete and [line.course.code for line in before.missing_required] == ["00313"]

    PassedCourse.objects.create(candidate=candidate, course=practice, passed_on="2025-06-01", note="实践考核合格")
    record = list(PassedCourse.objects.filter(candidate=candidate))
    # the same course twice (e.g. read from two 准考证号 before 合档): counted once
    twice = record + [SimpleNamespace(course_id=world.courses["00015"].pk, course=world.courses["00015"],
                                      source="transfer_in")]
    prediction = graduation_prediction(major=world.major, passed=twice)
    assert prediction.complete and prediction.eligible
    assert (prediction.credits_done, prediction.credits_required) == (35, 35)
    assert evaluate(plan_of(world.major), [c.course_id for c in twice]).credits_done == 35


def test_a_closed_major_is_never_eligible_and_a_transition_one_only_until_its_end(world):
    passed = ids(world, "00015", "03708", "03709", "00312", "00024")
    assert evaluate(plan_of(world.major), passed).eligible
    world.major.status = Major.Status.CLOSED
    world.major.save()
    closed = evaluate(plan_of(world.major), passed)
    assert closed.complete and not closed.eligible
    world.major.status, world.major.transition_ends_on = Major.Status.TRANSITION, datetime.date(2030, 6, 30)
    world.major.save()
    assert major_graduates(world.major, today=datetime.date(2030, 6, 30))
    assert not major_graduates(world.major, today=datetime.date(2030, 7, 1))


def test_a_plan_without_courses_is_never_complete_by_accident(world):
    major = MajorFactory()
    verdict = evaluate(plan_of(major), {1, 2, 3})
    assert not verdict.complete and not verdict.eligible
    assert verdict.credits_required == 0 and verdict.percent == 0


def test_group_needs_reads_chinese_and_arabic_numbers():
    assert (group_needs("任选两门"), group_needs("选3门"), group_needs("加考课程")) == (2, 3, 1)
