"""Reading the 考籍."""

from django.db.models import QuerySet

from .models import PassedCourse


def passed_course_ids(*, candidate) -> set[int]:
    return set(PassedCourse.objects.filter(candidate=candidate).values_list("course_id", flat=True))


def passed_courses_of(*, candidate) -> QuerySet[PassedCourse]:
    return PassedCourse.objects.filter(candidate=candidate).select_related("course", "sitting")
