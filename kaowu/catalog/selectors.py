"""Reading the catalog: the current sitting, what a candidate may register for, the public queries
(专业计划查询, 考试计划, 教材查询, 通知公告) and the staff lists.

Later issues (报考, 缴费, 准考证) read the catalog through these functions."""

from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from kaowu.organization.models import Office, StaffMember

from .models import (
    Announcement,
    BusinessWindow,
    Course,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
    SittingExamArea,
    SittingSession,
)

# --- Who may change the catalog -------------------------------------------------------------------


def catalog_editable_by(*, staff: StaffMember) -> bool:
    """The catalog is the province's: only staff of the province authority change it; everyone else reads."""
    return staff.office.kind == Office.Kind.PROVINCE_AUTHORITY


# --- Sittings -------------------------------------------------------------------------------------


def current_sitting() -> ExamSitting | None:
    """The sitting 报考, 缴费 and 准考证打印 work on (at most one: a database constraint)."""
    return ExamSitting.objects.filter(is_current=True).first()


def sittings_published() -> QuerySet[ExamSitting]:
    return ExamSitting.objects.filter(is_published=True).order_by("-is_current", "-code")


def sitting_exam_areas(*, sitting: ExamSitting) -> QuerySet[Office]:
    """The 考区 a candidate may choose as 报考考区 in this sitting."""
    return Office.objects.filter(sitting_links__sitting=sitting, is_active=True).order_by("code")


def sitting_holds_exam_area(*, sitting: ExamSitting, exam_area: Office) -> bool:
    return SittingExamArea.objects.filter(sitting=sitting, exam_area=exam_area).exists()


# --- What a candidate can register for ------------------------------------------------------------


def _offered(sitting: ExamSitting) -> QuerySet[SittingCourse]:
    return (SittingCourse.objects.filter(sitting=sitting)
            .select_related("course__textbook", "session")
            .order_by("session__date", "session__half_day", "course__code"))


def sitting_courses_for_major(*, sitting: ExamSitting, major: Major) -> QuerySet[SittingCourse]:
    """The courses of the major's plan that the sitting offers (报考: “本专业课程”)."""
    return _offered(sitting).filter(course__plan_entries__major=major)


def sitting_courses_all(*, sitting: ExamSitting) -> QuerySet[SittingCourse]:
    """Every course the sitting offers, whatever the major (报考: “显示全部开考课程”)."""
    return _offered(sitting)


def majors_open_to_new_candidates() -> QuerySet[Major]:
    """Majors a new candidate may choose: not 停考过渡期, not 停考."""
    return Major.objects.filter(status=Major.Status.OPEN).select_related("university").order_by("code")


# --- Public queries -------------------------------------------------------------------------------


def majors_search(*, query: str = "", level: str = "", statuses=None) -> QuerySet[Major]:
    """专业计划查询: by code or (part of) the name, optionally by level."""
    majors = Major.objects.select_related("university").annotate(course_count=Count("plan_courses"))
    query = (query or "").strip()
    if query:
        majors = majors.filter(Q(code__iexact=query) | Q(name__icontains=query) | Q(code__istartswith=query))
    if level:
        majors = majors.filter(level=level)
    if statuses:
        majors = majors.filter(status__in=statuses)
    return majors.order_by("code")


def major_plan(*, major: Major) -> list[PlanCourse]:
    """A major's plan in order: required courses first, then each elective group."""
    return list(major.plan_courses.select_related("course__textbook").order_by(
        "requirement", "group_label", "position", "course__code"))


def major_plan_offerings(*, major: Major, sitting: ExamSitting | None) -> dict[int, SittingCourse]:
    """{course id: offered course} for the courses of the major's plan that the sitting offers."""
    if sitting is None:
        return {}
    return {sc.course_id: sc for sc in sitting_courses_for_major(sitting=sitting, major=major)}


def courses_search(*, query: str = "", kind: str = "") -> QuerySet[Course]:
    """教材查询 / 课程列表: by code (exact or prefix) or (part of) the name."""
    courses = Course.objects.select_related("textbook")
    query = (query or "").strip()
    if query:
        courses = courses.filter(Q(code__startswith=query) | Q(name__icontains=query)
                                 | Q(textbook__title__icontains=query))
    if kind:
        courses = courses.filter(kind=kind)
    return courses.order_by("code")


def sitting_timetable(*, sitting: ExamSitting, major: Major | None = None) -> list[dict]:
    """考试计划 / 课程考试安排: the sitting's sessions by date and half-day, each with its courses
    (of one major's plan when `major` is given). Dates without a course are left out.

        [{"date": date, "sessions": [{"session": SittingSession, "courses": [SittingCourse, …]}, …]}, …]
    """
    offered = sitting_courses_for_major(sitting=sitting, major=major) if major else sitting_courses_all(sitting=sitting)
    sessions = (SittingSession.objects.filter(sitting=sitting).order_by("date", "half_day")
                .prefetch_related(Prefetch("courses", queryset=offered, to_attr="listed")))
    days = []
    for date, group in groupby(sessions, key=lambda s: s.date):
        rows = [{"session": s, "courses": s.listed} for s in group]
        if major is not None:
            rows = [r for r in rows if r["courses"]]
        if rows:
            days.append({"date": date, "sessions": rows})
    return days


def announcements_published(*, category: str = "", now=None) -> QuerySet[Announcement]:
    now = now or timezone.now()
    items = Announcement.objects.filter(is_published=True, published_at__lte=now).select_related("sitting")
    if category:
        items = items.filter(category=category)
    return items.order_by("-published_at", "-pk")


def guide_for_sitting(*, sitting: ExamSitting | None) -> Announcement | None:
    """The published 报考简章 of a sitting (the one a candidate agrees to before 报考)."""
    if sitting is None:
        return None
    return announcements_published(category=Announcement.Category.GUIDE).filter(sitting=sitting).first()


# --- Staff lists ----------------------------------------------------------------------------------


def windows_search(*, sitting: ExamSitting | None = None, kind: str = "", no_sitting: bool = False):
    windows = BusinessWindow.objects.select_related("sitting", "exam_area")
    if no_sitting:
        windows = windows.filter(sitting__isnull=True)
    elif sitting is not None:
        windows = windows.filter(sitting=sitting)
    if kind:
        windows = windows.filter(kind=kind)
    return windows.order_by("-sitting__code", "starts_at", "kind", "exam_area__code")


def announcements_search(*, query: str = "", category: str = "") -> QuerySet[Announcement]:
    items = Announcement.objects.select_related("sitting")
    query = (query or "").strip()
    if query:
        items = items.filter(Q(title__icontains=query) | Q(body__icontains=query))
    if category:
        items = items.filter(category=category)
    return items.order_by("-published_at", "-pk")


def sittings_list() -> QuerySet[ExamSitting]:
    return ExamSitting.objects.annotate(
        course_count=Count("offered_courses", distinct=True),
        session_count=Count("sessions", distinct=True),
        area_count=Count("area_links", distinct=True),
    ).order_by("-code")


def universities() -> QuerySet[Office]:
    return Office.objects.filter(kind=Office.Kind.UNIVERSITY, is_active=True).order_by("code")


def exam_areas() -> QuerySet[Office]:
    return Office.objects.filter(kind=Office.Kind.EXAM_AREA, is_active=True).order_by("code")
