"""成绩导入: a valid file is written whole (and passes go to the 考籍); a file with any problem changes
nothing and every problem is reported with its row, column and reason."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kaowu.audit.models import AuditEvent
from kaowu.records.models import ExamScore, PassedCourse, ScoreImport

from .conftest import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = "准考证号,课程代码,成绩,缺考/违纪\n"
VALID = HEADER + (
    "620101000001,00015,75,\n"
    "620101000001,03708,59.5,\n"
    "620101000001,03709,,缺考\n"
    "620101000001,00024,88,违纪\n"
    "620101000002,00015,60,\n"
    "620101000002,03708,92.5,\n"
)


def scores(world):
    return {(s.exam_number.number, s.course.code): (s.score, s.mark, s.passed)
            for s in ExamScore.objects.select_related("exam_number", "course")}


def record(world, key):
    return {p.course.code: (p.score, p.source, p.sitting_id) for p in
            PassedCourse.objects.filter(candidate=world.numbers[key].candidate).select_related("course")}


def test_a_valid_file_writes_every_row_and_adds_passes_to_the_record(world, run_import):
    imp = run_import(VALID)
    assert imp.status == ScoreImport.Status.IMPORTED
    assert (imp.rows_total, imp.rows_written, imp.error_count, imp.passed_count) == (6, 6, 0, 3)
    assert scores(world) == {
        ("620101000001", "00015"): (Decimal("75.0"), "normal", True),
        ("620101000001", "03708"): (Decimal("59.5"), "normal", False),
        ("620101000001", "03709"): (None, "absent", False),
        ("620101000001", "00024"): (Decimal("88.0"), "misconduct", False),
        ("620101000002", "00015"): (Decimal("60.0"), "normal", True),
        ("620101000002", "03708"): (Decimal("92.5"), "normal", True),
    }
    assert record(world, "n1") == {"00015": (Decimal("75.0"), "exam", world.sitting.pk)}
    assert record(world, "n2") == {"00015": (Decimal("60.0"), "exam", world.sitting.pk),
                                   "03708": (Decimal("92.5"), "exam", world.sitting.pk)}
    event = AuditEvent.objects.get(action="records.scores_imported")
    assert event.detail["written"] == 6 and event.detail["status"] == "imported"


def test_the_best_score_is_kept_and_transfers_and_exemptions_are_left_alone(world, run_import):
    candidate = world.numbers["n1"].candidate
    PassedCourse.objects.create(candidate=candidate, course=world.courses["00015"], score=Decimal("80"),
                                source="exam", passed_on="2026-11-20")
    PassedCourse.objects.create(candidate=candidate, course=world.courses["03708"], source="exemption",
                                passed_on="2026-11-20")
    run_import(HEADER + "620101000001,00015,70,\n620101000001,03708,90,\n620101000001,03709,95,\n")
    assert record(world, "n1") == {"00015": (Decimal("80.0"), "exam", None),
                                   "03708": (None, "exemption", None),
                                   "03709": (Decimal("95.0"), "exam", world.sitting.pk)}


def test_a_second_import_replaces_scores_and_a_corrected_fail_leaves_the_record(world, run_import):
    run_import(VALID)
    second = run_import(HEADER + "620101000002,03708,55,\n620101000001,03708,61,\n")
    assert second.status == ScoreImport.Status.IMPORTED and second.rows_replaced == 2
    assert scores(world)[("620101000002", "03708")] == (Decimal("55.0"), "normal", False)
    assert scores(world)[("620101000001", "03708")] == (Decimal("61.0"), "normal", True)
    assert "03708" not in record(world, "n2")
    assert record(world, "n1")["03708"] == (Decimal("61.0"), "exam", world.sitting.pk)
    assert ExamScore.objects.count() == 6


def test_gbk_bom_and_xlsx_files_are_all_accepted(world, run_import):
    rows = "620101000001,00015,75,\n620101000001,03709,,缺考\n"
    gbk = run_import(("准考证号,课程代码,成绩,缺考/违纪\n" + rows).encode("gbk"), "gbk.csv")
    assert gbk.status == ScoreImport.Status.IMPORTED, gbk.failure
    bom = run_import(("\ufeff准考证号,课程代码,成绩,备注\n" + rows.replace("75", "76")).encode("utf-8"), "bom.csv")
    assert bom.status == ScoreImport.Status.IMPORTED
    workbook = xlsx_bytes([["2027年4月成绩"], ["准考证号", "姓名", "课程代码", "分数", "缺考违纪"],
                           ["620101000001", "张伟", 15, 77.5, None], [620101000001, "张伟", "03709", "缺考", None]])
    xlsx = run_import(workbook, "scores.xlsx")
    assert xlsx.status == ScoreImport.Status.IMPORTED
    assert scores(world) == {("620101000001", "00015"): (Decimal("77.5"), "normal", True),
                             ("620101000001", "03709"): (None, "absent", False)}


MALFORMED = HEADER + (
    "620101000001,00015,75,\n"          # 2 fine
    "629999999999,00015,75,\n"          # 3 unknown 准考证号
    "620101000001,99999,75,\n"          # 4 unknown course
    "620101000001,00312,75,\n"          # 5 not offered in the sitting
    "620101000001,03708,八十,\n"        # 6 not a number
    "620101000001,03709,101,\n"         # 7 out of range
    "620101000001,00024,60,缺考\n"      # 8 score with 缺考
    "620101000001,00015,80,\n"          # 9 duplicate of row 2
    "620101000002,00024,70,\n"          # 10 not registered for that course
    "620101000003,00015,70,\n"          # 11 registered but unpaid
    "620101000004,00015,70,\n"          # 12 a number without 报考 in the sitting
    "620101000002,00015,,\n"            # 13 empty score without a mark
    "620101000002,03708,70,请假\n"      # 14 unknown mark
    "620101000002,03708,70.25,\n"       # 15 two decimals, and the same course as row 14
)


def test_a_malformed_file_changes_nothing_and_reports_every_problem(world, run_import):
    PassedCourse.objects.create(candidate=world.numbers["n1"].candidate, course=world.courses["03708"],
                                score=Decimal("70"), passed_on="2026-11-20")
    imp = run_import(MALFORMED)
    assert imp.status == ScoreImport.Status.REJECTED
    assert ExamScore.objects.count() == 0
    assert PassedCourse.objects.count() == 1
    workbook = load_workbook(io.BytesIO(imp.error_report.open("rb").read()))
    rows = [list(r) for r in workbook.active.iter_rows(min_row=3, values_only=True)]
    reasons = {(row, column): reason for row, column, _value, reason in rows}
    assert reasons == {
        (3, "准考证号"): "准考证号不存在",
        (4, "课程代码"): "课程代码不存在",
        (5, "课程代码"): "该课程本考期未开考",
        (6, "成绩"): "成绩不是数字",
        (7, "成绩"): "成绩须在 0 至 100 之间",
        (8, "成绩"): "标记为缺考的行不能填写成绩",
        (9, "准考证号"): "与第 2 行重复（同一准考证号、同一课程）",
        (10, "课程代码"): "该准考证号本考期没有已缴费的该课程报考",
        (11, "课程代码"): "该准考证号本考期没有已缴费的该课程报考",
        (12, "准考证号"): "该准考证号本考期没有报考",
        (13, "成绩"): "成绩为空（未标记缺考或违纪时须填写成绩）",
        (14, "缺考/违纪"): "标记只能为空、“缺考”或“违纪”",
        (15, "准考证号"): "与第 14 行重复（同一准考证号、同一课程）",
        (15, "成绩"): "成绩最多保留一位小数",
    }
    assert [row for row, *_ in rows] == sorted(row for row, *_ in rows)
    assert imp.error_count == 14 and imp.rows_total == 14
    assert rows[0][2] == "629999999999"
    assert AuditEvent.objects.get(action="records.scores_imported").detail["status"] == "rejected"


@pytest.mark.parametrize(("content", "name", "reason"), [
    ("姓名,成绩\n张伟,70\n", "a.csv", "找不到表头"),
    ("准考证号,成绩\n620101000001,70\n", "a.csv", "表头缺少“课程代码”列"),
    (HEADER, "a.csv", "文件中没有成绩数据"),
    (b"PK\x03\x04 not really a workbook", "a.xlsx", "无法读取该 Excel 文件"),
])
def test_a_file_that_cannot_be_read_is_rejected_with_its_reason(world, run_import, content, name, reason):
    imp = run_import(content, name)
    assert imp.status == ScoreImport.Status.REJECTED
    workbook = load_workbook(io.BytesIO(imp.error_report.open("rb").read()))
    assert reason in workbook.active.cell(row=3, column=4).value
    assert ExamScore.objects.count() == 0


def test_the_pass_line_is_a_setting(world, run_import, settings):
    settings.KAOWU_PASS_SCORE = 70
    run_import(HEADER + "620101000001,00015,65,\n620101000001,03708,70,\n")
    assert {code for code in record(world, "n1")} == {"03708"}


def test_the_job_is_safe_to_run_twice(world, run_import):
    from kaowu.records.services import score_import_run

    imp = run_import(VALID)
    again = score_import_run(import_id=imp.pk)
    assert again.status == ScoreImport.Status.IMPORTED
    assert ExamScore.objects.count() == 6


def test_a_candidate_passing_a_course_on_two_numbers_gets_one_record_with_the_best_score(world, run_import):
    from kaowu.testing.factories import ExamNumberFactory

    from .conftest import register

    first = world.numbers["n1"]
    second = ExamNumberFactory(number="620101000009", candidate=first.candidate, exam_area=first.exam_area)
    register(second, world.sitting, ["00015"], major=world.major)
    imp = run_import(HEADER + "620101000001,00015,70,\n620101000009,00015,85,\n")
    assert imp.status == ScoreImport.Status.IMPORTED and imp.passed_count == 2
    assert record(world, "n1") == {"00015": (Decimal("85.0"), "exam", world.sitting.pk)}
