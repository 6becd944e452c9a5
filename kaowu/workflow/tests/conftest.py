"""A test application type with a two-step chain (区县招办 of the candidate's district → 市考办 of its
city) in the 信息变更申请 window, and the offices, staff and candidate to run it."""

import datetime

import pytest
from django import forms
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow
from kaowu.core.text import Form
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory
from kaowu.workflow.types import (
    ApplicationType,
    ReviewStep,
    city_office_of_candidate,
    district_office_of_candidate,
    register,
)

TEST_TYPE = "test_change"
APPROVED_CALLS = []


class ChangeForm(Form):
    value = forms.CharField()


def describe(data):
    return [("新值", data.get("value", ""))]


register(ApplicationType(
    code=TEST_TYPE, label="测试变更", form_class=ChangeForm,
    review_chain=(ReviewStep("区县招办审核", Office.Kind.DISTRICT_OFFICE, district_office_of_candidate),
                  ReviewStep("市考办审核", Office.Kind.CITY_OFFICE, city_office_of_candidate)),
    describe=describe, window_kind=BusinessWindow.Kind.CHANGE_REQUEST, window_per_sitting=False,
    on_approved=lambda application: APPROVED_CALLS.append(application.number),
    attachment_kinds={"proof": "证明材料"},
))


@pytest.fixture
def change_window(db):
    now = timezone.now()
    return BusinessWindow.objects.create(kind=BusinessWindow.Kind.CHANGE_REQUEST, starts_at=now - datetime.timedelta(days=1),
                                         ends_at=now + datetime.timedelta(days=10))


@pytest.fixture
def offices(gansu):
    return {
        "district": OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, code="D620102", name="城关区招生办",
                                  region=Region.objects.get(code="620102")),
        "other_district": OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, code="D620103", name="七里河区招生办",
                                        region=Region.objects.get(code="620103")),
        "city": OfficeFactory(kind=Office.Kind.CITY_OFFICE, code="C6201", name="兰州市教育考试院",
                              region=Region.objects.get(code="620100")),
        "tianshui": OfficeFactory(kind=Office.Kind.CITY_OFFICE, code="C6205", name="天水市招生考试办公室",
                                  region=Region.objects.get(code="620500")),
        "area": OfficeFactory(kind=Office.Kind.EXAM_AREA, code="EA6201", name="兰州市考区",
                              region=Region.objects.get(code="620100")),
    }


@pytest.fixture
def staff(offices):
    return {key: StaffMemberFactory(office=office) for key, office in offices.items()}


@pytest.fixture
def candidate(offices):
    candidate = CandidateFactory(district=Region.objects.get(code="620102"))
    ExamNumberFactory(candidate=candidate, exam_area=offices["area"], number="010219100023")
    return candidate


@pytest.fixture
def exam_number(candidate):
    return candidate.exam_numbers.get()
