"""汉语言文学 (050105) examined by 西北师范大学: three required theory courses, an elective group (任选一门)
of two theory courses, a practice course and the thesis (07042); a candidate of that major in the current
sitting; the 毕业论文答辩申请 window; the university's reviewer and another university's."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow, Course, PlanCourse
from kaowu.catalog.tests.factories import (
    CourseFactory,
    ExamSittingFactory,
    MajorFactory,
    PlanCourseFactory,
    UniversityFactory,
)
from kaowu.organization.models import Office, Region
from kaowu.records.models import PassedCourse
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory

THEORY = ("03708", "00529", "00535")
ELECTIVES = ("00037", "00536")


@pytest.fixture
def universities(gansu):
    return {"nwnu": UniversityFactory(code="U10736", name="西北师范大学"),
            "lzu": UniversityFactory(code="U10730", name="兰州大学")}


@pytest.fixture
def staff(universities):
    province = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, code="P62", name="甘肃省教育考试院",
                             region=Region.objects.get(code="620000"))
    return {"nwnu": StaffMemberFactory(office=universities["nwnu"]),
            "lzu": StaffMemberFactory(office=universities["lzu"]),
            "province": StaffMemberFactory(office=province)}


@pytest.fixture
def plan(universities):
    major = MajorFactory(code="050105", name="汉语言文学", university=universities["nwnu"])
    names = {"03708": "中国近现代史纲要", "00529": "文学概论（一）", "00535": "现代汉语", "00037": "美学",
             "00536": "古代汉语"}
    courses = {code: CourseFactory(code=code, name=name) for code, name in names.items()}
    courses["00538"] = CourseFactory(code="00538", name="写作实践", kind=Course.Kind.PRACTICE)
    courses["07042"] = CourseFactory(code="07042", name="汉语言文学专业毕业论文", credits=8, kind=Course.Kind.THESIS)
    for position, code in enumerate((*THEORY, "00538", "07042")):
        PlanCourseFactory(major=major, course=courses[code], position=position)
    for position, code in enumerate(ELECTIVES, start=10):
        PlanCourseFactory(major=major, course=courses[code], position=position,
                          requirement=PlanCourse.Requirement.ELECTIVE, group_label="选考课程（任选一门）")
    return {"major": major, "courses": courses}


@pytest.fixture
def sitting(db):
    return ExamSittingFactory(code="2030-04", is_current=True)


@pytest.fixture
def window(sitting):
    now = timezone.now()
    return BusinessWindow.objects.create(kind=BusinessWindow.Kind.THESIS, sitting=sitting,
                                         starts_at=now - datetime.timedelta(days=1),
                                         ends_at=now + datetime.timedelta(days=10))


@pytest.fixture
def candidate(plan):
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, code="EA6201", name="兰州市考区",
                         region=Region.objects.get(code="620100"))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="张浩然")
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010219100023", major_name="汉语言文学")
    return candidate


def pass_courses(candidate, plan, *codes, source=PassedCourse.Source.EXAM):
    for code in codes:
        PassedCourse.objects.create(candidate=candidate, course=plan["courses"][code], source=source,
                                    score=Decimal("70") if source == PassedCourse.Source.EXAM else None,
                                    passed_on=datetime.date(2025, 5, 10))


@pytest.fixture
def eligible(candidate, plan):
    """Every theory course passed but 现代汉语 (one short: within the default allowance of 1)."""
    pass_courses(candidate, plan, "03708", "00529", "00037")
    return candidate
