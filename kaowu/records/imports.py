"""成绩导入: reading and validating a score file, and writing it.

A file is CSV (UTF-8 with or without BOM, or GBK / GB18030 as Excel saves it in China) or XLSX, with a
header row naming the columns 准考证号, 课程代码, 成绩 and (optional) 缺考/违纪 (a few other spellings are
accepted, see `HEADER_ALIASES`; other columns such as 姓名 or 课程名称 are ignored). 缺考 / 违纪 may also
be written in the 成绩 column itself.

Every row is checked (准考证号 and 课程代码 known, the course offered in the sitting, a paid 报考 of that
course by that 准考证号 in that sitting — the halls record only registered candidates, so a score for
an unregistered course is an error —, the score a number 0–100 with at most one decimal, no score with
缺考, no row twice) and every problem is collected with its row, column, value and reason. Nothing is
written unless the whole file is valid; then every row is written in one transaction:

- a row replaces the score of the same 准考证号, sitting and course written by an earlier import
  (a corrected file is imported again; the last import is the record);
- a passing score (≥ `KAOWU_PASS_SCORE`, no mark) adds the course to the candidate's 考籍
  (`PassedCourse`, source 考试合格) or raises its score — the best score is kept; a course already on
  the record as 转入成绩 or 免考 keeps that record; a correction that takes a pass away (or lowers it)
  recomputes the course's record from the remaining scores.

Reading streams through `kaowu.core.spreadsheets` (CSV line by line, openpyxl read_only after the
zip is inspected), and the sitting's valid
(准考证号, course) pairs are loaded once as integers, so a row costs a few set and dict lookups. On
PostgreSQL the checked rows stream into a temporary table with COPY while the file is read, and are
written with INSERT … SELECT … ON CONFLICT; elsewhere with bulk_create in batches.
"""

import logging
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kaowu.audit.events import AuditAction
from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import Course, ExamSitting, SittingCourse
from kaowu.core.spreadsheets import Column, Spreadsheet, SpreadsheetError, echo, table_rows

from .models import ExamScore, PassedCourse, ScoreImport

logger = logging.getLogger(__name__)

NUMBER, COURSE, SCORE, MARK = "number", "course", "score", "mark"
COLUMN_LABELS = {NUMBER: "准考证号", COURSE: "课程代码", SCORE: "成绩", MARK: "缺考/违纪"}
TEMPLATE_HEADERS = ["准考证号", "课程代码", "成绩", "缺考/违纪"]
HEADER_ALIASES = {
    NUMBER: {"准考证号", "准考证", "准考证号码", "考号", "考生准考证号"},
    COURSE: {"课程代码", "课程编码", "课程号", "课程代号", "课程编号"},
    SCORE: {"成绩", "分数", "考试成绩", "课程成绩", "卷面成绩"},
    MARK: {"缺考/违纪", "缺考违纪", "缺考/违纪标记", "缺考违纪标记", "标记", "考试标记", "缺考、违纪", "缺考或违纪",
           "缺考/违纪标志", "状态", "考试状态", "备注"},
}
MARK_VALUES = {"": ExamScore.Mark.NORMAL, "正常": ExamScore.Mark.NORMAL, "缺考": ExamScore.Mark.ABSENT,
               "缺": ExamScore.Mark.ABSENT, "违纪": ExamScore.Mark.MISCONDUCT, "违": ExamScore.Mark.MISCONDUCT}
MAX_ROWS = 2_000_000             # rows of a score file (a sitting has about 1,000,000 course registrations)
HEADER_SEARCH_ROWS = 10          # a title row or two above the header is fine
PROGRESS_EVERY = 50_000
COPY_CHUNK = 20_000
KEY_SHIFT = 1 << 24              # pair key = exam_number_id * KEY_SHIFT + course_id (course ids stay small)
ORM_BATCH = 2000


