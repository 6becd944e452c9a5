"""The one spreadsheet writer and reader (kaowu.core.spreadsheets): formula-like text is stored as
literal text, numbers stay numbers; zip bombs, giant cells, endless rows and endless CSV lines are
refused before they cost memory."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from kaowu.core.spreadsheets import (
    CSV_MAX_LINE_CHARS,
    EXCEL_MAX_CELL_CHARS,
    MAX_MEMBERS,
    Column,
    Spreadsheet,
    SpreadsheetRefused,
    SpreadsheetUnreadable,
    csv_rows,
    echo,
    formula_like,
    sheet_rows,
    table_rows,
    workbook_open,
    xlsx_response,
)

HOSTILE = ['=HYPERLINK("http://127.0.0.1:9/x","点")', "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1",
           "\n=1+1", "＝1+1", " =1+1", "=cmd|' /C calc'!A0"]


def written(columns, rows, **kwargs):
    book = Spreadsheet()
    book.add_sheet("表", columns, rows, **kwargs)
    return load_workbook(io.BytesIO(book.content()))["表"]


def test_formula_like_text_is_stored_as_literal_text_and_numbers_stay_numbers():
    sheet = written([Column("文本"), Column("数")], [[text, -1] for text in HOSTILE] +
                    [["普通文字", Decimal("-1.50")], ["=1+1", 3.5]])
    cells = list(sheet.iter_rows(min_row=2))
    assert len(cells) == len(HOSTILE) + 2
    for (text_cell, number_cell), text in zip(cells, HOSTILE + ["普通文字", "=1+1"], strict=True):
        assert text_cell.data_type == "s" and text_cell.value == text.replace("\r", "\n")  # XML keeps no CR
        assert text_cell.quotePrefix is formula_like(text)
        assert number_cell.data_type == "n"
    assert cells[-2][1].value == Decimal("-1.5") or cells[-2][1].value == -1.5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_headers_headings_and_totals_are_neutralised_too():
    sheet = written([Column("=标题")], [["a"]], heading="=HYPERLINK(\"x\")", notes=["+说明"], total=["-合计"])
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.value for c in values] == ['=HYPERLINK("x")', "+说明", "=标题", "a", "-合计"]
    assert all(c.data_type == "s" for c in values)


def test_dates_times_and_codes_keep_their_types_and_formats():
    moment = datetime.datetime(2027, 4, 10, 9, 30, tzinfo=datetime.UTC)
    sheet = written([Column("代码", text=True), Column("日期"), Column("时间"), Column("时刻"), Column("费")],
                    [["00015", datetime.date(2027, 4, 10), datetime.time(9, 0), moment, Decimal("30.00")]])
    code, day, time, at, fee = next(sheet.iter_rows(min_row=2))
    assert code.value == "00015" and code.number_format == "@"
    assert day.value == datetime.datetime(2027, 4, 10) and day.number_format == "yyyy-mm-dd"
    assert time.value == datetime.time(9, 0) and time.number_format == "hh:mm"
    assert at.is_date and fee.value == 30 and fee.number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= 8


def test_characters_an_xlsx_cannot_hold_and_overlong_text_do_not_break_the_file():
    sheet = written([Column("姓名")], [["张\x00三\x1b"], ["长" * 40_000]])
    assert sheet["A2"].value == "张\ufffd三\ufffd"
    assert len(sheet["A3"].value) == EXCEL_MAX_CELL_CHARS


def test_the_download_names_the_file_in_utf8():
    response = xlsx_response(b"x", "报考统计 2027.xlsx")
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''%E6%8A%A5%E8%80%83%E7%BB%9F%E8%AE%A1%202027.xlsx"


# --- Reading --------------------------------------------------------------------------------------


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_workbook_is_read_row_by_row():
    with workbook_open(xlsx([["准考证号", "成绩"], ["620101000001", 75.5]])) as workbook:
        assert list(sheet_rows(workbook.worksheets[0], max_columns=2)) == [(1, ["准考证号", "成绩"]),
                                                                            (2, ["620101000001", 75.5])]


def test_an_archive_too_big_once_uncompressed_is_refused(settings):
    settings.KAOWU_IMPORT_MAX_UNCOMPRESSED_BYTES = 100_000
    content = xlsx([["x" * 1000, i] for i in range(200)])  # ~ 250 KB of sheet XML
    with pytest.raises(SpreadsheetRefused, match="文件解压后过大"), workbook_open(content):
        pass


def test_a_member_compressing_like_a_zip_bomb_is_refused():
    content = zipped({"xl/worksheets/sheet1.xml": b"A" * (8 << 20)})  # 8 MB → 8 KB
    with pytest.raises(SpreadsheetRefused, match="文件解压后过大"), workbook_open(content):
        pass


def test_an_archive_of_too_many_members_is_refused():
    content = zipped({f"part{i}.xml": b"" for i in range(MAX_MEMBERS + 1)})
    with pytest.raises(SpreadsheetRefused, match="部件过多"), workbook_open(content):
        pass


def test_a_file_that_is_not_a_workbook_is_unreadable():
    for content in (b"not a zip", zipped({"hello.txt": b"hi"})):
        with pytest.raises(SpreadsheetUnreadable), workbook_open(content):
            pass


def with_sheet(rows_xml: str) -> bytes:
    """A workbook whose first sheet is `rows_xml` as written (openpyxl itself would not write it)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([["a"]])))
    members = {name: base.read(name) for name in base.namelist()}
    members["xl/worksheets/sheet1.xml"] = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                                           f'main"><sheetData>{rows_xml}</sheetData></worksheet>').encode()
    return zipped(members)


