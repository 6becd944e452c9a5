"""免考规则 in Excel: export (one row per rule, its courses in one cell) and import (every row checked
first; nothing is written unless the whole file is valid). Files go through kaowu.core.spreadsheets,
the only module that touches openpyxl."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.catalog.models import Course, Major
from kaowu.core.spreadsheets import Column, ImportRejected, Spreadsheet, SpreadsheetError, echo, table_rows
from kaowu.core.spreadsheets import ImportProblem as Problem
from kaowu.organization.models import StaffMember

from .models import ExemptionRule
from .services import ExemptionRuleError, rules_require_editor

SHEET = "免考规则"
HEADERS = ("免考类型", "证书或资格", "专业代码", "专业名称", "可免考课程代码", "说明", "启用")
MAX_ROWS = 20_000
LAYOUT = {
    "sheets": [(SHEET, HEADERS)],
    "notes": [
        _("每行一条规则：免考类型填“学历证书免考”或“非学历证书免考”；同一免考类型、证书或资格、专业代码的规则已存在的更新，"
          "不存在的新增；文件中没有的规则不变。"),
        _("可免考课程代码填一门或多门课程，用顿号、逗号或空格分隔，每门课程须在该专业的专业计划中；专业名称仅供核对，导入时不读取。"),
        _("启用填“是”或“否”，不填为“是”。"),
    ],
}
SEPARATORS = ("、", "，", ",", ";", "；", "\n")


@dataclass(frozen=True)
class ImportResult:
    summary: str
    created: int
    updated: int


def rules_export(*, staff: StaffMember, rules, request=None) -> bytes:
    rows = [(rule.get_kind_display(), rule.certificate, rule.major.code, rule.major.name,
             "、".join(sorted(c.code for c in rule.courses.all())), rule.note, "是" if rule.is_active else "否")
            for rule in rules]
    audit_record(actor=staff.user, action=AuditAction.EXEMPTION_RULES_EXPORTED, request=request,
                 detail={"rows": len(rows)})
    book = Spreadsheet()
    book.add_sheet(SHEET, [Column(HEADERS[0]), Column(HEADERS[1], width=40), Column(HEADERS[2], text=True),
                           Column(HEADERS[3]), Column(HEADERS[4], width=40, text=True), Column(HEADERS[5], width=40),
                           Column(HEADERS[6], width=8)], rows)
    return book.content()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _codes(text: str) -> list[str]:
    for separator in SEPARATORS:
        text = text.replace(separator, " ")
    return [code.zfill(5) if code.isdigit() else code for code in text.split()]


def _read(file, name: str) -> tuple[list, list[Problem]]:
    """The rows of the file as dicts by header, or the problems of its layout."""
    try:
        rows = list(table_rows(file, name=name, max_rows=MAX_ROWS + 1))
    except SpreadsheetError as exc:
        raise ExemptionRuleError(exc.message) from None
    if not rows:
        return [], [Problem(SHEET, 0, "", gettext("文件中没有数据"))]
    header = [_text(v) for v in rows[0][1]]
    missing = [h for h in HEADERS if h not in header and h != "专业名称"]
    if missing:
        return [], [Problem(SHEET, rows[0][0], "", gettext("第 1 行缺少表头：%(headers)s") % {"headers": "、".join(missing)})]
    index = {h: header.index(h) for h in HEADERS if h in header}
    records = []
    for number, values in rows[1:]:
        row = {h: _text(values[i]) if i < len(values) else "" for h, i in index.items()}
        if any(row.values()):
            records.append((number, row))
    return records, []


def _row_checked(number: int, row: dict, *, lookups: dict, problem) -> tuple:
    """One row as (kind, certificate, major, courses, note, active); each problem reported with `problem`."""
    kind = lookups["kinds"].get(row["免考类型"])
    if kind is None:
        problem(number, "免考类型", gettext("免考类型“%(value)s”不正确，应填“学历证书免考”或“非学历证书免考”")
                % {"value": echo(row["免考类型"])})
    certificate = row["证书或资格"]
    if not certificate:
        problem(number, "证书或资格", gettext("请填写证书或资格"))
    elif len(certificate) > 100:
        problem(number, "证书或资格", gettext("证书或资格不能超过100个字"))
    major = lookups["majors"].get(row["专业代码"])
    if major is None:
        problem(number, "专业代码", gettext("专业代码“%(value)s”不存在") % {"value": echo(row["专业代码"])})
    chosen = _row_courses(number, row, major=major, lookups=lookups, problem=problem)
    active = {"": True, "是": True, "否": False}.get(row.get("启用", ""))
    if active is None:
        problem(number, "启用", gettext("启用应填“是”或“否”"))
    if len(row.get("说明", "")) > 200:
        problem(number, "说明", gettext("说明不能超过200个字"))
    return kind, certificate, major, chosen, row.get("说明", ""), active


def _row_courses(number: int, row: dict, *, major, lookups: dict, problem) -> list:
    codes = _codes(row["可免考课程代码"])
    if not codes:
        problem(number, "可免考课程代码", gettext("请至少填写一门可免考课程"))
    chosen = []
    for code in codes:
        course = lookups["courses"].get(code)
        if course is None:
            problem(number, "可免考课程代码", gettext("课程代码“%(value)s”不存在") % {"value": echo(code)})
        elif major is not None:
            planned = lookups["planned"]
            if major.pk not in planned:
                planned[major.pk] = set(major.plan_courses.values_list("course_id", flat=True))
            if course.pk in planned[major.pk]:
                chosen.append(course)
            else:
                problem(number, "可免考课程代码", gettext("课程 %(code)s 不在专业 %(major)s 的专业计划中")
                        % {"code": code, "major": major.code})
    return chosen


def rules_import(*, staff: StaffMember, file, name: str, request=None) -> ImportResult:
    rules_require_editor(staff=staff)
    records, problems = _read(file, name)
    lookups = {"kinds": {str(label): value for value, label in ExemptionRule.Kind.choices},
               "majors": {m.code: m for m in Major.objects.all()},
               "courses": {c.code: c for c in Course.objects.all()}, "planned": {}}
    parsed, seen = [], {}

    def problem(number, column, message):
        problems.append(Problem(SHEET, number, column, message))

    for number, row in records:
        checked = _row_checked(number, row, lookups=lookups, problem=problem)
        key = (checked[0], checked[1], row["专业代码"])
        if key in seen:
            problem(number, "证书或资格", gettext("与第 %(row)s 行重复") % {"row": seen[key]})
        seen[key] = number
        parsed.append(checked)
    if len(records) > MAX_ROWS:
        problem(0, "", gettext("文件超过%(n)s行，请分批导入") % {"n": MAX_ROWS})
    if problems:
        raise ImportRejected(problems)

    created = updated = 0
    with transaction.atomic():
        for kind, certificate, major, chosen, note, active in parsed:
            rule, new = ExemptionRule.objects.update_or_create(
                kind=kind, certificate=certificate, major=major, defaults={"note": note, "is_active": active})
            rule.courses.set(chosen)
            created += new
            updated += not new
        audit_record(actor=staff.user, action=AuditAction.EXEMPTION_RULES_IMPORTED, request=request,
                     detail={"file": echo(name, 100), "created": created, "updated": updated})
    return ImportResult(summary=gettext("已导入免考规则：新增 %(created)s 条，更新 %(updated)s 条。")
                        % {"created": created, "updated": updated}, created=created, updated=updated)