class FileUnreadable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    row: int          # the row number as Excel shows it (the header is row 1 when it is the first row)
    column: str       # the column's heading as written in the file, or "" for the whole row / file
    value: str
    reason: str

    def __post_init__(self):
        # What the page and the error report repeat of the file is cut (a cell may hold 32,767 characters).
        object.__setattr__(self, "column", echo(self.column))
        object.__setattr__(self, "value", echo(self.value))


class _Rejected(Exception):
    """Raised inside the write transaction when the file has problems: rolls the staging back."""


def progress_key(import_id: int) -> str:
    return f"records:score-import:{import_id}:rows"


def _normal_header(text) -> str:
    return str(text or "").replace("\u3000", "").replace(" ", "").replace("／", "/").replace("（", "(") \
        .replace("）", ")").strip().lstrip("\ufeff")


def _columns(header: list) -> dict[str, int] | None:
    """Which position holds which column, when `header` is the header row (it names 准考证号)."""
    found = {}
    for index, text in enumerate(header):
        name = _normal_header(text)
        for key, aliases in HEADER_ALIASES.items():
            if name in aliases and key not in found:
                found[key] = index
    return found if NUMBER in found else None


# --- Reading ----------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def file_rows(handle, *, name: str):
    """(row number, [text of each cell]) of the file's first sheet (or the CSV), from its first row,
    through the project's one spreadsheet reader (zip bomb, giant cell and row caps)."""
    try:
        for number, values in table_rows(handle, name=name, max_rows=MAX_ROWS):
            yield number, [_cell_text(v) for v in values]
    except SpreadsheetError as exc:
        raise FileUnreadable(exc.message) from None


# --- The sitting: what a valid row can name -----------------------------------------------------------


@dataclass
class SittingFacts:
    courses: dict[str, int]               # 课程代码 -> course id
    offered: set[int]                     # course ids offered in the sitting
    # Checked in Python (SQLite and other small-database paths) — on PostgreSQL the staged rows are
    # checked against the registrations in SQL instead, and these stay None:
    numbers: dict[str, tuple[int, int]] | None = None  # 准考证号 registered in the sitting -> (id, candidate id)
    registered: set[int] | None = None    # paid (exam_number id, course id) pairs as one int each


def sitting_facts(*, sitting: ExamSitting, registrations_in_python: bool = True) -> SittingFacts:
    """Loaded once per import: a handful of queries, integers only (a million pairs take ~40 MB)."""
    from kaowu.registration.models import RegisteredCourse, Registration

    courses = dict(Course.objects.values_list("code", "id"))
    offered = set(SittingCourse.objects.filter(sitting=sitting).values_list("course_id", flat=True))
    facts = SittingFacts(courses=courses, offered=offered)
    if not registrations_in_python:
        return facts
    registrations = Registration.objects.filter(sitting=sitting)
    numbers_sql, numbers_params = (ExamNumber.objects.filter(pk__in=registrations.values("exam_number_id"))
                                   .values_list("number", "id", "candidate_id").query.sql_with_params())
    pairs_sql = (f"SELECT r.exam_number_id * {KEY_SHIFT} + rc.course_id FROM {RegisteredCourse._meta.db_table} rc "
                 f"JOIN {Registration._meta.db_table} r ON r.id = rc.registration_id "
                 "WHERE r.sitting_id = %s AND rc.status = %s")
    with connection.cursor() as cursor:
        cursor.execute(numbers_sql, numbers_params)
        facts.numbers = {number: (number_id, candidate_id) for number, number_id, candidate_id in cursor.fetchall()}
        cursor.execute(pairs_sql, [sitting.pk, RegisteredCourse.Status.PAID])
        facts.registered = set()
        while chunk := cursor.fetchmany(100_000):
            facts.registered.update(key for (key,) in chunk)
    return facts


