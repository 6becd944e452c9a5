"""Spreadsheets in and out: the one writer every Excel file the project offers goes through, and the
one reader every import goes through.

Writing (`Spreadsheet`, `xlsx_response`): a workbook of sheets, each with an optional heading and
note lines, a styled header row, the rows and an optional 合计 row. Every text value is made safe
for Excel on its way in (`cell_text`): a text starting with = + - @ (or their full-width forms),
a tab, a carriage return or a line feed is stored as text with Excel's quote prefix (shown exactly
as written, never a formula, and still text when a user edits the cell), characters XML cannot hold
are replaced, and text longer than Excel's cell limit is cut. Numbers, dates and times stay numbers
and dates. The workbook is written in openpyxl's write-only (streaming) mode.

Reading (`workbook_open`, `sheet_rows`, `table_rows`): before openpyxl sees an .xlsx, its zip
directory is inspected (`xlsx_inspect`): the file, the total uncompressed size and every member must
stay under `KAOWU_IMPORT_MAX_UNCOMPRESSED_BYTES`, a large member may not compress more than
`MAX_COMPRESSION_RATIO` to one (real sheets compress about 10:1, a zip bomb 1000:1), and there may
be at most `MAX_MEMBERS` members. Workbooks are opened read-only; rows and columns read are capped;
a cell longer than Excel's own limit refuses the file. CSV is decoded as UTF-8 (with or without BOM)
or GB18030 and read line by line with a cap on the length of a line and of a row. Whatever a page
or an error report echoes from a file goes through `echo` (at most `ECHO_CHARS` characters).
"""

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import UserFacingError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_MAX_CELL_CHARS = 32_767     # Excel's own limit of a cell's text
EXCEL_MAX_ROWS = 1_048_576        # Excel's own limit of a sheet's rows
ECHO_CHARS = 50                   # what a page or an error report repeats of a value from a file
MAX_COLUMNS = 64                  # columns read from a sheet or a CSV row (the rest is ignored)
MAX_MEMBERS = 1000                # parts of an .xlsx (a workbook saved by Excel has 10–30)
MAX_COMPRESSION_RATIO = 100       # per member over RATIO_FLOOR bytes: a real sheet is about 10:1
RATIO_FLOOR = 1 << 20
CSV_MAX_LINE_CHARS = 128 * 1024   # a line (and a row, when a quoted value spans lines) of a CSV file

# A text starting with one of these is a formula (or DDE) to Excel, LibreOffice or WPS when typed or
# opened from CSV; full-width forms too, since some Chinese input settings turn them into formulas.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


# --- Writing --------------------------------------------------------------------------------------


def formula_like(text: str) -> bool:
    """Whether Excel could take `text` for a formula (also after leading spaces)."""
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip(" \u3000").startswith(FORMULA_TRIGGERS)


def cell_text(value) -> tuple[str, bool]:
    """(the text to store, whether it must be marked as literal text): characters an .xlsx cannot hold
    replaced by U+FFFD, cut at Excel's cell limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    if len(text) > EXCEL_MAX_CELL_CHARS:
        text = text[:EXCEL_MAX_CELL_CHARS - 1] + "…"
    return text, formula_like(text)


@dataclass(frozen=True)
class Column:
    """One column: its header, its width in characters (None: fitted to the content, 8–60), `text` for
    codes that must stay text (leading zeros: number format "@"), or a number format of its own."""

    header: str
    width: int | None = None
    text: bool = False
    number_format: str | None = None


_HEADING_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1D4F91")
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOTAL_FONT = Font(bold=True)
_TOTAL_FILL = PatternFill("solid", fgColor="EEF3FA")
_DEFAULT_FORMATS = ((datetime.datetime, "yyyy-mm-dd hh:mm"), (datetime.date, "yyyy-mm-dd"),
                    (datetime.time, "hh:mm"), (Decimal, "#,##0.00"))


def display_width(value) -> int:
    """Width in characters as Excel draws them (a CJK character takes two)."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date | datetime.time):
        return 10
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return len(f"{value:,}") + 1
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


