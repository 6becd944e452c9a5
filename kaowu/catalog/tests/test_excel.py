"""Excel export and import: an export imports back to the same rows; a bad file changes nothing and
lists every problem with its row."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from kaowu.audit.models import AuditEvent
from kaowu.catalog import excel
from kaowu.catalog.models import Course, Major, PlanCourse, SittingCourse, SittingSession, Textbook

from .factories import (
    CourseFactory,
    ExamSittingFactory,
    MajorFactory,
    PlanCourseFactory,
    SittingCourseFactory,
    SittingSessionFactory,
    TextbookFactory,
    UniversityFactory,
)

BASE = "/backoffice/catalog/"


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content))[title]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    for index, (title, rows) in enumerate(sheets.items()):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "catalog.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def catalog(gansu):
    nwnu = UniversityFactory(name="西北师范大学")
    lzu = UniversityFactory(name="兰州大学")
    english = CourseFactory(code="00015", name="英语（二）", credits=14,
                            textbook=TextbookFactory(title="英语（二）自学教程", author="张敬源",
                                                     publisher="外语教学与研究出版社", edition="2012年版"))
    history = CourseFactory(code="03708", name="中国近现代史纲要", credits=2, textbook=None)
    practice = CourseFactory(code="00000", name="毕业论文", credits=6, kind=Course.Kind.PRACTICE, textbook=None)
    chinese = MajorFactory(code="050105", name="汉语言文学", university=nwnu, description="培养目标……")
    law = MajorFactory(code="030101K", name="法学", university=lzu, status=Major.Status.TRANSITION,
                       transition_ends_on=datetime.date(2028, 12, 31))
    MajorFactory(code="670101", name="学前教育", level=Major.Level.JUNIOR_COLLEGE, university=nwnu)
    PlanCourseFactory(major=chinese, course=english)
    PlanCourseFactory(major=chinese, course=history)
    PlanCourseFactory(major=chinese, course=practice, requirement=PlanCourse.Requirement.ELECTIVE, group_label="实践环节")
    PlanCourseFactory(major=law, course=history)
    sitting = ExamSittingFactory(code="2027-04", name="2027年4月", is_current=True)
    morning = SittingSessionFactory(sitting=sitting, date=datetime.date(2027, 4, 10))
    afternoon = SittingSessionFactory(sitting=sitting, date=datetime.date(2027, 4, 10), half_day="pm",
                                      start_time=datetime.time(14, 30), end_time=datetime.time(17, 0))
    SittingCourseFactory(session=morning, course=english, fee=Decimal("30.00"))
    SittingCourseFactory(session=afternoon, course=history, fee=Decimal("25.50"))
    return {"sitting": sitting, "chinese": chinese}


def test_majors_export_then_import_gives_the_same_rows(catalog, province_staff):
    exported = excel.majors_export()
    before = excel.majors_rows()
    Major.objects.update(name="（被改动）")
    PlanCourse.objects.filter(major__code="050105", course__code="03708").delete()

    result = excel.majors_import(staff=province_staff, file=io.BytesIO(exported))

    assert excel.majors_rows() == before
    assert result.counts["majors_updated"] == 3 and result.counts["plan_added"] == 1
    assert sheet_rows(excel.majors_export(), "专业") == sheet_rows(exported, "专业")
    assert sheet_rows(exported, "专业")[0] == tuple(excel.MAJOR_HEADERS)
    assert ("050105", "汉语言文学", "本科", "西北师范大学", "开考", None, "培养目标……") in sheet_rows(exported, "专业")
    assert AuditEvent.objects.get(action="catalog.import.majors").actor == province_staff.user


def test_importing_an_unchanged_export_changes_nothing(catalog, province_staff):
    result = excel.majors_import(staff=province_staff, file=io.BytesIO(excel.majors_export()))

    assert result.counts == {"majors_created": 0, "majors_updated": 0, "plan_added": 0, "plan_removed": 0,
                             "plan_changed": 0}


def test_courses_export_then_import_gives_the_same_rows(catalog, province_staff):
    exported = excel.courses_export()
    before = excel.courses_rows()
    Course.objects.filter(code="00015").update(name="改动", credits=1, textbook=None)

    excel.courses_import(staff=province_staff, file=io.BytesIO(exported))

    assert excel.courses_rows() == before
    assert Textbook.objects.filter(title="英语（二）自学教程").count() == 1
    assert sheet_rows(exported, "课程")[1] == ("00000", "毕业论文", 6, "实践", None, None, None, None)


def test_timetable_export_then_import_gives_the_same_rows(catalog, province_staff):
    sitting = catalog["sitting"]
    exported = excel.timetable_export(sitting=sitting)
    before = excel.timetable_rows(sitting=sitting)
    SittingCourse.objects.filter(sitting=sitting).delete()
    SittingSession.objects.filter(sitting=sitting).delete()

    excel.timetable_import(staff=province_staff, sitting=sitting, file=io.BytesIO(exported))

    assert excel.timetable_rows(sitting=sitting) == before
    assert before[0] == [datetime.date(2027, 4, 10), "上午", datetime.time(9, 0), datetime.time(11, 30), "00015",
                         "英语（二）", Decimal("30.00")]


def test_timetable_into_another_sitting_and_removal_of_what_the_file_leaves_out(catalog, province_staff):
    october = ExamSittingFactory(code="2027-10", name="2027年10月")
    rows = [excel.TIMETABLE_HEADERS,
            ["2027-10-23", "上午", "09:00", "11:30", "00015", "英语（二）", 30],
            ["2027/10/23", "上午", "09:00", "11:30", 3708, "", "25"]]  # zeros dropped by Excel; name optional

    excel.timetable_import(staff=province_staff, sitting=october, file=io.BytesIO(workbook({"课程考试安排": rows})))
    assert [r[4] for r in excel.timetable_rows(sitting=october)] == ["00015", "03708"]

    excel.timetable_import(staff=province_staff, sitting=october,
                           file=io.BytesIO(workbook({"课程考试安排": rows[:2]})))
    assert [r[4] for r in excel.timetable_rows(sitting=october)] == ["00015"]
    assert len(excel.timetable_rows(sitting=catalog["sitting"])) == 2


def test_a_malformed_majors_file_changes_nothing_and_lists_every_problem(catalog, province_staff):
    before = (excel.majors_rows(), AuditEvent.objects.count())
    content = workbook({
        "专业": [excel.MAJOR_HEADERS,
                 ["050105", "汉语言文学（新）", "本科", "西北师范大学", "开考", None, ""],
                 ["080901", "计算机科学与技术", "研究生", "不存在大学", "开考", None, ""],
                 ["050105", "重复专业", "本科", "西北师范大学", "开考", None, ""]],
        "专业计划": [excel.PLAN_HEADERS,
                     ["050105", "0015A", "英语（二）", 14, "必考", ""],
                     ["999999", "00015", "英语（二）", 14, "必考", ""],
                     ["050105", "03708", "中国近现代史纲要", 2, "必考", ""],
                     ["050105", "03708", "中国近现代史纲要", 2, "选考", ""],
                     ["050105", "00015", "英语（一）", 14, "必修", ""]],
    })

    with pytest.raises(excel.ImportRejected) as rejected:
        excel.majors_import(staff=province_staff, file=io.BytesIO(content))

    problems = {(p.sheet, p.row, p.column) for p in rejected.value.problems}
    assert problems == {
        ("专业", 3, "层次"), ("专业", 3, "主考学校"), ("专业", 4, "专业代码"),
        ("专业计划", 2, "课程代码"), ("专业计划", 3, "专业代码"), ("专业计划", 5, "课程代码"),
        ("专业计划", 6, "课程名称"), ("专业计划", 6, "考试要求"),
    }
    messages = {(p.row, p.column): p.message for p in rejected.value.problems if p.sheet == "专业计划"}
    assert "课程代码“0015A”格式不正确" in messages[(2, "课程代码")]
    assert messages[(3, "专业代码")] == "专业代码 999999 不存在：请在“专业”表中添加该专业。"
    assert messages[(5, "课程代码")] == "重复：与第 4 行的专业和课程相同。"
    assert "应填写：必考、选考" in messages[(6, "考试要求")]
    assert (excel.majors_rows(), AuditEvent.objects.count()) == before


def test_a_wrong_header_is_reported_on_row_one(catalog, province_staff):
    content = workbook({"课程": [["代码", "名称", "学分"], ["00015", "英语（二）", 14]]})

    with pytest.raises(excel.ImportRejected) as rejected:
        excel.courses_import(staff=province_staff, file=io.BytesIO(content))

    [problem] = rejected.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("课程", 1, "表头")
    assert "表头应为“课程代码、课程名称、学分、课程类型、教材名称、主编、出版社、版次”" in problem.message


def test_a_malformed_timetable_changes_nothing(catalog, province_staff):
    sitting = catalog["sitting"]
    before = excel.timetable_rows(sitting=sitting)
    content = workbook({"课程考试安排": [
        excel.TIMETABLE_HEADERS,
        ["2027-04-10", "上午", "09:00", "11:30", "00015", "英语（二）", "-5"],
        ["2027-04-10", "上午", "09:30", "11:30", "03708", "中国近现代史纲要", "20"],
        ["2027-04-31", "晚上", "9点", "11:30", "12345", "", "20.001"],
    ]})

    with pytest.raises(excel.ImportRejected) as rejected:
        excel.timetable_import(staff=province_staff, sitting=sitting, file=io.BytesIO(content))

    assert {(p.row, p.column) for p in rejected.value.problems} == {
        (2, "报考费（元）"), (3, "开始时间"), (4, "考试日期"), (4, "时段"), (4, "开始时间"), (4, "课程代码"),
        (4, "报考费（元）")}
    assert excel.timetable_rows(sitting=sitting) == before


def test_a_file_that_is_not_a_workbook(catalog, province_staff):
    with pytest.raises(excel.ImportRejected) as rejected:
        excel.courses_import(staff=province_staff, file=io.BytesIO(b"not a workbook"))

    assert "无法读取文件" in rejected.value.problems[0].message


def test_the_import_page_lists_problems_with_rows_and_imports_a_valid_file(catalog, province_staff, signed_in):
    client = signed_in(province_staff)
    bad = workbook({"课程": [excel.COURSE_HEADERS, ["0015", "英语", 14, "理论", "", "", "", ""],
                             ["00016", "", 99, "理论", "", "张三", "", ""]]})

    response = client.post(BASE + "courses/import/", {"file": upload(bad)})

    page = response.content.decode()
    assert response.status_code == 400
    assert "文件中有 4 处问题，未导入任何数据" in page
    assert "第 2 行" in page and "第 3 行" in page and "学分应为 0 到 30 的整数。" in page
    assert not Course.objects.filter(code__in=["00016"]).exists()

    good = workbook({"课程": [excel.COURSE_HEADERS, ["00016", "新课程", 4, "理论", "新教材", "", "", ""]]})
    response = client.post(BASE + "courses/import/", {"file": upload(good)}, follow=True)

    assert "导入完成：新增课程 1 门" in response.content.decode()
    assert Course.objects.get(code="00016").textbook.title == "新教材"


def test_exports_download_as_xlsx_for_any_staff(catalog, district_staff, signed_in):
    client = signed_in(district_staff)

    for path in ("majors/export/", "courses/export/", f"sittings/{catalog['sitting'].pk}/export/"):
        response = client.get(BASE + path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        load_workbook(io.BytesIO(response.content))
