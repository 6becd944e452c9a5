"""报考统计 as an Excel (.xlsx) file: a title row (sitting, view, scope and filters), the Chinese
headers, every row of the view and the 合计 row; figures are numbers, codes are text."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kaowu.core.dates import cn_datetime

from .statistics import DIMENSIONS, statistics_columns

_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1D4F91")
_TOTAL_FONT = Font(bold=True)
_TOTAL_FILL = PatternFill("solid", fgColor="EEF3FA")
_NAME_KEYS = {"code", "name", "university"}
HEADER_ROW = 3


def statistics_filename(*, sitting, dimension: str) -> str:
    return f"{gettext('报考统计')}_{sitting.name}_{DIMENSIONS[dimension]}.xlsx"


def _width(value) -> int:
    if value is None:
        return 0
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


def statistics_workbook(*, sitting, dimension: str, scope_label: str, filters: list[str], rows, totals: dict) -> bytes:
    """The workbook of one view. `rows` are `statistics_rows` dicts (all of them), `filters` the
    human-readable filters applied (考区, 查询)."""
    columns = statistics_columns(dimension)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(DIMENSIONS[dimension])
    title = gettext("%(sitting)s报考统计（%(view)s）") % {"sitting": sitting.name, "view": DIMENSIONS[dimension]}
    sheet.cell(row=1, column=1, value=title).font = _TITLE_FONT
    notes = [gettext("统计范围：%(scope)s") % {"scope": scope_label}, *filters,
             gettext("导出时间：%(at)s") % {"at": cn_datetime(timezone.now())}]
    sheet.cell(row=2, column=1, value="；".join(notes))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))

    for index, (_key, header) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=str(header))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    widths = [_width(header) for _key, header in columns]

    def put(row_number: int, values: dict) -> None:
        for index, (key, _header) in enumerate(columns, start=1):
            value = values.get(key)
            cell = sheet.cell(row=row_number, column=index, value=value)
            if key in _NAME_KEYS:
                cell.number_format = "@"
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, int):
                cell.number_format = "#,##0"
            widths[index - 1] = max(widths[index - 1], _width(value) + (3 if isinstance(value, int | Decimal) else 0))

    row_number = HEADER_ROW
    for row in rows:
        row_number += 1
        put(row_number, row)
    row_number += 1
    put(row_number, {**totals, "code": gettext("合计")})
    for cell in sheet[row_number]:
        cell.font, cell.fill = _TOTAL_FONT, _TOTAL_FILL

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 50)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