def _fitted_width(values) -> int:
    return min(max(max(map(display_width, values), default=0) + 2, 8), 60)


class Spreadsheet:
    """An .xlsx being written: `add_sheet` for each sheet, then `content()` or `response(filename)`."""

    def __init__(self):
        self._workbook = Workbook(write_only=True)

    def add_sheet(self, title: str, columns: Sequence[Column], rows: Iterable[Sequence], *,
                  heading: str | None = None, notes: Sequence[str] = (), total: Sequence | None = None) -> int:
        """Write one sheet: `heading` (large, bold) and `notes` above the header row, the header, every
        row (values in column order), then `total` (a 合计 row, bold). The panes freeze under the
        header. Returns the number of rows written (without header and total)."""
        sheet = self._workbook.create_sheet(cell_text(title)[0][:31])
        if any(column.width is None for column in columns):
            rows = list(rows)
            widths = [column.width or _fitted_width([column.header, *(row[i] for row in rows if i < len(row)),
                                                     *([total[i]] if total is not None and i < len(total) else [])])
                      for i, column in enumerate(columns)]
        else:
            widths = [column.width for column in columns]
        for index, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = width
            if column.text:
                dimension.number_format = "@"  # cells typed in later are text too
        span = f"A{{row}}:{get_column_letter(max(len(columns), 1))}{{row}}"
        row_number = 0
        for text, font in [(heading, _HEADING_FONT)] * (heading is not None) + [(n, None) for n in notes]:
            row_number += 1
            sheet.append([self._cell(sheet, text, font=font)])
            if len(columns) > 1:
                sheet.merged_cells.add(span.format(row=row_number))
        header = []
        for column in columns:
            cell = self._cell(sheet, column.header, font=_HEADER_FONT)
            cell.fill, cell.alignment = _HEADER_FILL, _HEADER_ALIGNMENT
            header.append(cell)
        sheet.append(header)
        row_number += 1
        sheet.freeze_panes = f"A{row_number + 1}"
        count = 0
        for row in rows:
            sheet.append([self._cell(sheet, value, column=column) for column, value in zip(columns, row, strict=False)])
            count += 1
        if total is not None:
            cells = []
            for column, value in zip(columns, total, strict=False):
                cell = self._cell(sheet, value, column=column, font=_TOTAL_FONT)
                cell.fill = _TOTAL_FILL
                cells.append(cell)
            sheet.append(cells)
        return count

    @staticmethod
    def _cell(sheet, value, *, column: Column | None = None, font: Font | None = None) -> WriteOnlyCell:
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.make_naive(value)  # Excel has no time zones: local time as read on the page
        elif value is not None and not isinstance(value, bool | int | float | Decimal | datetime.date
                                                      | datetime.time):
            value, literal = cell_text(value)
            cell = WriteOnlyCell(sheet, value=value)
            if literal:
                cell.data_type = "s"      # openpyxl took "=…" for a formula
                cell.quotePrefix = True   # Excel shows the text as written and keeps it text when edited
            if column is not None and column.text:
                cell.number_format = "@"
            if font is not None:
                cell.font = font
            return cell
        cell = WriteOnlyCell(sheet, value=value)
        if column is not None and value is not None:
            if column.text:
                cell.number_format = "@"
            elif column.number_format:
                cell.number_format = column.number_format
            else:
                for kind, number_format in _DEFAULT_FORMATS:
                    if isinstance(value, kind):
                        cell.number_format = number_format
                        break
        if font is not None:
            cell.font = font
        return cell

    def content(self) -> bytes:
        if not self._workbook.worksheets:
            self._workbook.create_sheet()
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()

    def response(self, filename: str) -> HttpResponse:
        return xlsx_response(self.content(), filename)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A download of an .xlsx (the file name in UTF-8, RFC 6266)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- Reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One problem of an import file: where (sheet, row, column) and what, shown to staff as a table row."""

    sheet: str
    row: int
    column: str
    message: str


class ImportRejected(Exception):
    """An import whose file has problems: nothing was written; every problem is listed."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


