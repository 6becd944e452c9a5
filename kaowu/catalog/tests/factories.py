"""factory-boy factories for the catalog."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from kaowu.organization.models import Office, Region
from kaowu.testing.factories import OfficeFactory

from ..models import (
    Announcement,
    BusinessWindow,
    Course,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
    SittingExamArea,
    SittingSession,
    Textbook,
)


def _region(code: str):
    return factory.LazyFunction(lambda: Region.objects.get(code=code))


class UniversityFactory(OfficeFactory):
    kind = Office.Kind.UNIVERSITY
    name = factory.Sequence(lambda n: f"测试大学{n}")


class ExamAreaFactory(OfficeFactory):
    kind = Office.Kind.EXAM_AREA
    name = factory.Sequence(lambda n: f"测试考区{n}")
    region = _region("620100")


class TextbookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Textbook

    title = factory.Sequence(lambda n: f"测试教材{n}")
    author = "张明"
    publisher = "高等教育出版社"
    edition = "2023年版"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"测试课程{n}")
    credits = 4
    kind = Course.Kind.THEORY
    textbook = factory.SubFactory(TextbookFactory)


class MajorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Major

    code = factory.Sequence(lambda n: f"{990000 + n:06d}")
    name = factory.Sequence(lambda n: f"测试专业{n}")
    level = Major.Level.BACHELOR
    university = factory.SubFactory(UniversityFactory)
    status = Major.Status.OPEN


class PlanCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanCourse

    major = factory.SubFactory(MajorFactory)
    course = factory.SubFactory(CourseFactory)
    requirement = PlanCourse.Requirement.REQUIRED


class ExamSittingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamSitting

    code = factory.Sequence(lambda n: f"{2030 + n}-04")
    name = factory.LazyAttribute(lambda o: f"{o.code[:4]}年{int(o.code[5:])}月")
    is_current = False


class SittingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SittingSession

    sitting = factory.SubFactory(ExamSittingFactory)
    date = datetime.date(2027, 4, 10)
    half_day = SittingSession.HalfDay.MORNING
    start_time = datetime.time(9, 0)
    end_time = datetime.time(11, 30)


class SittingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SittingCourse

    session = factory.SubFactory(SittingSessionFactory)
    sitting = factory.LazyAttribute(lambda o: o.session.sitting)
    course = factory.SubFactory(CourseFactory)
    fee = Decimal("30.00")


class SittingExamAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SittingExamArea

    sitting = factory.SubFactory(ExamSittingFactory)
    exam_area = factory.SubFactory(ExamAreaFactory)


class BusinessWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessWindow

    kind = BusinessWindow.Kind.COURSE_REGISTRATION
    sitting = factory.SubFactory(ExamSittingFactory)
    exam_area = None
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(days=10))


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    title = factory.Sequence(lambda n: f"测试公告{n}")
    category = Announcement.Category.NOTICE
    body = "第一段。\n\n第二段。"
    is_published = True
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
