"""Spreadsheets (issue #12, items 2 and 7).

Every Excel file staff download, fed hostile text (names, course names, textbooks … starting with
= + - @, tab, CR or LF), holds no formula: read back with openpyxl, no cell has data type "f", the
text is there as written and marked as literal text (quote prefix).

Every import (catalog: 专业与专业计划, 课程与教材, 课程考试安排; 成绩导入 CSV/XLSX; 专升本成绩导入
CSV/XLSX), fed (a) a zip bomb — an .xlsx whose sheet is 200 MB of one repeated byte, under 1 MB
compressed — and (b) a 1 MB cell, is refused with a clear Chinese message, in bounded memory, with a
small page, and nothing is imported. All through the staff pages.
"""

import csv
import datetime
import io
import random
import re
import string
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

import kaowu
from kaowu.catalog.models import BusinessWindow, Course, ExamSitting, Major, PlanCourse, SittingCourse
from kaowu.catalog.tests.factories import (
    CourseFactory,
    ExamSittingFactory,
    MajorFactory,
    PlanCourseFactory,
    SittingCourseFactory,
    SittingSessionFactory,
    TextbookFactory,
    UniversityFactory,
)
from kaowu.core.spreadsheets import formula_like
from kaowu.organization.models import Office, Region, StaffMember
from kaowu.records.models import ExamScore, ScoreImport
from kaowu.records.tests.conftest import world_build
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory
from kaowu.upgrade.models import UpgradeScore

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://127.0.0.1:9/x","点")', "+1+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=2+2",
           "\n=3+3", "＝4+4", " =5+5", "=cmd|' /C calc'!A0"]
BOMB_BYTES = 200 * 1024 * 1024     # the sheet once uncompressed
GIANT_CELL_CHARS = 1024 * 1024      # a 1 MB cell
MEMORY_LIMIT = 64 * 1024 * 1024     # peak Python allocations while the import is refused
PAGE_LIMIT = 200 * 1024

CATALOG = "/backoffice/catalog/"
UPGRADE_ADMISSION = "/backoffice/upgrade/admission/"
REFUSED_BOMB = "文件解压后过大，可能不是正常的表格文件"
REFUSED_CELL = "超过 32767 个字符"
REFUSED_LINE = "行超过 131,072 个字符"


def hostile(index: int) -> str:
    return HOSTILE[index % len(HOSTILE)]


def test_only_the_one_spreadsheet_module_reads_or_writes_spreadsheets():
    """So that no export or import can skip the formula and zip bomb rules: openpyxl, csv readers and
    CSV downloads appear in kaowu.core.spreadsheets only."""
    root = Path(kaowu.__file__).parent
    pattern = re.compile(r"^\s*(from|import) openpyxl|csv\.(reader|DictReader)\(|text/csv", re.M)
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if "tests" not in path.parts and path != root / "core" / "spreadsheets.py"
                 and pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


# --- Reading back what the project wrote -----------------------------------------------------------


def assert_literal(content: bytes, expected) -> None:
    """No formula anywhere; every expected text is a cell as written; formula-like text is marked."""
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells, "an empty workbook proves nothing"
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    missing = [text for text in expected if text.replace("\r", "\n") not in texts]  # XML keeps no CR
    assert missing == []
    unmarked = [c.value for c in cells if isinstance(c.value, str) and formula_like(c.value) and not c.quotePrefix]
    assert unmarked == []


@pytest.fixture
def province_staff(gansu):
    office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"),
                           name="甘肃省教育考试院")
    return StaffMemberFactory(office=office, role=StaffMember.Role.REVIEWER)


