"""报考统计: registration figures of one sitting for staff, by exam area, by major or by course.

Pure reads, in a fixed number of queries whatever the volume (three per view): one grouped scan of
the registered courses (`values()` + `annotate()`, grouped by id only), one grouped count of the
registrations (报考人数), and one small query for the codes and names of the rows. The rows are
few — the exam areas, majors or courses of one sitting, a few thousand at most — so paging, the
totals row and the chart's top rows are worked out from them in Python.

What each figure counts (registered courses marked 已取消 — unpaid courses taken out by a change —
count nowhere):

- 报考人数: registrations that are not 已取消报考 (in the course view: registrations holding the
  course; a registration holds a course at most once; the 合计 counts each registration once);
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

from kaowu.catalog.models import Course, Major
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

# The columns naming a row in each view: (key, header).
_KEYS = {
    AREA: [("code", _("考区代码")), ("name", _("考区名称"))],
    MAJOR: [("code", _("专业代码")), ("name", _("专业名称")), ("university", _("主考学校"))],
    COURSE: [("code", _("课程代码")), ("name", _("课程名称"))],
}
# What a row is, from RegisteredCourse.
_GROUP = {AREA: "registration__exam_area_id", MAJOR: "registration__major_id", COURSE: "course_id"}


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
    return _KEYS[dimension] + figures


_FIGURES = {
    "registered": Count("pk", filter=Q(status__in=_ACTIVE)),
    "paid": Count("pk", filter=Q(status__in=_PAID)),
    "unpaid": Count("pk", filter=Q(status=CourseStatus.UNPAID)),
    "refunded": Count("pk", filter=Q(status=CourseStatus.REFUNDED)),
    "paid_amount": Sum("fee", filter=Q(status__in=_PAID), default=Decimal("0")),
}


@dataclass
class StatisticsTable:
    """One view: `rows` (dicts with `key` (id), the naming columns and the figures, ordered by code)
    and `totals` (the 合计 row's figures)."""

    dimension: str
    rows: list[dict]
    totals: dict

    @property
    def columns(self) -> list[tuple[str, str]]:
        return statistics_columns(self.dimension)

    def top(self, limit: int = 15) -> list[dict]:
        """The rows with the most 报考科次, for the chart."""
        return sorted(self.rows, key=lambda row: (-row["registered"], row["code"]))[:limit]


def _search_q(dimension: str, search: str, *, field: str) -> Q:
    """The search box (major and course views): rows whose code starts with it or whose name contains
    it. Matched in the catalog first (a subquery), so that the big scan filters on an indexed id."""
    if not search or dimension not in (MAJOR, COURSE):
        return Q()
    model = Major if dimension == MAJOR else Course
    matching = model.objects.filter(Q(code__istartswith=search) | Q(name__icontains=search)).values("pk")
    return Q(**{f"{field}__in": matching})


def _names(dimension: str, keys: list) -> dict:
    if dimension == AREA:
        items = Office.objects.filter(pk__in=keys).values("pk", "code", "name")
    elif dimension == MAJOR:
        majors = Major.objects.filter(pk__in=keys).values_list("pk", "code", "name", "university__name")
        return {pk: {"code": code, "name": name, "university": university} for pk, code, name, university in majors}
    else:
        items = Course.objects.filter(pk__in=keys).values("pk", "code", "name")
    return {item.pop("pk"): item for item in items}


def statistics_table(*, scope: StatisticsScope, sitting, dimension: str, exam_area: Office | None = None,
                     search: str = "") -> StatisticsTable:
    """The rows and the 合计 of one view of one sitting, inside the reader's scope, narrowed to one
    exam area and (major and course views) to codes starting with / names containing `search`."""
    group = _GROUP[dimension]
    search = (search or "").strip()
    courses = RegisteredCourse.objects.filter(scope.registration_q("registration__"), registration__sitting=sitting,
                                              status__in=_COUNTED)
    registrations = Registration.objects.filter(scope.registration_q(), sitting=sitting).exclude(
        status=Registration.Status.CANCELLED)
    if exam_area is not None:
        courses = courses.filter(registration__exam_area=exam_area)
        registrations = registrations.filter(exam_area=exam_area)
    courses = courses.filter(_search_q(dimension, search, field=group))
    figures = dict(_FIGURES)
    if dimension == COURSE:
        figures["cross"] = Count("pk", filter=Q(status__in=_ACTIVE, cross_major=True))
    grouped = list(courses.order_by().values(key=F(group)).annotate(**figures))

    if dimension == COURSE:
        # A registration holds a course at most once: its 报考人数 is its 报考科次.
        people = {row["key"]: row["registered"] for row in grouped}
        if search:
            total_people = courses.filter(status__in=_ACTIVE).aggregate(
                n=Count("registration", distinct=True))["n"]
        else:  # every registration that is not cancelled holds a course
            total_people = registrations.count()
    else:
        field = group.removeprefix("registration__")
        people = dict(registrations.filter(_search_q(dimension, search, field="major_id")).order_by()
                      .values(field).annotate(n=Count("pk")).values_list(field, "n"))
        total_people = sum(people.values())  # a registration has one exam area and one major

    names = _names(dimension, [row["key"] for row in grouped])
    rows = [{**names.get(row["key"], {"code": "", "name": ""}), **row, "registrations": people.get(row["key"], 0)}
            for row in grouped]
    rows.sort(key=lambda row: (row["code"], row["key"]))
    totals = {key: sum(row[key] for row in rows) for key in figures}
    totals["paid_amount"] = sum((row["paid_amount"] for row in rows), Decimal("0"))
    totals["registrations"] = total_people
    return StatisticsTable(dimension, rows, totals)
