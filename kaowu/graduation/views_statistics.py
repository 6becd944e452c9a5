"""管理端 › 毕业统计 (/backoffice/graduation/statistics/): 毕业申请 by major and status and the graduates,
with a bar chart (ECharts, drawn by core/bar-chart.js, shared with 报考统计 from the page's JSON) and an Excel export.
Province authority only (404 for every other office, as the other 毕业 pages)."""

import re

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.dates import cn_datetime
from kaowu.core.spreadsheets import Column, Spreadsheet
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from .statistics import (
    FIGURE_NOTES,
    GRADUATES,
    TOTAL,
    statistics_allowed,
    statistics_table,
    statistics_years,
)

SECTION = "graduation_stats"
CHART_ROWS = 15
_TEXT_KEYS = {"code", "name", "level"}


def _year(request, years: list[int]) -> int | None:
    wanted = request.GET.get("year", "")
    return int(wanted) if re.fullmatch(r"[0-9]{4}", wanted) and int(wanted) in years else None


def _allowed(request) -> None:
    if not statistics_allowed(staff=request.staff):
        raise Http404


def _chart(rows: list[dict], *, complete: bool) -> dict:
    return {
        "labels": [row["name"] for row in rows], "codes": [row["code"] for row in rows],
        "series": [{"key": TOTAL, "name": gettext("毕业申请")}, {"key": GRADUATES, "name": gettext("已毕业")}],
        TOTAL: [row[TOTAL] for row in rows], GRADUATES: [row[GRADUATES] for row in rows],
        "title": gettext("各专业毕业申请与毕业人数") if complete else
        gettext("毕业申请与毕业人数前 %(n)s 名的专业") % {"n": CHART_ROWS},
    }


@never_cache
@require_GET
@staff_required
def statistics(request):
    _allowed(request)
    years = statistics_years()
    year = _year(request, years)
    table = statistics_table(year=year)
    columns = table.columns
    top = [row for row in table.top(CHART_ROWS) if row[TOTAL] or row[GRADUATES]]
    return staff_render(request, "graduation/staff/statistics.html", {
        "years": years, "year": year, "columns": columns, "status_columns": table.status,
        "rows": [[(row.get(key, ""), key in _TEXT_KEYS) for key, _header in columns] for row in table.rows],
        "totals": table.totals, "total_cells": [table.totals[key] for key, _header in columns[3:]],
        "chart": _chart(top, complete=len(top) == len(table.rows)) if top else None,
        "notes": FIGURE_NOTES,
    }, section=SECTION)


@never_cache
@require_GET
@staff_required
def statistics_export(request):
    _allowed(request)
    year = _year(request, statistics_years())
    table = statistics_table(year=year)
    # The file is an official record: Chinese whatever language the page is read in.
    with translation.override(settings.LANGUAGE_CODE):
        columns = table.columns
        scope = gettext("%(year)s年") % {"year": year} if year else gettext("全部年份")
        title = gettext("毕业统计（%(scope)s）") % {"scope": scope}
        notes = [str(FIGURE_NOTES), gettext("导出时间：%(at)s") % {"at": cn_datetime(timezone.now())}]
        book = Spreadsheet()
        book.add_sheet(gettext("毕业统计"), [Column(str(header), text=key in _TEXT_KEYS) for key, header in columns],
                       ([row.get(key) for key, _header in columns] for row in table.rows), heading=title,
                       notes=notes, total=[gettext("合计"), "", "", *(table.totals[key] for key, _h in columns[3:])])
        filename = gettext("毕业统计_%(scope)s.xlsx") % {"scope": scope}
    audit_record(actor=request.user, action=AuditAction.GRADUATION_STATISTICS_EXPORTED, request=request,
                 detail={"year": year or "", "rows": len(table.rows)})
    return book.response(filename)