def test_catalog_exports_keep_hostile_names_as_text(province_staff, client):
    sitting = ExamSittingFactory(code="2027-04", name="2027年4月")
    course = CourseFactory(code="00015", name=hostile(0), textbook=TextbookFactory(
        title=hostile(1), author=hostile(2), publisher=hostile(3), edition=hostile(4)))
    major = MajorFactory(code="050105", name=hostile(5), description=hostile(6),
                         university=UniversityFactory(name=hostile(7)))
    PlanCourseFactory(major=major, course=course, group_label=hostile(8))
    SittingCourseFactory(sitting=sitting, course=course, session=SittingSessionFactory(sitting=sitting),
                         fee=Decimal("30.00"))
    client.force_login(province_staff.user)

    majors = client.get(CATALOG + "majors/export/")
    assert majors.status_code == 200
    assert_literal(majors.content, [hostile(0), hostile(5), hostile(6), hostile(7), hostile(8)])
    courses = client.get(CATALOG + "courses/export/")
    assert_literal(courses.content, [hostile(i) for i in range(5)])
    timetable = client.get(CATALOG + f"sittings/{sitting.pk}/export/")
    assert_literal(timetable.content, [hostile(0)])
    # The fee is still a number, the date still a date.
    sheet = load_workbook(io.BytesIO(timetable.content)).active
    assert sheet["G2"].value == 30 and sheet["G2"].data_type == "n" and sheet["A2"].is_date


def test_registration_statistics_export_keeps_hostile_names_as_text(gansu, client):
    world = world_build()
    Course.objects.filter(code="00015").update(name=hostile(0))
    Major.objects.filter(pk=world.major.pk).update(name=hostile(1))
    Office.objects.filter(kind=Office.Kind.EXAM_AREA).update(name=hostile(2))
    client.force_login(world.province_staff.user)
    url = reverse("backoffice:registration_staff:statistics_export")
    for dimension, text in (("course", hostile(0)), ("major", hostile(1)), ("area", hostile(2))):
        response = client.get(url, {"dimension": dimension, "sitting": "2027-04"})
        assert response.status_code == 200, dimension
        assert_literal(response.content, [text])
        values = [row for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
        assert any(isinstance(v, int) and v > 0 for row in values[3:] for v in row[2:])  # figures are numbers


def test_application_queue_export_keeps_a_hostile_candidate_name_as_text(gansu, client,
                                                                         django_capture_on_commit_callbacks):
    from kaowu.transfers.within import CODE
    from kaowu.workflow import services
    from kaowu.workflow.models import Application

    sitting = ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)
    now = timezone.now()
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.TRANSFER_WITHIN_PROVINCE, sitting=sitting,
                                  starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=9))
    lanzhou = OfficeFactory(kind=Office.Kind.CITY_OFFICE, code="C6201", name="兰州市教育考试院",
                            region=Region.objects.get(code="620100"))
    OfficeFactory(kind=Office.Kind.CITY_OFFICE, code="C6205", name="天水市招生考试办公室",
                  region=Region.objects.get(code="620500"))
    area = OfficeFactory(kind=Office.Kind.EXAM_AREA, code="EA6201", name="兰州市考区",
                         region=Region.objects.get(code="620100"))
    candidate = CandidateFactory(district=Region.objects.get(code="620102"), user__real_name="张浩然")
    ExamNumberFactory(candidate=candidate, exam_area=area, number="010219100023")
    client.force_login(candidate.user)
    client.post(reverse("transfers:within_apply"), {"to_city": "620500", "reason": "工作调动", "agree": "on"})
    application = Application.objects.get(candidate=candidate, type_code=CODE)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=candidate.user)

    client.force_login(StaffMemberFactory(office=lanzhou).user)
    for text in HOSTILE:
        type(candidate.user).objects.filter(pk=candidate.user.pk).update(real_name=text)  # as an old record holds it
        response = client.get(reverse("backoffice:workflow_staff:export") + "?tab=pending")
        assert response.status_code == 200
        assert_literal(response.content, [text])
        assert load_workbook(io.BytesIO(response.content)).active["A2"].value == application.number


