"""A major with a plan of four courses, a 免考 rule of each kind, the offices that review (考区, then the
province authority), a candidate of that major in the current sitting, and the 免考 window."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow
from kaowu.catalog.tests.factories import CourseFactory, ExamSittingFactory, MajorFactory, PlanCourseFactory
from kaowu.exemptions.models import ExemptionRule
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory
from kaowu.testing.files import png_bytes


@pytest.fixture
def offices(gansu):
    return {
        "area": OfficeFactory(kind=Office.Kind.EXAM_AREA, code="EA6201", name="兰州市考区",
                              region=Region.objects.get(code="620100")),
        "province": OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, code="P62", name="甘肃省教育考试院",
                                  region=Region.objects.get(code="620000")),
        "district": OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, code="D620102", name="城关区招生办",
                                  region=Region.objects.get(code="620102")),
    }


@pytest.fixture
def staff(offices):
    return {key: StaffMemberFactory(office=office) for key, office in offices.items()}


@pytest.fixture
def plan(db):
    major = MajorFactory(code="120203K", name="会计学")
    courses = {code: CourseFactory(code=code, name=name) for code, name in
               [("00015", "英语（二）"), ("03708", "中国近现代史纲要"), ("00067", "财务管理学"),
                ("00018", "计算机应用基础")]}
    for course in courses.values():
        PlanCourseFactory(major=major, course=course)
    outside = CourseFactory(code="00041", name="基础会计学")  # not in the plan
    return {"major": major, "courses": courses, "outside": outside}


@pytest.fixture
def rules(plan):
    c = plan["courses"]
    academic = ExemptionRule.objects.create(kind=ExemptionRule.Kind.ACADEMIC, certificate="专科及以上学历",
                                            major=plan["major"])
    academic.courses.set([c["03708"], c["00018"]])
    english = ExemptionRule.objects.create(kind=ExemptionRule.Kind.NON_ACADEMIC, major=plan["major"],
                                           certificate="全国大学英语四级（CET-4）425分及以上")
    english.courses.set([c["00015"]])
    return {"academic": academic, "english": english}


@pytest.fixture
def sitting(db):
    return ExamSittingFactory(code="2030-04", is_current=True)


@pytest.fixture
def window(sitting):
    now = timezone.now()
    return BusinessWindow.objects.create(kind=BusinessWindow.Kind.EXEMPTION, sitting=sitting,
                                         starts_at=now - datetime.timedelta(days=1),
                                         ends_at=now + datetime.timedelta(days=10))


@pytest.fixture
def candidate(offices, plan):
    candidate = CandidateFactory(district=Region.objects.get(code="620102"))
    ExamNumberFactory(candidate=candidate, exam_area=offices["area"], number="010219100023",
                      major_name=plan["major"].name)
    return candidate


def scan(name="cert.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")
