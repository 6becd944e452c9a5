"""毕业申请's world on records' (graduation/tests/conftest.py `world`): 行政管理 (120402, 本科, 30 credits:
00015 14, 03708 2, 03709 4, 00312 6 required + 00024 4 / 01848 5 任选一门) examined by a 主考学校 with a
reviewer, the province's reviewer, a candidate (n4) whose 考籍 completes it, a 证件照, and the 毕业申请
window open. Import the fixtures into a test module: `from .application_fixtures import *  # noqa: F403`."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kaowu.catalog.models import BusinessWindow, Major, PlanCourse
from kaowu.catalog.tests.factories import MajorFactory
from kaowu.graduation.application import CODE
from kaowu.graduation.degreecheck import DEV_FAILING, DEV_TIMEOUT
from kaowu.records.models import PassedCourse
from kaowu.testing.factories import StaffMemberFactory
from kaowu.testing.files import jpeg_bytes, png_bytes

PASSING = "125811202106000123"
FAILING, TIMEOUT = DEV_FAILING, DEV_TIMEOUT
COMPLETING = ("00015", "03708", "03709", "00312", "00024")
REGISTER = {"work_unit": "兰州市城关区人民政府", "address": "甘肃省兰州市城关区庆阳路1号", "postcode": "730030",
            "phone": "13893100199", "resume": [{"period": "2012.09—2015.07", "unit": "兰州职业技术学院", "role": "学生"}],
            "self_assessment": "遵纪守法，刻苦自学，按计划完成了全部课程。"}

__all__ = ["grad", "passes", "PASSING", "FAILING", "TIMEOUT", "REGISTER", "material", "give_photo", "media"]


def passes(candidate, courses, codes):
    for code in codes:
        PassedCourse.objects.get_or_create(candidate=candidate, course=courses[code],
                                           defaults={"source": PassedCourse.Source.TRANSFER_IN,
                                                     "passed_on": datetime.date(2025, 5, 1)})


def give_photo(user):
    from kaowu.identity.models import Photo, Verification

    verification, _ = Verification.objects.get_or_create(user=user, kind=Verification.Kind.THREE_PHOTOS,
                                                         defaults={"status": Verification.Status.PASSED})
    return Photo.objects.create(verification=verification, kind=Photo.Kind.ID_PHOTO, width=120, height=160,
                                sha256="0" * 64, file=ContentFile(jpeg_bytes(120, 160), name="id.jpg"))


def material(name="备案表.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def grad(world, media):
    major = world.major
    university = major.university
    now = timezone.now()
    window = BusinessWindow.objects.create(kind=BusinessWindow.Kind.GRADUATION, sitting=None,
                                           starts_at=now - datetime.timedelta(days=1),
                                           ends_at=now + datetime.timedelta(days=10))
    number = world.numbers["n4"]
    candidate = number.candidate
    passes(candidate, world.courses, COMPLETING)
    junior = MajorFactory(code="690206", name="行政管理（专科）", level=Major.Level.JUNIOR_COLLEGE,
                          university=university)
    for position, code in enumerate(("00015", "03708")):
        PlanCourse.objects.create(major=junior, course=world.courses[code], position=position)
    return SimpleNamespace(
        world=world, major=major, junior=junior, candidate=candidate, user=candidate.user, number=number,
        window=window, code=CODE, courses=world.courses,
        university_staff=StaffMemberFactory(office=university), province_staff=world.province_staff,
        other_university_staff=StaffMemberFactory(office=MajorFactory().university))