def test_score_import_error_report_echoes_hostile_cells_as_text(gansu, client, settings, tmp_path,
                                                               django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    world = world_build()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["准考证号", "课程代码", "成绩", "缺考/违纪"])
    for index, text in enumerate(HOSTILE):
        writer.writerow([text, "00015", hostile(index + 1), hostile(index + 2)])
    client.force_login(world.province_staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:records_staff:index"),
                    {"sitting": world.sitting.pk, "file": SimpleUploadedFile("scores.csv", out.getvalue().encode())})
    score_import = ScoreImport.objects.get()
    assert score_import.status == ScoreImport.Status.REJECTED
    report = client.get(reverse("backoffice:records_staff:error_report", args=[score_import.pk]))
    content = b"".join(report.streaming_content)
    # The reader strips the spaces around a value; what it echoes is written literally.
    assert_literal(content, ['=HYPERLINK("http://127.0.0.1:9/x","点")', "+1+1", "-1+1", "@SUM(A1:A9)", "＝4+4"])
    template = client.get(reverse("backoffice:records_staff:template"))
    assert_literal(template.content, ["准考证号", "课程代码", "成绩", "缺考/违纪"])


# --- Hostile files ---------------------------------------------------------------------------------


def _cell_xml(ref: str, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def hostile_xlsx(path, sheets: list[tuple[str, list[str]]], *, filler: bytes, repeat: int) -> bytes:
    """A real workbook with `sheets` (title, header row); in the first, cell A2 holds `filler` × `repeat`.
    The sheet XML is streamed into the archive (deflate level 9), so the test never holds it."""
    base = Workbook()
    for index, (title, headers) in enumerate(sheets):
        sheet = base.active if index == 0 else base.create_sheet()
        sheet.title = title
        sheet.append(headers)
    buffer = io.BytesIO()
    base.save(buffer)
    source = zipfile.ZipFile(buffer)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in source.namelist():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, source.read(name))
        title, headers = sheets[0]
        header = "".join(_cell_xml(f"{chr(65 + i)}1", h) for i, h in enumerate(headers))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet_xml:
            sheet_xml.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
                             '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                             f'<row r="1">{header}</row><row r="2"><c r="A2" t="inlineStr"><is><t>').encode())
            for _ in range(repeat):
                sheet_xml.write(filler)
            sheet_xml.write(b"</t></is></c></row></sheetData></worksheet>")
    return path.read_bytes()


_BOMBS: dict = {}


def bomb(tmp_path_factory, sheets) -> bytes:
    """(a) 200 MB of one byte in a cell: under 1 MB as .xlsx. Built once per layout."""
    key = tuple(title for title, _ in sheets)
    if key not in _BOMBS:
        path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
        _BOMBS[key] = hostile_xlsx(path, sheets, filler=b"A" * (1 << 20), repeat=BOMB_BYTES >> 20)
        assert len(_BOMBS[key]) < 1024 * 1024
    return _BOMBS[key]


def giant_text() -> str:
    """(b) 1 MB of text that does not compress away (so it is not caught as a bomb, but as a cell)."""
    return "".join(random.Random(12).choices(string.ascii_letters, k=GIANT_CELL_CHARS))


def giant_cell(tmp_path, sheets) -> bytes:
    return hostile_xlsx(tmp_path / "giant.xlsx", sheets, filler=giant_text().encode(), repeat=1)


