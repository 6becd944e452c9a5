"""Excel (.xlsx) export and import of the catalog, in three layouts:

- 专业与专业计划: sheet “专业” (one row per major) and sheet “专业计划” (one row per plan course);
- 课程与教材: sheet “课程” (one row per course with its current textbook);
- 课程考试安排: sheet “课程考试安排” of one sitting (one row per offered course with its session and fee).

An export is a valid import. An import validates every row first and lists every problem (sheet, row
number, column, what is wrong, in Chinese); it changes nothing unless the whole file is valid, and then
applies it in one transaction with one audit row.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.spreadsheets import (
    Column,
    ImportRejected,
    Spreadsheet,
    SpreadsheetError,
    SpreadsheetUnreadable,
    echo,
    sheet_rows,
    workbook_open,
)
from kaowu.core.spreadsheets import ImportProblem as Problem
from kaowu.core.text import clean_free_text
from kaowu.organization.models import Office, StaffMember

from .models import (
    COURSE_CODE_PATTERN,
    MAJOR_CODE_PATTERN,
    Course,
    ExamSitting,
    Major,
    PlanCourse,
    SittingCourse,
    SittingSession,
)
from .services import catalog_require_editor, textbook_for

MAX_ROWS = 5000

MAJOR_SHEET, PLAN_SHEET, COURSE_SHEET, TIMETABLE_SHEET = "专业", "专业计划", "课程", "课程考试安排"
MAJOR_HEADERS = ["专业代码", "专业名称", "层次", "主考学校", "专业状态", "停考过渡期截止日期", "专业说明"]
PLAN_HEADERS = ["专业代码", "课程代码", "课程名称", "学分", "考试要求", "课程组"]
COURSE_HEADERS = ["课程代码", "课程名称", "学分", "课程类型", "教材名称", "主编", "出版社", "版次"]
TIMETABLE_HEADERS = ["考试日期", "时段", "开始时间", "结束时间", "课程代码", "课程名称", "报考费（元）"]

# What the import page shows about each layout.
LAYOUTS = {
    "majors": {
        "sheets": [(MAJOR_SHEET, MAJOR_HEADERS), (PLAN_SHEET, PLAN_HEADERS)],
        "notes": [
            _("“专业”表每行一个专业：专业代码已存在的更新，不存在的新增。层次填“专科”或“本科”；"
              "主考学校填学校名称或机构代码；专业状态填“开考”“停考过渡期”或“停考”，停考过渡期须填截止日期。"),
            _("“专业计划”表每行一门课程：出现在此表中的专业，其专业计划以文件为准（文件中没有的课程将移出计划）；"
              "未出现的专业，专业计划不变。课程须已在“课程与教材”中；考试要求填“必考”或“选考”。"),
        ],
    },
    "courses": {
        "sheets": [(COURSE_SHEET, COURSE_HEADERS)],
        "notes": [
            _("每行一门课程：课程代码（5位数字）已存在的更新，不存在的新增。课程类型填“理论”“实践”或“毕业论文”。"),
            _("教材名称不填表示暂无指定教材；名称、主编、出版社、版次均相同的教材只保存一份。"),
        ],
    },
    "timetable": {
        "sheets": [(TIMETABLE_SHEET, TIMETABLE_HEADERS)],
        "notes": [
            _("每行一门开考课程。本考期的课程考试安排以文件为准：文件中没有的开考课程将移除，不再使用的考试场次将删除。"),
            _("考试日期如 2027-04-10；时段填“上午”或“下午”；时间如 09:00；同一日期同一时段的起止时间须一致。"
              "报考费单位为元，最多两位小数。"),
        ],
    },
}


@dataclass
class ImportResult:
    summary: str
    counts: dict = field(default_factory=dict)


# --- Writing --------------------------------------------------------------------------------------

_TEXT_COLUMNS = {"专业代码", "课程代码", "版次"}


def _columns(headers: list[str]) -> list[Column]:
    return [Column(header, text=header in _TEXT_COLUMNS) for header in headers]


def majors_rows() -> tuple[list[list], list[list]]:
    majors, plans = [], []
    for major in Major.objects.select_related("university").order_by("code"):
        majors.append([major.code, major.name, major.get_level_display(), major.university.name,
                       major.get_status_display(), major.transition_ends_on, major.description])
    entries = PlanCourse.objects.select_related("major", "course").order_by(
        "major__code", "requirement", "group_label", "position", "course__code")
    for entry in entries:
        plans.append([entry.major.code, entry.course.code, entry.course.name, entry.course.credits,
                      entry.get_requirement_display(), entry.group_label])
    return majors, plans


def majors_export() -> bytes:
    majors, plans = majors_rows()
    book = Spreadsheet()
    book.add_sheet(MAJOR_SHEET, _columns(MAJOR_HEADERS), majors)
    book.add_sheet(PLAN_SHEET, _columns(PLAN_HEADERS), plans)
    return book.content()


def courses_rows() -> list[list]:
    rows = []
    for course in Course.objects.select_related("textbook").order_by("code"):
        book = course.textbook
        rows.append([course.code, course.name, course.credits, course.get_kind_display(),
                     book.title if book else "", book.author if book else "", book.publisher if book else "",
                     book.edition if book else ""])
    return rows


def courses_export() -> bytes:
    book = Spreadsheet()
    book.add_sheet(COURSE_SHEET, _columns(COURSE_HEADERS), courses_rows())
    return book.content()


def timetable_rows(*, sitting: ExamSitting) -> list[list]:
    rows = []
    offered = SittingCourse.objects.filter(sitting=sitting).select_related("session", "course").order_by(
        "session__date", "session__half_day", "course__code")
    for item in offered:
        session = item.session
        rows.append([session.date, session.get_half_day_display(), session.start_time, session.end_time,
                     item.course.code, item.course.name, item.fee])
    return rows


def timetable_export(*, sitting: ExamSitting) -> bytes:
    book = Spreadsheet()
    book.add_sheet(TIMETABLE_SHEET, _columns(TIMETABLE_HEADERS), timetable_rows(sitting=sitting))
    return book.content()


# --- Reading --------------------------------------------------------------------------------------


class _Invalid(Exception):
    pass


class _Reader:
    """Rows of one workbook as dicts keyed by header, collecting problems as it goes. The sheets of
    the layout are read at once (through the project's one spreadsheet reader), then the file is closed."""

    def __init__(self, file, sheets: list[tuple[str, list[str]]]):
        self.problems: list[Problem] = []
        self._rows: dict[str, list[tuple[int, dict]] | None] = {}
        try:
            with workbook_open(file) as workbook:
                for title, headers in sheets:
                    self._rows[title] = self._read(workbook, title, headers)
        except SpreadsheetUnreadable:
            self._rows = {}
            self.problem("", 0, "", gettext("无法读取文件：请上传用 Excel 或 WPS 保存的 .xlsx 文件（可先导出一份作为模板）。"))
        except SpreadsheetError as exc:
            self._rows = {}
            self.problem("", 0, "", exc.message)

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, message))

    def rows(self, title: str, headers: list[str]) -> list[tuple[int, dict]] | None:
        """[(row number, {header: value})], or None when the file, the sheet or its header is wrong."""
        return self._rows.get(title)

    def _read(self, workbook, title: str, headers: list[str]) -> list[tuple[int, dict]] | None:
        if title not in workbook.sheetnames:
            self.problem(title, 0, "", gettext("缺少工作表“%(sheet)s”。") % {"sheet": title})
            return None
        values = sheet_rows(workbook[title])
        _number, header_row = next(values, (1, []))
        found = [str(v).strip() if v is not None else "" for v in header_row]
        while found and not found[-1]:
            found.pop()
        if found != headers:
            self.problem(title, 1, gettext("表头"), gettext("表头应为“%(expected)s”，文件中为“%(found)s”。") % {
                "expected": "、".join(headers), "found": "、".join(echo(f) for f in found) or gettext("（空）")})
            return None
        rows = []
        for number, raw in values:
            cells = list(raw[:len(headers)]) + [None] * (len(headers) - len(raw))
            if all(_blank(c) for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                self.problem(title, number, "", gettext("行数超过 %(n)s 行，请分批导入。") % {"n": MAX_ROWS})
                break
            rows.append((number, dict(zip(headers, cells, strict=True))))
        return rows

    def field(self, sheet: str, number: int, column: str, parse, value):
        """parse(value); on _Invalid, a problem for this cell and None."""
        try:
            return parse(value)
        except _Invalid as exc:
            self.problem(sheet, number, column, str(exc))
            return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _free_text(value, *, multiline: bool = False) -> str:
    """A text cell under the rule every form applies (NFC; no control, format or bidi characters)."""
    try:
        return clean_free_text(_text(value), multiline=multiline)
    except ValidationError as exc:
        raise _Invalid(" ".join(exc.messages)) from None


def _required_text(max_length: int):
    def parse(value):
        text = _free_text(value)
        if not text:
            raise _Invalid(gettext("不能为空。"))
        if len(text) > max_length:
            raise _Invalid(gettext("不能超过 %(n)s 个字。") % {"n": max_length})
        return text
    return parse


def _optional_text(max_length: int, *, multiline: bool = False):
    def parse(value):
        text = _free_text(value, multiline=multiline)
        if len(text) > max_length:
            raise _Invalid(gettext("不能超过 %(n)s 个字。") % {"n": max_length})
        return text
    return parse


def _course_code(value) -> str:
    if isinstance(value, int | float) and float(value).is_integer() and 0 <= value < 100000:
        value = f"{int(value):05d}"  # Excel dropped the leading zeros of 00015
    code = _text(value)
    if not code:
        raise _Invalid(gettext("不能为空。"))
    if not re.fullmatch(COURSE_CODE_PATTERN, code):
        raise _Invalid(gettext("课程代码“%(code)s”格式不正确，应为5位数字，例如 00015。") % {"code": echo(code)})
    return code


def _major_code(value) -> str:
    code = _text(value).upper()
    if not code:
        raise _Invalid(gettext("不能为空。"))
    if not re.fullmatch(MAJOR_CODE_PATTERN, code):
        raise _Invalid(gettext("专业代码“%(code)s”格式不正确，应为6位数字（可带字母前缀或后缀），例如 050105、120203K。")
                       % {"code": echo(code)})
    return code


def _choice(choices):
    by_label = {str(label): value for value, label in choices}

    def parse(value):
        text = _text(value)
        if text in by_label:
            return by_label[text]
        raise _Invalid(gettext("“%(value)s”无效，应填写：%(choices)s。") % {
            "value": echo(text) or gettext("（空）"), "choices": "、".join(by_label)})
    return parse


def _credits(value) -> int:
    text = _text(value)
    if not re.fullmatch(r"[0-9]{1,2}", text) or int(text) > 30:
        raise _Invalid(gettext("学分应为 0 到 30 的整数。"))
    return int(text)


def _optional_credits(value) -> int | None:
    return None if _blank(value) else _credits(value)


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _Invalid(gettext("日期“%(value)s”无法识别，请填写如 2027-04-10。") % {"value": echo(text) or gettext("（空）")})


def _optional_date(value) -> datetime.date | None:
    return None if _blank(value) else _date(value)


def _time(value) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time serial (fraction of a day)
        minutes = round(value * 24 * 60)
        return datetime.time(minutes // 60, minutes % 60)
    text = _text(value).replace("：", ":")
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).time().replace(second=0)
        except ValueError:
            continue
    raise _Invalid(gettext("时间“%(value)s”无法识别，请填写如 09:00。") % {"value": echo(text) or gettext("（空）")})


def _fee(value) -> Decimal:
    text = _text(value) if not isinstance(value, float) else repr(value)
    try:
        fee = Decimal(text)
    except (InvalidOperation, ValueError):
        raise _Invalid(gettext("报考费“%(value)s”不是有效金额。") % {"value": echo(text) or gettext("（空）")}) from None
    if not fee.is_finite() or fee < 0:
        raise _Invalid(gettext("报考费不能为负数。"))
    if fee != fee.quantize(Decimal("0.01")):
        raise _Invalid(gettext("报考费最多两位小数。"))
    if fee >= Decimal("1000000"):
        raise _Invalid(gettext("报考费过大。"))
    return fee.quantize(Decimal("0.01"))


def _duplicate(reader: _Reader, seen: dict, key, sheet: str, number: int, column: str, what: str) -> bool:
    if key in seen:
        reader.problem(sheet, number, column, gettext("重复：与第 %(row)s 行的%(what)s相同。") % {
            "row": seen[key], "what": what})
        return True
    seen[key] = number
    return False


def _check_course(reader, sheet, number, courses: dict, code, name, credits=None):
    """The course of a code in the database, checking the informative name (and credits) columns."""
    course = courses.get(code)
    if course is None:
        reader.problem(sheet, number, "课程代码", gettext("课程代码 %(code)s 不存在，请先导入或新增该课程。") % {"code": code})
        return None
    if name and name != course.name:
        reader.problem(sheet, number, "课程名称", gettext("课程名称“%(name)s”与课程代码 %(code)s 不符（系统中为“%(actual)s”）。")
                       % {"name": echo(name), "code": code, "actual": course.name})
    if credits is not None and credits != course.credits:
        reader.problem(sheet, number, "学分", gettext("学分 %(credits)s 与课程 %(code)s 不符（系统中为 %(actual)s）。")
                       % {"credits": credits, "code": code, "actual": course.credits})
    return course


def _reject_if(reader: _Reader) -> None:
    if reader.problems:
        raise ImportRejected(sorted(reader.problems, key=lambda p: (p.sheet != "", p.sheet, p.row)))


def _apply(run):
    try:
        with transaction.atomic():
            return run()
    except IntegrityError:
        raise ImportRejected([Problem("", 0, "", gettext("导入时与已有数据冲突（可能有人同时在修改），未导入任何数据，请重试。"))]) from None


# --- Majors and plans -----------------------------------------------------------------------------


def _majors_read(reader, major_rows) -> dict[str, dict]:
    """专业 sheet: {专业代码: values}; problems go to the reader."""
    universities = {}
    for office in Office.objects.filter(kind=Office.Kind.UNIVERSITY):
        universities[office.name] = universities[office.code] = office
    level, status = _choice(Major.Level.choices), _choice(Major.Status.choices)
    majors: dict[str, dict] = {}
    seen: dict = {}
    for number, row in major_rows or []:
        s = MAJOR_SHEET
        code = reader.field(s, number, "专业代码", _major_code, row["专业代码"])
        values = {
            "name": reader.field(s, number, "专业名称", _required_text(60), row["专业名称"]),
            "level": reader.field(s, number, "层次", level, row["层次"]),
            "status": reader.field(s, number, "专业状态", status, row["专业状态"]),
            "transition_ends_on": reader.field(s, number, "停考过渡期截止日期", _optional_date, row["停考过渡期截止日期"]),
            "description": reader.field(s, number, "专业说明", _optional_text(2000, multiline=True), row["专业说明"]),
        }
        university_name = _text(row["主考学校"])
        values["university"] = universities.get(university_name)
        if values["university"] is None:
            reader.problem(s, number, "主考学校", gettext("主考学校“%(name)s”不存在，请填写已登记的主考学校名称或机构代码。")
                           % {"name": echo(university_name) or gettext("（空）")})
        if values["status"] == Major.Status.TRANSITION and _blank(row["停考过渡期截止日期"]):
            reader.problem(s, number, "停考过渡期截止日期", gettext("停考过渡期的专业须填写过渡期截止日期。"))
        if values["status"] not in (None, Major.Status.TRANSITION):
            values["transition_ends_on"] = None
        if code is None or _duplicate(reader, seen, code, s, number, "专业代码", gettext("专业代码")):
            continue
        majors[code] = values
    return majors


def _plans_read(reader, plan_rows, *, known_majors: set) -> dict[str, list[dict]]:
    """专业计划 sheet: {专业代码: [entry, …]} in the file's order; problems go to the reader."""
    courses = {c.code: c for c in Course.objects.all()}
    requirement = _choice(PlanCourse.Requirement.choices)
    plans: dict[str, list[dict]] = defaultdict(list)
    seen: dict = {}
    for number, row in plan_rows or []:
        s = PLAN_SHEET
        major_code = reader.field(s, number, "专业代码", _major_code, row["专业代码"])
        if major_code is not None and major_code not in known_majors:
            reader.problem(s, number, "专业代码", gettext("专业代码 %(code)s 不存在：请在“专业”表中添加该专业。")
                           % {"code": major_code})
            major_code = None
        code = reader.field(s, number, "课程代码", _course_code, row["课程代码"])
        credits = reader.field(s, number, "学分", _optional_credits, row["学分"])
        course = _check_course(reader, s, number, courses, code, _text(row["课程名称"]), credits) if code else None
        entry = {
            "course": course,
            "requirement": reader.field(s, number, "考试要求", requirement, row["考试要求"]),
            "group_label": reader.field(s, number, "课程组", _optional_text(40), row["课程组"]),
        }
        if major_code is None or code is None:
            continue
        if _duplicate(reader, seen, (major_code, code), s, number, "课程代码", gettext("专业和课程")):
            continue
        plans[major_code].append(entry)
    return plans


def _majors_write(majors: dict[str, dict], existing: dict, counts: dict) -> None:
    for code, values in majors.items():
        major = existing.get(code)
        if major is None:
            existing[code] = Major.objects.create(code=code, **values)
            counts["majors_created"] += 1
        elif any(getattr(major, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(major, k, v)
            major.save()
            counts["majors_updated"] += 1


def _plan_write(major: Major, entries: list[dict], counts: dict) -> None:
    """The major's plan becomes exactly `entries`, in their order."""
    current = {e.course_id: e for e in major.plan_courses.all()}
    wanted = {e["course"].pk for e in entries}
    removed = [e.pk for course_id, e in current.items() if course_id not in wanted]
    PlanCourse.objects.filter(pk__in=removed).delete()
    counts["plan_removed"] += len(removed)
    for position, entry in enumerate(entries):
        values = {"requirement": entry["requirement"], "group_label": entry["group_label"], "position": position}
        item = current.get(entry["course"].pk)
        if item is None:
            PlanCourse.objects.create(major=major, course=entry["course"], **values)
            counts["plan_added"] += 1
        elif any(getattr(item, k) != v for k, v in values.items()):
            # A new position alone (the file's order) is not worth reporting as a change.
            counts["plan_changed"] += int((item.requirement, item.group_label) != (
                values["requirement"], values["group_label"]))
            for k, v in values.items():
                setattr(item, k, v)
            item.save()


def majors_import(*, staff: StaffMember, file, request=None) -> ImportResult:
    catalog_require_editor(staff=staff)
    reader = _Reader(file, LAYOUTS["majors"]["sheets"])
    major_rows = reader.rows(MAJOR_SHEET, MAJOR_HEADERS)
    plan_rows = reader.rows(PLAN_SHEET, PLAN_HEADERS)
    majors = _majors_read(reader, major_rows)
    plans = _plans_read(reader, plan_rows,
                        known_majors=set(majors) | set(Major.objects.values_list("code", flat=True)))
    _reject_if(reader)

    def run():
        counts = {"majors_created": 0, "majors_updated": 0, "plan_added": 0, "plan_removed": 0, "plan_changed": 0}
        existing = {m.code: m for m in Major.objects.select_for_update().filter(code__in=list(majors) + list(plans))}
        _majors_write(majors, existing, counts)
        for code, entries in plans.items():
            _plan_write(existing[code], entries, counts)
        audit_record(actor=staff.user, action=AuditAction.CATALOG_IMPORT_MAJORS, request=request,
                     detail={"majors": len(majors), "plans": len(plans), **counts})
        return counts

    counts = _apply(run)
    summary = gettext("导入完成：新增专业 %(created)s 个，更新 %(updated)s 个；专业计划新增课程 %(added)s 门，"
                      "修改 %(changed)s 门，移出 %(removed)s 门。") % {
        "created": counts["majors_created"], "updated": counts["majors_updated"], "added": counts["plan_added"],
        "changed": counts["plan_changed"], "removed": counts["plan_removed"]}
    return ImportResult(summary=summary, counts=counts)


# --- Courses and textbooks ------------------------------------------------------------------------


def courses_import(*, staff: StaffMember, file, request=None) -> ImportResult:
    catalog_require_editor(staff=staff)
    reader = _Reader(file, LAYOUTS["courses"]["sheets"])
    rows = reader.rows(COURSE_SHEET, COURSE_HEADERS)
    kind = _choice(Course.Kind.choices)
    courses: dict[str, dict] = {}
    seen: dict = {}
    for number, row in rows or []:
        s = COURSE_SHEET
        code = reader.field(s, number, "课程代码", _course_code, row["课程代码"])
        values = {
            "name": reader.field(s, number, "课程名称", _required_text(60), row["课程名称"]),
            "credits": reader.field(s, number, "学分", _credits, row["学分"]),
            "kind": reader.field(s, number, "课程类型", kind, row["课程类型"]),
        }
        book = {
            "title": reader.field(s, number, "教材名称", _optional_text(100), row["教材名称"]),
            "author": reader.field(s, number, "主编", _optional_text(60), row["主编"]),
            "publisher": reader.field(s, number, "出版社", _optional_text(60), row["出版社"]),
            "edition": reader.field(s, number, "版次", _optional_text(30), row["版次"]),
        }
        if not book["title"] and any(book[k] for k in ("author", "publisher", "edition")):
            reader.problem(s, number, "教材名称", gettext("填写了主编、出版社或版次时，须填写教材名称。"))
        if code is None or _duplicate(reader, seen, code, s, number, "课程代码", gettext("课程代码")):
            continue
        courses[code] = {**values, "book": book}
    _reject_if(reader)

    def run():
        counts = {"created": 0, "updated": 0}
        existing = {c.code: c for c in Course.objects.select_for_update().filter(code__in=list(courses))}
        for code, values in courses.items():
            values = dict(values)
            values["textbook"] = textbook_for(**values.pop("book"))
            course = existing.get(code)
            if course is None:
                Course.objects.create(code=code, **values)
                counts["created"] += 1
            elif any(getattr(course, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(course, k, v)
                course.save()
                counts["updated"] += 1
        audit_record(actor=staff.user, action=AuditAction.CATALOG_IMPORT_COURSES, request=request,
                     detail={"rows": len(courses), **counts})
        return counts

    counts = _apply(run)
    summary = gettext("导入完成：新增课程 %(created)s 门，更新 %(updated)s 门，其余 %(same)s 门无变化。") % {
        "created": counts["created"], "updated": counts["updated"],
        "same": len(courses) - counts["created"] - counts["updated"]}
    return ImportResult(summary=summary, counts=counts)


# --- Timetable ------------------------------------------------------------------------------------


def timetable_import(*, staff: StaffMember, sitting: ExamSitting, file, request=None) -> ImportResult:
    catalog_require_editor(staff=staff)
    reader = _Reader(file, LAYOUTS["timetable"]["sheets"])
    rows = reader.rows(TIMETABLE_SHEET, TIMETABLE_HEADERS)
    half_day = _choice(SittingSession.HalfDay.choices)
    courses = {c.code: c for c in Course.objects.all()}
    sessions: dict[tuple, dict] = {}
    offered: dict[str, dict] = {}
    seen: dict = {}
    for number, row in rows or []:
        s = TIMETABLE_SHEET
        date = reader.field(s, number, "考试日期", _date, row["考试日期"])
        half = reader.field(s, number, "时段", half_day, row["时段"])
        start = reader.field(s, number, "开始时间", _time, row["开始时间"])
        end = reader.field(s, number, "结束时间", _time, row["结束时间"])
        code = reader.field(s, number, "课程代码", _course_code, row["课程代码"])
        fee = reader.field(s, number, "报考费（元）", _fee, row["报考费（元）"])
        course = _check_course(reader, s, number, courses, code, _text(row["课程名称"])) if code else None
        if start and end and end <= start:
            reader.problem(s, number, "结束时间", gettext("结束时间须晚于开始时间。"))
            start = end = None
        key = (date, half)
        if date and half and start and end:
            session = sessions.setdefault(key, {"start_time": start, "end_time": end, "row": number})
            if (session["start_time"], session["end_time"]) != (start, end):
                reader.problem(s, number, "开始时间", gettext(
                    "同一场次的时间不一致：第 %(row)s 行为 %(start)s–%(end)s。") % {
                    "row": session["row"], "start": f"{session['start_time']:%H:%M}",
                    "end": f"{session['end_time']:%H:%M}"})
        if code is None or _duplicate(reader, seen, code, s, number, "课程代码", gettext("课程")):
            continue
        offered[code] = {"course": course, "session": key, "fee": fee}
    _reject_if(reader)

    def run():
        ExamSitting.objects.select_for_update().get(pk=sitting.pk)
        counts = {"sessions": len(sessions), "added": 0, "changed": 0, "removed": 0}
        current_sessions = {(s.date, s.half_day): s for s in sitting.sessions.all()}
        for key, times in sessions.items():
            session = current_sessions.get(key)
            if session is None:
                current_sessions[key] = SittingSession.objects.create(
                    sitting=sitting, date=key[0], half_day=key[1], start_time=times["start_time"],
                    end_time=times["end_time"])
            elif (session.start_time, session.end_time) != (times["start_time"], times["end_time"]):
                session.start_time, session.end_time = times["start_time"], times["end_time"]
                session.save()
        current = {o.course.code: o for o in sitting.offered_courses.select_related("course")}
        removed = [o.pk for code, o in current.items() if code not in offered]
        SittingCourse.objects.filter(pk__in=removed).delete()
        counts["removed"] = len(removed)
        for code, item in offered.items():
            session = current_sessions[item["session"]]
            existing = current.get(code)
            if existing is None:
                SittingCourse.objects.create(sitting=sitting, session=session, course=item["course"], fee=item["fee"])
                counts["added"] += 1
            elif existing.session_id != session.pk or existing.fee != item["fee"]:
                existing.session, existing.fee = session, item["fee"]
                existing.save()
                counts["changed"] += 1
        unused = [s.pk for key, s in current_sessions.items() if key not in sessions and not s.courses.exists()]
        SittingSession.objects.filter(pk__in=unused).delete()
        counts["sessions_removed"] = len(unused)
        audit_record(actor=staff.user, action=AuditAction.CATALOG_IMPORT_TIMETABLE, target=sitting, request=request,
                     detail={"rows": len(offered), **counts})
        return counts

    counts = _apply(run)
    summary = gettext("导入完成：%(sessions)s 个考试场次；开考课程新增 %(added)s 门，修改 %(changed)s 门，"
                      "移除 %(removed)s 门。") % counts
    return ImportResult(summary=summary, counts=counts)