def test_a_cell_longer_than_excel_allows_refuses_the_file():
    content = with_sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>准考证号</t></is></c></row><row r="2">'
                         f'<c r="A2" t="inlineStr"><is><t>{"1" * (EXCEL_MAX_CELL_CHARS + 1)}</t></is></c></row>')
    with pytest.raises(SpreadsheetRefused, match="第 2 行 A 列的内容超过 32767 个字符"):
        list(table_rows(content, name="a.xlsx"))


def test_rows_after_the_cap_refuse_the_file_unless_they_are_blank():
    assert [n for n, _ in table_rows(xlsx([["a"], ["b"], [None], [""]]), name="a.xlsx", max_rows=2)] == [1, 2]
    with pytest.raises(SpreadsheetRefused, match="文件超过 2 行"):
        list(table_rows(xlsx([["a"], ["b"], ["c"]]), name="a.xlsx", max_rows=2))


def test_a_row_number_far_beyond_excel_does_not_make_the_reader_loop():
    content = with_sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
                         '<row r="999999999"><c r="A999999999" t="inlineStr"><is><t>b</t></is></c></row>')
    rows = list(table_rows(content, name="a.xlsx", max_rows=10))
    assert rows == [(1, ["a"])] + [(n, []) for n in range(2, 11)]  # nothing past Excel's last row


def test_csv_is_read_as_utf8_or_gbk():
    assert list(csv_rows("准考证号,成绩\n1,2\n".encode("gbk"))) == [(1, ["准考证号", "成绩"]), (2, ["1", "2"])]
    assert list(csv_rows("\ufeff准考证号\n".encode())) == [(1, ["准考证号"])]


def test_an_endless_csv_line_or_row_is_refused():
    with pytest.raises(SpreadsheetRefused, match="第 2 行超过"):
        list(csv_rows(b"a,b\n" + b"x" * (CSV_MAX_LINE_CHARS + 10) + b"\n"))
    quoted_across_lines = b'a\n"' + b"y\n" * (CSV_MAX_LINE_CHARS // 2 + 10) + b'"\n'
    with pytest.raises(SpreadsheetRefused, match="行超过"):
        list(csv_rows(quoted_across_lines))


def test_a_csv_field_longer_than_excel_allows_is_refused():
    with pytest.raises(SpreadsheetRefused, match="第 1 行 B 列的内容超过"):
        list(csv_rows(b"a," + b"z" * (EXCEL_MAX_CELL_CHARS + 1)))


def test_a_file_over_the_cap_is_refused_before_reading(settings):
    settings.KAOWU_IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(SpreadsheetRefused, match="文件超过"):
        list(csv_rows(b"a\n" * 600))


def test_echo_cuts_long_values():
    assert echo("短") == "短" and echo(None) == ""
    assert echo("长" * 60) == "长" * 50 + "…"