def refused(send) -> tuple:
    """Run `send()` with memory traced: (its result, the peak of Python allocations)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = send()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


CATALOG_IMPORTS = [
    ("majors/import/", [("专业", ["专业代码", "专业名称", "层次", "主考学校", "专业状态", "停考过渡期截止日期", "专业说明"]),
                        ("专业计划", ["专业代码", "课程代码", "课程名称", "学分", "考试要求", "课程组"])]),
    ("courses/import/", [("课程", ["课程代码", "课程名称", "学分", "课程类型", "教材名称", "主编", "出版社", "版次"])]),
    ("timetable", [("课程考试安排", ["考试日期", "时段", "开始时间", "结束时间", "课程代码", "课程名称", "报考费（元）"])]),
]


def catalog_state():
    return (list(Course.objects.values_list("code", "name")), list(Major.objects.values_list("code", "name")),
            PlanCourse.objects.count(), SittingCourse.objects.count())


@pytest.mark.parametrize("kind", ["bomb", "cell"])
@pytest.mark.parametrize(("path", "sheets"), CATALOG_IMPORTS, ids=["majors", "courses", "timetable"])
def test_catalog_imports_refuse_a_zip_bomb_and_a_giant_cell(kind, path, sheets, province_staff, client,
                                                            tmp_path, tmp_path_factory):
    sitting = ExamSittingFactory(code="2027-04", name="2027年4月")
    CourseFactory(code="00015", name="英语（二）")
    if path == "timetable":
        path = f"sittings/{sitting.pk}/import/"
    content = bomb(tmp_path_factory, sheets) if kind == "bomb" else giant_cell(tmp_path, sheets)
    before = catalog_state()
    client.force_login(province_staff.user)

    response, peak = refused(lambda: client.post(CATALOG + path, {"file": SimpleUploadedFile("a.xlsx", content)}))

    page = response.content.decode()
    assert response.status_code == 400
    assert (REFUSED_BOMB if kind == "bomb" else REFUSED_CELL) in page
    assert len(response.content) < PAGE_LIMIT
    assert peak < MEMORY_LIMIT, f"{peak / 2**20:.0f} MB"
    assert catalog_state() == before


SCORE_HEADERS = [("成绩", ["准考证号", "课程代码", "成绩", "缺考/违纪"])]


def _score_import(client, world, name: str, content: bytes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:records_staff:index"),
                               {"sitting": world.sitting.pk, "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.mark.parametrize("kind", ["bomb", "cell", "csv"])
def test_score_import_refuses_a_zip_bomb_and_a_giant_cell(kind, gansu, client, settings, tmp_path, tmp_path_factory,
                                                          django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = world_build()
    if kind == "bomb":
        name, content, message = "scores.xlsx", bomb(tmp_path_factory, SCORE_HEADERS), REFUSED_BOMB
    elif kind == "cell":
        name, content, message = "scores.xlsx", giant_cell(tmp_path, SCORE_HEADERS), REFUSED_CELL
    else:
        name, content = "scores.csv", f"准考证号,课程代码,成绩\n{giant_text()},00015,75\n".encode()
        message = REFUSED_LINE
    client.force_login(world.province_staff.user)

    page, peak = refused(lambda: _score_import(client, world, name, content, django_capture_on_commit_callbacks))

    score_import = ScoreImport.objects.get()
    assert score_import.status == ScoreImport.Status.REJECTED
    assert message in page.content.decode()
    assert len(page.content) < PAGE_LIMIT
    assert peak < MEMORY_LIMIT, f"{peak / 2**20:.0f} MB"
    assert not ExamScore.objects.exists()
    report = client.get(reverse("backoffice:records_staff:error_report", args=[score_import.pk]))
    assert len(b"".join(report.streaming_content)) < PAGE_LIMIT


UPGRADE_HEADERS = [("成绩", ["考生号", "总分", "专业综合课", "外语"])]


@pytest.mark.parametrize("kind", ["bomb", "cell", "csv"])
def test_upgrade_score_import_refuses_a_zip_bomb_and_a_giant_cell(kind, gansu, client, tmp_path, tmp_path_factory):
    province = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY,
                                                       region=Region.objects.get(code="620000")))
    if kind == "bomb":
        name, content, message = "scores.xlsx", bomb(tmp_path_factory, UPGRADE_HEADERS), REFUSED_BOMB
    elif kind == "cell":
        name, content, message = "scores.xlsx", giant_cell(tmp_path, UPGRADE_HEADERS), REFUSED_CELL
    else:
        name, content = "scores.csv", f"考生号,总分,专业综合课,外语\n{giant_text()},250,120,80\n".encode()
        message = REFUSED_LINE
    client.force_login(province.user)

    response, peak = refused(lambda: client.post(UPGRADE_ADMISSION, {
        "action": "import", "file": SimpleUploadedFile(name, content)}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert len(response.content) < PAGE_LIMIT
    assert peak < MEMORY_LIMIT, f"{peak / 2**20:.0f} MB"
    assert not UpgradeScore.objects.exists()