def _score_reading(text: str, pass_line: Decimal):
    """(score text for the database, passed) or (None, reason) when the text is not a valid score."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, gettext("成绩不是数字")
    if not value.is_finite():
        return None, gettext("成绩不是数字")
    if value < 0 or value > 100:
        return None, gettext("成绩须在 0 至 100 之间")
    if value != value.quantize(Decimal("0.1")):
        return None, gettext("成绩最多保留一位小数")
    value = value.quantize(Decimal("0.1"))
    return str(value), value >= pass_line


class Validator:
    """Checks rows one by one and hands them to `sink.add`; `sink.fail()` is called at the first
    problem (the file will not be written; checking goes on to find every problem).

    With the sitting's registrations loaded (`facts.numbers`), every rule is checked here and only
    valid rows are handed on, as (exam_number id, course id, score text or None, mark, passed,
    candidate id). Without them (PostgreSQL) every row with a 准考证号 is handed on as (row number,
    准考证号, course id or None when unknown / not offered, score, mark, passed), to be
    checked against the registrations in SQL (`_staged_problems`)."""

    def __init__(self, *, facts: SittingFacts, sink, pass_score: int | None = None):
        self.facts = facts
        self.sink = sink
        self.pass_line = Decimal(settings.KAOWU_PASS_SCORE if pass_score is None else pass_score)
        self.problems: list[Problem] = []
        self.unregistered_numbers: list[tuple[int, str, str]] = []  # (row, column heading, number): resolved at the end
        self.rows = 0
        self.passed = 0
        self.columns: dict[str, int] | None = None
        self.headings: dict[str, str] = {}
        self._scores: dict[str, tuple] = {}
        self._seen: dict = {}  # pair key -> first row (int keys in Python mode, (number, course id) when staged)

    def header(self, row: int, values: list) -> bool:
        columns = _columns(values)
        if columns is None:
            return False
        self.columns = columns
        self.headings = {key: str(values[index]).strip().lstrip("\ufeff") for key, index in columns.items()}
        for key in (COURSE, SCORE):
            if key not in columns:
                self.problems.append(Problem(row, "", "", gettext("表头缺少“%(column)s”列") % {"column": COLUMN_LABELS[key]}))
        if self.problems:
            self.sink.fail()
        return True

    def check(self, row: int, values: list) -> None:  # noqa: C901 — one row, every rule, in file order
        columns = self.columns
        width = len(values)
        number = values[columns[NUMBER]].strip() if columns[NUMBER] < width else ""
        code = values[columns[COURSE]].strip() if columns[COURSE] < width else ""
        score_text = values[columns[SCORE]].strip() if columns[SCORE] < width else ""
        mark_index = columns.get(MARK)
        mark_text = values[mark_index].strip() if mark_index is not None and mark_index < width else ""
        if not (number or code or score_text or mark_text):
            return  # a blank line
        self.rows += 1
        problems = self.problems
        headings = self.headings
        before = len(problems)

        staged = self.facts.numbers is None
        resolved = None
        if not number:
            problems.append(Problem(row, headings[NUMBER], "", gettext("准考证号为空")))
        elif not staged:
            resolved = self.facts.numbers.get(number)
            if resolved is None:
                self.unregistered_numbers.append((row, headings[NUMBER], number))
        course_id = self.facts.courses.get(code)
        if course_id is None and code.isdigit() and len(code) < 5:
            code = code.zfill(5)  # Excel dropped the leading zeros of 00015
            course_id = self.facts.courses.get(code)
        if course_id is None:
            problems.append(Problem(row, headings[COURSE], code,
                                    gettext("课程代码为空") if not code else gettext("课程代码不存在")))
        elif course_id not in self.facts.offered:
            problems.append(Problem(row, headings[COURSE], code, gettext("该课程本考期未开考")))

        if not mark_text and score_text in ("缺考", "违纪"):
            mark_text, score_text = score_text, ""  # 缺考 / 违纪 written in the 成绩 column
        mark = MARK_VALUES.get(mark_text)
        if mark is None:
            problems.append(Problem(row, headings.get(MARK, COLUMN_LABELS[MARK]), mark_text,
                                    gettext("标记只能为空、“缺考”或“违纪”")))
        score, passed = None, False
        if score_text:
            reading = self._scores.get(score_text)
            if reading is None:
                reading = self._scores[score_text] = _score_reading(score_text, self.pass_line)
            if reading[0] is None:
                problems.append(Problem(row, headings[SCORE], score_text, reading[1]))
            elif mark == ExamScore.Mark.ABSENT:
                problems.append(Problem(row, headings[SCORE], score_text, gettext("标记为缺考的行不能填写成绩")))
            else:
                score, passed = reading
        elif mark == ExamScore.Mark.NORMAL:
            problems.append(Problem(row, headings[SCORE], "", gettext("成绩为空（未标记缺考或违纪时须填写成绩）")))
        if mark != ExamScore.Mark.NORMAL:
            passed = False

        if staged:
            # The 准考证号 and its registration are checked in SQL against every staged row.
            if number:
                key = (number, course_id)
                first = self._seen.setdefault(key, row) if course_id is not None else row
                if first != row:
                    problems.append(Problem(row, headings[NUMBER], number,
                                            gettext("与第 %(row)s 行重复（同一准考证号、同一课程）") % {"row": first}))
                if len(problems) == before and passed:
                    self.passed += 1
                self.sink.add(row, number, course_id if course_id in self.facts.offered else None, score, mark, passed)
            if len(problems) != before and not self.sink.failed:
                self.sink.fail()
            return
        if resolved is not None and course_id is not None:
            key = resolved[0] * KEY_SHIFT + course_id
            first = self._seen.get(key)
            if first is not None:
                problems.append(Problem(row, headings[NUMBER], number,
                                        gettext("与第 %(row)s 行重复（同一准考证号、同一课程）") % {"row": first}))
            else:
                self._seen[key] = row
                if key not in self.facts.registered and course_id in self.facts.offered:
                    problems.append(Problem(row, headings[COURSE], code,
                                            gettext("该准考证号本考期没有已缴费的该课程报考")))
        if len(problems) == before and not self.unregistered_numbers:
            if passed:
                self.passed += 1
            self.sink.add(resolved[0], course_id, score, mark, passed, resolved[1])
        elif not self.sink.failed:
            self.sink.fail()

    def finish(self) -> list[Problem]:
        """Resolve the 准考证号 not registered in the sitting (unknown, or known but not registered) and
        return every problem in file order."""
        if self.unregistered_numbers:
            wanted = {number for _, _, number in self.unregistered_numbers}
            known = set()
            listed = sorted(wanted)
            for start in range(0, len(listed), 5000):
                known.update(ExamNumber.objects.filter(number__in=listed[start:start + 5000])
                             .values_list("number", flat=True))
            for row, heading, number in self.unregistered_numbers:
                self.problems.append(Problem(row, heading, number, gettext("该准考证号本考期没有报考") if number in known
                                             else gettext("准考证号不存在")))
            self.problems = _in_file_order(self.problems, self.headings)
        if self.rows == 0 and not self.problems:
            self.problems.append(Problem(0, "", "", gettext("文件中没有成绩数据")))
        return self.problems


def validate_rows(rows, validator: Validator, *, on_progress=None) -> None:
    for number, values in rows:
        if validator.columns is None:
            if number > HEADER_SEARCH_ROWS:
                break
            if validator.header(number, values) and validator.problems:
                return  # header without 课程代码 / 成绩: nothing more can be checked
            continue
        validator.check(number, values)
        if on_progress is not None and validator.rows % PROGRESS_EVERY == 0:
            on_progress(validator.rows)
    if validator.columns is None:
        validator.problems.append(Problem(1, "", "", gettext("找不到表头：第 1 行应为“准考证号、课程代码、成绩、缺考/违纪”")))


# --- Writing --------------------------------------------------------------------------------------------


class _PostgresSink:
    """Streams the rows into a temporary table with COPY while the file is read (the PostgreSQL
    server takes them in on its own core as Python parses). Every row with a 准考证号 is staged, even
    after a problem, so that the registration check in SQL sees the whole file."""

    def __init__(self, cursor):
        self.cursor = cursor
        cursor.execute("DROP TABLE IF EXISTS score_import_rows")  # when called inside an outer transaction
        cursor.execute("CREATE TEMP TABLE score_import_rows (row_no integer, number varchar(16), course_id bigint, "
                       "score numeric(4,1), mark varchar(10), passed boolean) ON COMMIT DROP")
        self._copy_cm = cursor.copy("COPY score_import_rows FROM STDIN")
        self._copy = self._copy_cm.__enter__()
        self._buffer: list[str] = []
        self.failed = False

    def add(self, row, number, course_id, score, mark, passed):
        if course_id is None:
            self._buffer.append(f"{row}\t{_copy_text(number)}\t\\N\t\\N\tnormal\tf\n")
            return
        self._buffer.append(f"{row}\t{_copy_text(number)}\t{course_id}\t{score if score is not None else chr(92) + 'N'}"
                            f"\t{mark}\t{'t' if passed else 'f'}\n")
        if len(self._buffer) >= COPY_CHUNK:
            self._flush()

    def fail(self):
        self.failed = True

    def _flush(self):
        self._copy.write("".join(self._buffer))
        self._buffer = []

    def close(self):
        if self._buffer:
            self._flush()
        self._copy_cm.__exit__(None, None, None)


def _copy_text(text: str) -> str:
    """A value for COPY's text format (a 准考证号 as typed may hold anything)."""
    if text.isalnum():
        return text[:16]
    return text[:16].replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