IMPORT_PROBLEMS_SHOWN = 200  # a page, not a report: the first problems of a file where every row is wrong


def import_problems_context(problems: list[ImportProblem]) -> dict:
    """What includes/import_problems.html shows: the first problems, the count, how many are left out."""
    return {"problems": problems[:IMPORT_PROBLEMS_SHOWN], "problem_count": len(problems),
            "problems_hidden": max(0, len(problems) - IMPORT_PROBLEMS_SHOWN)}


class SpreadsheetError(UserFacingError):
    """A file an import cannot use, with the reason in Chinese. `SpreadsheetUnreadable` when it is not
    a workbook / CSV at all (callers may say so in their own words), `SpreadsheetRefused` when it is
    refused for its size or shape (zip bomb, giant cell, too many rows)."""


class SpreadsheetUnreadable(SpreadsheetError):
    pass


class SpreadsheetRefused(SpreadsheetError):
    pass


def echo(value, limit: int = ECHO_CHARS) -> str:
    """A value from a file as a page or an error report may repeat it: at most `limit` characters."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _size_text(size: int) -> str:
    return f"{size / (1 << 20):.0f} MB" if size >= 1 << 20 else f"{size / 1024:.0f} KB"


def _too_big() -> SpreadsheetRefused:
    return SpreadsheetRefused(gettext("文件解压后过大，可能不是正常的表格文件，请检查后重新上传。"))


def _stream(file):
    """A seekable binary stream over `file` (bytes, an uploaded file, an open file)."""
    if isinstance(file, bytes | bytearray | memoryview):
        return io.BytesIO(file)
    if hasattr(file, "open") and getattr(file, "closed", False):
        file.open("rb")
    file.seek(0)
    return file


def _file_size(handle) -> int:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def xlsx_inspect(handle) -> None:
    """Refuse an .xlsx whose zip directory announces more than a spreadsheet can be, before anything is
    decompressed. (Python's zipfile stops at the announced size, so a member cannot lie about it.)"""
    limit = settings.KAOWU_IMPORT_MAX_UNCOMPRESSED_BYTES
    if _file_size(handle) > limit:
        raise SpreadsheetRefused(gettext("文件超过 %(size)s，请分批导入。") % {"size": _size_text(limit)})
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetUnreadable(gettext("无法读取该 Excel 文件，请上传用 Excel 或 WPS 保存的 .xlsx 文件。")) from None
    with archive:
        members = archive.infolist()
    handle.seek(0)
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetRefused(gettext("文件中的部件过多，可能不是正常的表格文件，请检查后重新上传。"))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limit or total > limit:
            raise _too_big()
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise _too_big()


@contextmanager
def workbook_open(file) -> Iterator:
    """An .xlsx opened read-only (values, not formulas) after `xlsx_inspect`; closed afterwards."""
    handle = _stream(file)
    xlsx_inspect(handle)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a file that is not a workbook
        raise SpreadsheetUnreadable(gettext("无法读取该 Excel 文件，请上传用 Excel 或 WPS 保存的 .xlsx 文件。")) from None
    try:
        yield workbook
    finally:
        workbook.close()


def _cell_too_long(row: int, column: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(gettext("第 %(row)s 行 %(column)s 列的内容超过 %(n)s 个字符，可能不是正常的表格文件，"
                                      "请检查后重新上传。") % {"row": row, "column": get_column_letter(column),
                                                       "n": EXCEL_MAX_CELL_CHARS})


def _too_many_rows(max_rows: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(gettext("文件超过 %(n)s 行，请分批导入。") % {"n": f"{max_rows:,}"})


def _check_cells(number: int, values) -> None:
    for index, value in enumerate(values, start=1):
        if isinstance(value, str) and len(value) > EXCEL_MAX_CELL_CHARS:
            raise _cell_too_long(number, index)


def sheet_rows(sheet, *, max_rows: int = EXCEL_MAX_ROWS, max_columns: int = MAX_COLUMNS,
               min_row: int = 1) -> Iterator[tuple[int, list]]:
    """(row number, [values of the first `max_columns` cells, without the empty ones at the end]) of a
    read-only sheet. A row after `max_rows` holding anything refuses the file, as does a cell longer
    than Excel allows."""
    # openpyxl pads every row to the sheet's declared width: never wider than `max_columns`.
    width = min(max_columns, sheet.max_column or max_columns)
    rows = sheet.iter_rows(min_row=min_row, max_row=EXCEL_MAX_ROWS, max_col=width, values_only=True)
    for number, values in enumerate(rows, start=min_row):
        if number > max_rows:
            if any(value is not None and str(value).strip() for value in values):
                raise _too_many_rows(max_rows)
            continue
        _check_cells(number, values)
        row = list(values)
        while row and row[-1] is None:
            row.pop()
        yield number, row


def _csv_decoded(handle) -> io.TextIOBase:
    """The binary CSV as text: UTF-8 (BOM or not) when its start decodes as UTF-8, else GB18030 (GBK)."""
    head = handle.read(1 << 20)
    handle.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "gb18030"
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


class _Lines:
    """The lines csv.reader asks for, each at most CSV_MAX_LINE_CHARS, and at most that many per row."""

    def __init__(self, text):
        self.text = text
        self.row_chars = 0
        self.line = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.text.readline(CSV_MAX_LINE_CHARS + 1)
        if not line:
            raise StopIteration
        self.line += 1
        self.row_chars += len(line)
        if self.row_chars > CSV_MAX_LINE_CHARS:
            raise SpreadsheetRefused(gettext("第 %(row)s 行超过 %(n)s 个字符，可能不是正常的表格文件，请检查后重新上传。")
                                     % {"row": self.line, "n": f"{CSV_MAX_LINE_CHARS:,}"})
        return line


def csv_rows(file, *, max_rows: int = EXCEL_MAX_ROWS, max_columns: int = MAX_COLUMNS) -> Iterator[tuple[int, list]]:
    """(row number, [text of the first `max_columns` fields]) of a CSV file."""
    handle = _stream(file)
    limit = settings.KAOWU_IMPORT_MAX_UNCOMPRESSED_BYTES
    if _file_size(handle) > limit:
        raise SpreadsheetRefused(gettext("文件超过 %(size)s，请分批导入。") % {"size": _size_text(limit)})
    lines = _Lines(_csv_decoded(handle))
    reader = csv.reader(lines)
    number = 0
    try:
        while True:
            lines.row_chars = 0
            try:
                values = next(reader)
            except StopIteration:
                return
            number += 1
            if number > max_rows:
                if any(value.strip() for value in values):
                    raise _too_many_rows(max_rows)
                continue
            _check_cells(number, values)
            yield number, values[:max_columns]
    except UnicodeDecodeError:
        raise SpreadsheetUnreadable(gettext("文件编码无法识别，请将 CSV 文件另存为 UTF-8 或 GBK 编码后重新上传。")) from None
    except csv.Error as exc:
        raise SpreadsheetUnreadable(gettext("CSV 文件格式有误：%(error)s") % {"error": echo(exc, 200)}) from None


def table_rows(file, *, name: str, max_rows: int = EXCEL_MAX_ROWS,
               max_columns: int = MAX_COLUMNS) -> Iterator[tuple[int, list]]:
    """(row number, values) of a .xlsx file's first sheet or of a CSV file, by the file's name."""
    if name.lower().endswith(".xlsx"):
        with workbook_open(file) as workbook:
            if not workbook.worksheets:
                return
            yield from sheet_rows(workbook.worksheets[0], max_rows=max_rows, max_columns=max_columns)
    else:
        yield from csv_rows(file, max_rows=max_rows, max_columns=max_columns)
