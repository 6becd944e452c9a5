"""报考统计 as an Excel (.xlsx) file: a title row (sitting, view, scope and filters), the Chinese
headers, every row of the view and the 合计 row; figures are numbers, codes are text."""

from django.utils import timezone
from django.utils.translation import gettext

from kaowu.core.dates import cn_datetime
from kaowu.core.spreadsheets import Column, Spreadsheet

from .statistics import DIMENSIONS, statistics_columns

_NAME_KEYS = {"code", "name", "university"}
_MONEY_KEYS = {"paid_amount"}
HEADER_ROW = 3


def statistics_filename(*, sitting, dimension: str) -> str:
    return f"{gettext('报考统计')}_{sitting.name}_{DIMENSIONS[dimension]}.xlsx"


def _column(key: str, header) -> Column:
    if key in _NAME_KEYS:
        return Column(str(header), text=True)
    return Column(str(header), number_format="#,##0.00" if key in _MONEY_KEYS else "#,##0")


def statistics_workbook(*, sitting, dimension: str, scope_label: str, filters: list[str], rows, totals: dict) -> bytes:
    """The workbook of one view. `rows` are `statistics_rows` dicts (all of them), `filters` the
    human-readable filters applied (考区, 查询). Title and notes above the header (row `HEADER_ROW`)."""
    keys = statistics_columns(dimension)
    title = gettext("%(sitting)s报考统计（%(view)s）") % {"sitting": sitting.name, "view": DIMENSIONS[dimension]}
    notes = [gettext("统计范围：%(scope)s") % {"scope": scope_label}, *filters,
             gettext("导出时间：%(at)s") % {"at": cn_datetime(timezone.now())}]
    book = Spreadsheet()
    book.add_sheet(str(DIMENSIONS[dimension]), [_column(key, header) for key, header in keys],
                   ([row.get(key) for key, _header in keys] for row in rows), heading=title, notes=["；".join(notes)],
                   total=[{**totals, "code": gettext("合计")}.get(key) for key, _header in keys])
    return book.content()
