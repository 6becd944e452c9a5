"""报考统计 in the back office (管理端 › 报考统计), under /backoffice/registration/statistics/."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.catalog.models import ExamSitting
from kaowu.catalog.selectors import current_sitting, sittings_list
from kaowu.core.spreadsheets import xlsx_response
from kaowu.organization.models import Office
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from .excel import statistics_filename, statistics_workbook
from .statistics import (
    AREA,
    COURSE,
    DIMENSIONS,
    MAJOR,
    StatisticsNotAllowed,
    StatisticsScope,
    statistics_exam_areas,
    statistics_scope,
    statistics_table,
)

SECTION = "registration_stats"
PAGE_SIZE = 20
CHART_ROWS = 15
SEARCHABLE = (MAJOR, COURSE)


@dataclass
class Filters:
    sittings: list[ExamSitting]
    sitting: ExamSitting | None
    dimension: str
    exam_areas: list[Office]
    exam_area: Office | None
    search: str

    def params(self, **overrides) -> dict:
        """The GET parameters of these filters (what links and the export carry on)."""
        params = {"sitting": self.sitting.code if self.sitting else "", "dimension": self.dimension,
                  "area": self.exam_area.code if self.exam_area else "",
                  "q": self.search if self.dimension in SEARCHABLE else ""}
        params.update(overrides)
        return {key: value for key, value in params.items() if value}

    def querystring(self, **overrides) -> str:
        return urlencode(self.params(**overrides))

    def descriptions(self) -> list[str]:
        """The filters in words, for the Excel title."""
        lines = []
        if self.exam_area is not None:
            lines.append(gettext("考区：%(area)s") % {"area": self.exam_area.name})
        if self.search and self.dimension in SEARCHABLE:
            lines.append(gettext("查询：%(q)s") % {"q": self.search})
        return lines

    def query(self, scope: StatisticsScope) -> dict:
        return {"scope": scope, "sitting": self.sitting, "dimension": self.dimension, "exam_area": self.exam_area,
                "search": self.search if self.dimension in SEARCHABLE else ""}


def _filters(request, scope: StatisticsScope) -> Filters:
    sittings = list(sittings_list())
    wanted = request.GET.get("sitting", "")
    sitting = next((s for s in sittings if s.code == wanted), None) or current_sitting() or (
        sittings[0] if sittings else None)
    dimension = request.GET.get("dimension", AREA)
    if dimension not in DIMENSIONS:
        dimension = AREA
    exam_areas = list(statistics_exam_areas(scope=scope, sitting=sitting)) if sitting else []
    wanted_area = request.GET.get("area", "")
    exam_area = next((area for area in exam_areas if area.code == wanted_area), None)
    search = request.GET.get("q", "").strip()[:30]
    return Filters(sittings, sitting, dimension, exam_areas, exam_area, search)


def _forbidden(request):
    return staff_render(request, "registration/staff/statistics_forbidden.html", {}, section=SECTION, status=403)


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str  # "code", "text", "count" or "amount"


def _cells(row: dict, columns: list) -> list[Cell]:
    cells = []
    for key, _header in columns:
        kind = {"code": "code", "name": "text", "university": "text", "paid_amount": "amount"}.get(key, "count")
        cells.append(Cell(row.get(key, ""), kind))
    return cells


def _chart_title(dimension: str, *, complete: bool) -> str:
    if complete:
        return {AREA: gettext("各考区报考科次"), MAJOR: gettext("各专业报考科次"), COURSE: gettext("各课程报考科次")}[dimension]
    return {AREA: gettext("报考科次前 %(n)s 名的考区"), MAJOR: gettext("报考科次前 %(n)s 名的专业"),
            COURSE: gettext("报考科次前 %(n)s 名的课程")}[dimension] % {"n": CHART_ROWS}


def _chart(rows: list[dict], dimension: str, *, complete: bool) -> dict:
    return {
        "labels": [row["name"] for row in rows],
        "codes": [row["code"] for row in rows],
        "series": [{"key": "registered", "name": gettext("报考科次")}, {"key": "paid", "name": gettext("已缴费科次")}],
        "registered": [row["registered"] for row in rows],
        "paid": [row["paid"] for row in rows],
        "title": _chart_title(dimension, complete=complete),
    }


@never_cache
@require_GET
@staff_required
def statistics(request):
    try:
        scope = statistics_scope(staff=request.staff)
    except StatisticsNotAllowed:
        return _forbidden(request)
    filters = _filters(request, scope)
    context = {"filters": filters, "scope": scope, "dimensions": [
        (key, label, filters.querystring(dimension=key, q="")) for key, label in DIMENSIONS.items()],
        "searchable": filters.dimension in SEARCHABLE}
    if filters.sitting is not None:
        table = statistics_table(**filters.query(scope))
        rows, page = table.rows, None
        if filters.dimension != AREA:  # a province has a few dozen exam areas: those are one page
            page = Paginator(table.rows, PAGE_SIZE).get_page(request.GET.get("page"))
            rows = page.object_list
        top = table.top(CHART_ROWS)
        columns = table.columns
        names = sum(1 for key, _header in columns if key in ("code", "name", "university"))
        context.update({
            "columns": columns,
            "page_obj": page,
            "rows": [_cells(row, columns) for row in rows],
            "totals": table.totals,
            "total_cells": _cells(table.totals, columns)[names:],
            "name_columns": names,
            "blank_cells": range(names - 1),
            "chart": _chart(top, filters.dimension, complete=len(top) == len(table.rows)) if top else None,
            "querystring": filters.querystring(),
        })
    return staff_render(request, "registration/staff/statistics.html", context, section=SECTION)


@never_cache
@require_GET
@staff_required
def statistics_export(request):
    try:
        scope = statistics_scope(staff=request.staff)
    except StatisticsNotAllowed:
        return _forbidden(request)
    filters = _filters(request, scope)
    if filters.sitting is None:
        raise Http404
    table = statistics_table(**filters.query(scope))
    # The file is an official record: Chinese whatever language the page is read in.
    with translation.override(settings.LANGUAGE_CODE):
        content = statistics_workbook(sitting=filters.sitting, dimension=filters.dimension, scope_label=scope.label,
                                      filters=filters.descriptions(), rows=table.rows, totals=table.totals)
        filename = statistics_filename(sitting=filters.sitting, dimension=filters.dimension)
    audit_record(actor=request.user, action=AuditAction.REGISTRATION_STATISTICS_EXPORTED, target=filters.sitting,
                 request=request, detail={
                     "sitting": filters.sitting.code, "dimension": filters.dimension, "scope": scope.label,
                     "exam_area": filters.exam_area.code if filters.exam_area else "",
                     "search": filters.search if filters.dimension in SEARCHABLE else "", "rows": len(table.rows)})
    return xlsx_response(content, filename)