_PAID_PAIRS_SQL = (
    "SELECT r.exam_number_id, rc.course_id FROM registration_registeredcourse rc "
    "JOIN registration_registration r ON r.id = rc.registration_id WHERE r.sitting_id = %(sitting)s "
    "AND rc.status = 'paid'")


def _staged_problems(cursor, *, sitting_id: int, headings: dict, codes: dict[int, str]) -> list[Problem]:
    """The 准考证号 and registration rules over every staged row, as hash joins in the database."""
    cursor.execute("ANALYZE score_import_rows")
    cursor.execute(
        "SELECT t.row_no, t.number, t.course_id, en.id IS NULL, r.id IS NULL, p.exam_number_id IS NULL "
        "FROM score_import_rows t LEFT JOIN candidates_examnumber en ON en.number = t.number "
        "LEFT JOIN registration_registration r ON r.exam_number_id = en.id AND r.sitting_id = %(sitting)s "
        f"LEFT JOIN ({_PAID_PAIRS_SQL}) p ON p.exam_number_id = en.id AND p.course_id = t.course_id "
        "WHERE en.id IS NULL OR r.id IS NULL OR (t.course_id IS NOT NULL AND p.exam_number_id IS NULL) "
        "ORDER BY t.row_no", {"sitting": sitting_id})
    problems = []
    for row, number, course_id, unknown, unregistered, unpaid in cursor.fetchall():
        if unknown:
            problems.append(Problem(row, headings[NUMBER], number, gettext("准考证号不存在")))
        elif unregistered:
            problems.append(Problem(row, headings[NUMBER], number, gettext("该准考证号本考期没有报考")))
        elif unpaid and course_id is not None:
            problems.append(Problem(row, headings[COURSE], codes.get(course_id, ""),
                                    gettext("该准考证号本考期没有已缴费的该课程报考")))
    return problems


