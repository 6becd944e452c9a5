"""factory-boy factories shared by every app's tests."""

import itertools

import factory
from django.utils import timezone
from stdnum.cn import ric

from kaowu.accounts.models import User
from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.organization.models import Office, Region, StaffMember

TEST_PASSWORD = "Kaowu-test-2027!"
_serial = itertools.count(1)


def make_id_number(region_code: str = "620102", birth: str = "19950307") -> str:
    """A valid (checksummed) 18-digit ID number; the sequence part makes each one unique."""
    seq = f"{next(_serial) % 1000:03d}"
    body = f"{region_code}{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def make_phone() -> str:
    return f"139{next(_serial):08d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    kind = User.Kind.CANDIDATE
    exam_type = User.ExamType.SELF_STUDY
    real_name = factory.Iterator(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"])
    id_number = factory.LazyFunction(make_id_number)
    phone = factory.LazyFunction(make_phone)
    password = factory.django.Password(TEST_PASSWORD)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    user = factory.SubFactory(UserFactory)
    district = factory.LazyFunction(lambda: Region.objects.get(code="620102"))


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = Office.Kind.DISTRICT_OFFICE
    region = factory.LazyFunction(lambda: Region.objects.get(code="620102"))
    address = "甘肃省兰州市城关区测试路1号"
    phone = "0931-0000000"


class StaffUserFactory(UserFactory):
    kind = User.Kind.STAFF
    exam_type = ""
    id_number = None
    phone = None
    username = factory.Sequence(lambda n: f"staff{n}")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(StaffUserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = StaffMember.Role.REVIEWER


class ExamNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamNumber

    number = factory.Sequence(lambda n: f"0101{n:08d}")
    candidate = factory.SubFactory(CandidateFactory)
    exam_area = factory.SubFactory(OfficeFactory, kind=Office.Kind.EXAM_AREA)
    issued_at = factory.LazyFunction(timezone.now)
