"""报考统计: registration figures of one sitting for staff, by exam area, by major or by course.

Pure reads. Every figure comes from one grouped query over the registered courses
(`values()` + `annotate()`), so a view costs the same few queries with ten or a million courses:
the rows (paginated by the database), the totals row and the chart's top rows.

What each figure counts (registered courses marked 已取消 — unpaid courses taken out by a change —
count nowhere):

- 报考人数: registrations that are not 已取消报考 (in the course view: registrations holding the
  course; a registration holds a course at most once);
- 报考科次: courses 待缴费 + 已缴费 + 退款中; 已缴费科次: 已缴费 + 退款中 (the money is still held);
  待缴费科次; 已退款科次; 已缴费金额: the fees of the 已缴费 + 退款中 courses;
- 跨专业科次 (course view): 报考科次 chosen outside the major's plan.

Who sees what is decided once, in `statistics_scope`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import Office, StaffMember

from .models import RegisteredCourse, Registration

CourseStatus = RegisteredCourse.Status

AREA, MAJOR, COURSE = "area", "major", "course"
DIMENSIONS = {AREA: _("按考区"), MAJOR: _("按专业"), COURSE: _("按课程")}

# The figures of a row, in table order: (key, Chinese header). `cross` only in the course view.
FIGURES = [
    ("registrations", _("报考人数")),
    ("registered", _("报考科次")),
    ("paid", _("已缴费科次")),
    ("unpaid", _("待缴费科次")),
    ("refunded", _("已退款科次")),
    ("paid_amount", _("已缴费金额（元）")),
    ("cross", _("跨专业科次")),
]

_ACTIVE = [CourseStatus.UNPAID, CourseStatus.PAID, CourseStatus.REFUNDING]
_PAID = [CourseStatus.PAID, CourseStatus.REFUNDING]
_COUNTED = [*_ACTIVE, CourseStatus.REFUNDED]

# The columns naming a row in each view: (key, header, path from RegisteredCourse).
_KEYS = {
    AREA: [("code", _("考区代码"), "registration__exam_area__code"),
           ("name", _("考区名称"), "registration__exam_area__name")],
    MAJOR: [("code", _("专业代码"), "registration__major__code"),
            ("name", _("专业名称"), "registration__major__name"),
            ("university", _("主考学校"), "registration__major__university__name")],
    COURSE: [("code", _("课程代码"), "course__code"),
             ("name", _("课程名称"), "course__name")],
}
_ID = {AREA: "registration__exam_area_id", MAJOR: "registration__major_id", COURSE: "course_id"}
_SEARCH = {MAJOR: ("registration__major__code", "registration__major__name"), COURSE: ("course__code", "course__name")}


class StatisticsNotAllowed(Exception):
    """The staff member's office has no 报考统计 (registration points)."""


@dataclass(frozen=True)
class StatisticsScope:
    """What part of the figures a staff member may read."""

    registration_lookups: dict  # lookups on Registration selecting what may be read (empty: everything)
    exam_area_q: Q              # on Office: the exam areas they may narrow the figures to
    label: str                  # 统计范围, shown on the page and in the Excel title

    def registration_q(self, prefix: str = "") -> Q:
        """Q selecting the readable registrations; `prefix` is the path from the queried model to the
        Registration (e.g. "registration__")."""
        return Q(**{f"{prefix}{lookup}": value for lookup, value in self.registration_lookups.items()})


def statistics_scope(*, staff: StaffMember) -> StatisticsScope:
    """The one place where 报考统计 is scoped.

    - 省级考试机构: every registration;
    - 市考办 and 区县招办: registrations in the exam areas of their city (area region code starts
      with the city's four digits);
    - 考区: registrations in that exam area;
    - 主考学校: registrations for the majors it examines, in every exam area;
    - 报名点 (and anything else): nothing — `StatisticsNotAllowed`.
    """
    office = staff.office
    kind = office.kind
    if kind == Office.Kind.PROVINCE_AUTHORITY:
        return StatisticsScope({}, Q(), gettext("全省"))
    if kind in (Office.Kind.CITY_OFFICE, Office.Kind.DISTRICT_OFFICE):
        city = office.region.code[:4]
        city_name = (office.region.parent.name if kind == Office.Kind.DISTRICT_OFFICE and office.region.parent
                     else office.region.name)
        return StatisticsScope(
            {"exam_area__kind": Office.Kind.EXAM_AREA, "exam_area__region__code__startswith": city},
            Q(region__code__startswith=city),
            gettext("%(city)s所辖考区") % {"city": city_name})
    if kind == Office.Kind.EXAM_AREA:
        return StatisticsScope({"exam_area": office}, Q(pk=office.pk), office.name)
    if kind == Office.Kind.UNIVERSITY:
        return StatisticsScope({"major__university": office}, Q(),
                               gettext("%(university)s主考专业") % {"university": office.name})
    raise StatisticsNotAllowed(jurisdiction_of(staff).label)