class _ListSink:
    def __init__(self):
        self.rows: list[tuple] = []
        self.failed = False

    def add(self, *row):
        if not self.failed:
            self.rows.append(row)

    def fail(self):
        self.failed = True
        self.rows = []

    def close(self):
        pass


_STAGED_SQL = ("SELECT en.id AS exam_number_id, en.candidate_id, t.course_id, t.score, t.mark, t.passed "
               "FROM score_import_rows t JOIN candidates_examnumber en ON en.number = t.number")


def _write_postgres(cursor, *, score_import: ScoreImport, passed_on) -> tuple[int, int, list]:
    """Write the staged (valid) rows: scores, then the passes into the 考籍 (best score kept)."""
    sitting_id = score_import.sitting_id
    cursor.execute("SELECT EXISTS (SELECT 1 FROM records_examscore WHERE sitting_id = %s)", [sitting_id])
    reimport = cursor.fetchone()[0]
    replaced, lost = 0, []
    if reimport:
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE s.passed AND (NOT t.passed OR t.score < s.score)) "
                       f"FROM ({_STAGED_SQL}) t JOIN records_examscore s ON s.exam_number_id = t.exam_number_id "
                       "AND s.course_id = t.course_id AND s.sitting_id = %s", [sitting_id])
        replaced, losing = cursor.fetchone()
        if losing:
            cursor.execute(f"SELECT t.candidate_id, t.course_id FROM ({_STAGED_SQL}) t JOIN records_examscore s ON "
                           "s.exam_number_id = t.exam_number_id AND s.course_id = t.course_id AND s.sitting_id = %s "
                           "WHERE s.passed AND (NOT t.passed OR t.score < s.score)", [sitting_id])
            lost = cursor.fetchall()
    cursor.execute(
        "INSERT INTO records_examscore (exam_number_id, sitting_id, course_id, score, mark, passed, score_import_id) "
        f"SELECT t.exam_number_id, %s, t.course_id, t.score, t.mark, t.passed, %s FROM ({_STAGED_SQL}) t"
        + (" ON CONFLICT (exam_number_id, sitting_id, course_id) DO UPDATE SET score = EXCLUDED.score, "
           "mark = EXCLUDED.mark, passed = EXCLUDED.passed, score_import_id = EXCLUDED.score_import_id"
           if reimport else ""),
        [sitting_id, score_import.pk])
    written = cursor.rowcount
    # One record per candidate and course: a candidate with two 准考证号 may pass a course on both.
    cursor.execute(
        "INSERT INTO records_passedcourse (candidate_id, course_id, score, source, sitting_id, passed_on, note, "
        "created_at) SELECT DISTINCT ON (t.candidate_id, t.course_id) t.candidate_id, t.course_id, t.score, 'exam', "
        f"%s, %s, '', now() FROM ({_STAGED_SQL} WHERE t.passed) t ORDER BY t.candidate_id, t.course_id, t.score DESC "
        "ON CONFLICT (candidate_id, course_id) DO UPDATE SET score = EXCLUDED.score, sitting_id = EXCLUDED.sitting_id, "
        "passed_on = EXCLUDED.passed_on WHERE records_passedcourse.source = 'exam' AND "
        "(records_passedcourse.score IS NULL OR EXCLUDED.score > records_passedcourse.score)",
        [sitting_id, passed_on])
    return written, replaced, lost


def _write_orm(rows: list[tuple], *, score_import: ScoreImport, passed_on) -> tuple[int, int, list]:
    sitting_id = score_import.sitting_id
    existing = {}
    if ExamScore.objects.filter(sitting_id=sitting_id).exists():
        wanted = {row[0] for row in rows}
        for number_id, course_id, passed, score in ExamScore.objects.filter(sitting_id=sitting_id).values_list(
                "exam_number_id", "course_id", "passed", "score"):
            if number_id in wanted:
                existing[(number_id, course_id)] = (passed, score)
    lost = []
    for number_id, course_id, score, _mark, passed, candidate_id in rows:
        before = existing.get((number_id, course_id))
        if before and before[0] and (not passed or Decimal(score) < before[1]):
            lost.append((candidate_id, course_id))
    objects = [ExamScore(exam_number_id=n, sitting_id=sitting_id, course_id=c, score=s, mark=m, passed=p,
                         score_import=score_import) for n, c, s, m, p, _ in rows]
    ExamScore.objects.bulk_create(objects, batch_size=ORM_BATCH, update_conflicts=True,
                                  unique_fields=["exam_number", "sitting", "course"],
                                  update_fields=["score", "mark", "passed", "score_import"])
    best: dict[tuple[int, int], Decimal] = {}
    for _n, course_id, score, _m, passed, candidate_id in rows:
        if passed:
            value = Decimal(score)
            if value > best.get((candidate_id, course_id), Decimal(-1)):
                best[(candidate_id, course_id)] = value
    candidates = sorted({candidate for candidate, _ in best})
    records = {}
    for start in range(0, len(candidates), 500):
        for record in PassedCourse.objects.filter(candidate_id__in=candidates[start:start + 500]):
            records[(record.candidate_id, record.course_id)] = record
    new, changed = [], []
    for (candidate_id, course_id), score in best.items():
        record = records.get((candidate_id, course_id))
        if record is None:
            new.append(PassedCourse(candidate_id=candidate_id, course_id=course_id, score=score,
                                    source=PassedCourse.Source.EXAM, sitting_id=sitting_id, passed_on=passed_on))
        elif record.source == PassedCourse.Source.EXAM and (record.score is None or score > record.score):
            record.score, record.sitting_id, record.passed_on = score, sitting_id, passed_on
            changed.append(record)
    PassedCourse.objects.bulk_create(new, batch_size=ORM_BATCH)
    PassedCourse.objects.bulk_update(changed, ["score", "sitting", "passed_on"], batch_size=ORM_BATCH)
    return len(rows), sum(1 for row in rows if (row[0], row[1]) in existing), lost