def statistics_exam_areas(*, scope: StatisticsScope, sitting) -> QuerySet[Office]:
    """The sitting's exam areas the reader may narrow the figures to."""
    return (Office.objects.filter(scope.exam_area_q, kind=Office.Kind.EXAM_AREA, sitting_links__sitting=sitting)
            .order_by("code").distinct())


def statistics_columns(dimension: str) -> list[tuple[str, str]]:
    """(key, header) of every column of a view: the naming columns, then the figures."""
    figures = FIGURES if dimension == COURSE else [f for f in FIGURES if f[0] != "cross"]
    return [(key, header) for key, header, _path in _KEYS[dimension]] + figures


def _figures(dimension: str) -> dict:
    if dimension == COURSE:
        registrations = Count("registration", distinct=True, filter=Q(status__in=_ACTIVE))
    else:
        registrations = Count("registration", distinct=True, filter=~Q(registration__status=Registration.Status.CANCELLED))
    figures = {
        "registrations": registrations,
        "registered": Count("pk", filter=Q(status__in=_ACTIVE)),
        "paid": Count("pk", filter=Q(status__in=_PAID)),
        "unpaid": Count("pk", filter=Q(status=CourseStatus.UNPAID)),
        "refunded": Count("pk", filter=Q(status=CourseStatus.REFUNDED)),
        "paid_amount": Sum("fee", filter=Q(status__in=_PAID), default=Decimal("0")),
    }
    if dimension == COURSE:
        figures["cross"] = Count("pk", filter=Q(status__in=_ACTIVE, cross_major=True))
    return figures


def _courses(*, scope: StatisticsScope, sitting, dimension: str, exam_area: Office | None,
             search: str) -> QuerySet[RegisteredCourse]:
    courses = RegisteredCourse.objects.filter(scope.registration_q("registration__"), registration__sitting=sitting,
                                              status__in=_COUNTED)
    if exam_area is not None:
        courses = courses.filter(registration__exam_area=exam_area)
    search = (search or "").strip()
    if search and dimension in _SEARCH:
        code, name = _SEARCH[dimension]
        courses = courses.filter(Q(**{f"{code}__istartswith": search}) | Q(**{f"{name}__icontains": search}))
    return courses.order_by()


def statistics_rows(*, scope: StatisticsScope, sitting, dimension: str, exam_area: Office | None = None,
                    search: str = "") -> QuerySet:
    """One dict per exam area / major / course: `key` (id), the naming columns and the figures,
    ordered by code. One grouped query; paginate it as it is."""
    names = {key: F(path) for key, _header, path in _KEYS[dimension]}
    return (_courses(scope=scope, sitting=sitting, dimension=dimension, exam_area=exam_area, search=search)
            .values(key=F(_ID[dimension]), **names)
            .annotate(**_figures(dimension))
            .order_by("code", "key"))


def statistics_totals(*, scope: StatisticsScope, sitting, dimension: str, exam_area: Office | None = None,
                      search: str = "") -> dict:
    """The 合计 row of the same rows (报考人数 counts each registration once)."""
    return _courses(scope=scope, sitting=sitting, dimension=dimension, exam_area=exam_area,
                    search=search).aggregate(**_figures(dimension))


def statistics_top(rows: QuerySet, *, limit: int = 15) -> list[dict]:
    """The rows with the most 报考科次, for the chart."""
    return list(rows.order_by("-registered", "code")[:limit])