def passed_course_recompute(*, candidate_id: int, course_id: int) -> None:
    """A course's 考试合格 record from the candidate's best passing score in any sitting (after a
    correction took a pass away or lowered it). 转入 / 免考 records are left alone."""
    record = PassedCourse.objects.filter(candidate_id=candidate_id, course_id=course_id).first()
    if record is not None and record.source != PassedCourse.Source.EXAM:
        return
    best = (ExamScore.objects.filter(exam_number__candidate_id=candidate_id, course_id=course_id, passed=True)
            .select_related("sitting").order_by("-score", "-sitting__code").first())
    if best is None:
        if record is not None:
            record.delete()
        return
    passed_on = (best.sitting.score_publication_at or timezone.now()).date()
    PassedCourse.objects.update_or_create(candidate_id=candidate_id, course_id=course_id, defaults={
        "score": best.score, "sitting_id": best.sitting_id, "source": PassedCourse.Source.EXAM,
        "passed_on": passed_on})


def score_file_apply(*, score_import: ScoreImport, handle, name: str) -> list[Problem]:
    """Validate the whole file and, when it is valid, write it (one transaction). Returns the problems
    (empty when the file was imported). Updates `score_import`'s counts (not its status)."""
    sitting = score_import.sitting
    postgres = connection.vendor == "postgresql"
    facts = sitting_facts(sitting=sitting, registrations_in_python=not postgres)
    passed_on = timezone.localdate(sitting.score_publication_at) if sitting.score_publication_at \
        else timezone.localdate()

    def on_progress(rows: int) -> None:
        cache.set(progress_key(score_import.pk), rows, 3600)

    clock, timings = time.perf_counter(), {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if postgres:
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    cursor.execute("SET LOCAL work_mem = '256MB'")
                    sink = _PostgresSink(cursor.cursor)
                else:
                    sink = _ListSink()
                validator = Validator(facts=facts, sink=sink)
                try:
                    validate_rows(file_rows(handle, name=name), validator, on_progress=on_progress)
                except FileUnreadable as exc:
                    validator.problems.append(Problem(0, "", "", exc.message))
                    sink.fail()
                finally:
                    if postgres:
                        _close_quietly(sink)
                lap("read, check and stage")
                facts.registered = None
                problems = validator.finish()
                if postgres and validator.columns is not None and COURSE in validator.columns \
                        and SCORE in validator.columns:
                    codes = {course_id: code for code, course_id in facts.courses.items()}
                    staged = _staged_problems(cursor, sitting_id=sitting.pk, headings=validator.headings, codes=codes)
                    if staged:
                        problems = _in_file_order(problems + staged, validator.headings)
                lap("registration checks")
                score_import.rows_total = score_import.rows_read = validator.rows
                score_import.error_count = len(problems)
                if problems:
                    raise _Rejected
                if postgres:
                    written, replaced, lost = _write_postgres(cursor, score_import=score_import, passed_on=passed_on)
                else:
                    written, replaced, lost = _write_orm(sink.rows, score_import=score_import, passed_on=passed_on)
                for candidate_id, course_id in set(lost):
                    passed_course_recompute(candidate_id=candidate_id, course_id=course_id)
                score_import.rows_written, score_import.rows_replaced = written, replaced
                score_import.passed_count = validator.passed
                score_import.status = ScoreImport.Status.IMPORTED
                score_import.finished_at = timezone.now()
                score_import.save()
                _audit(score_import)
                lap("write scores and passes")
        lap("commit")
        logger.info("score import %s: %s rows in %s", score_import.pk, score_import.rows_total,
                    ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
    except _Rejected:
        return problems
    finally:
        cache.delete(progress_key(score_import.pk))
    return []


def _in_file_order(problems: list[Problem], headings: dict) -> list[Problem]:
    order = {NUMBER: 0, COURSE: 1, SCORE: 2, MARK: 3}
    position = {heading: order[key] for key, heading in headings.items()}
    return sorted(problems, key=lambda p: (p.row, position.get(p.column, 9)))


def _close_quietly(sink: _PostgresSink) -> None:
    try:
        sink.close()
    except Exception:  # the transaction is rolled back anyway
        logger.debug("closing the staging COPY failed", exc_info=True)


def _audit(score_import: ScoreImport) -> None:
    from kaowu.audit.services import audit_record

    audit_record(actor=score_import.uploaded_by, action=AuditAction.RECORDS_SCORES_IMPORTED, target=score_import,
                 jurisdiction_code=settings.KAOWU_PROVINCE_CODE,
                 detail={"sitting": score_import.sitting.code, "file": score_import.original_name,
                         "status": score_import.status, "rows": score_import.rows_total,
                         "errors": score_import.error_count, "written": score_import.rows_written,
                         "replaced": score_import.rows_replaced, "passed": score_import.passed_count})


# --- Files for staff ----------------------------------------------------------------------------------


def error_report_xlsx(problems: list[Problem], *, title: str) -> bytes:
    """问题清单: the title, then one row per problem (行号, 列, 内容, 问题), streamed."""
    book = Spreadsheet()
    columns = [Column("行号", width=10), Column("列", width=14), Column("内容", width=22), Column("问题", width=50)]
    book.add_sheet("问题清单", columns, ([p.row or "", p.column, p.value, p.reason] for p in problems), heading=title)
    return book.content()


def template_xlsx() -> bytes:
    """成绩导入模板: the header row (codes are text columns, so leading zeros stay)."""
    book = Spreadsheet()
    columns = [Column(header, width=width, text=header in ("准考证号", "课程代码"))
               for header, width in zip(TEMPLATE_HEADERS, (18, 12, 10, 14), strict=True)]
    book.add_sheet("成绩", columns, [])
    return book.content()


def error_report_save(score_import: ScoreImport, problems: list[Problem]) -> None:
    title = gettext("%(name)s 的问题清单（共 %(count)s 处，未导入任何数据）") % {
        "name": score_import.original_name, "count": len(problems)}
    score_import.error_report.save(f"score-import-{score_import.pk}-problems.xlsx",
                                   ContentFile(error_report_xlsx(problems, title=title)), save=False)
