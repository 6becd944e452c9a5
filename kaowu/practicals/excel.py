"""The 主考学校's list in Excel: export (one row per registered candidate × course, ID numbers masked)
and the import of results (考核结果 合格 / 不合格 per row; every row checked first, nothing is written
unless the whole file is valid, the problems listed row by row). Files go through
kaowu.core.spreadsheets, the only module that touches openpyxl."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.masking import mask_id_number
from kaowu.core.spreadsheets import (
    Column,
    ImportProblem,
    ImportRejected,
    Spreadsheet,
    SpreadsheetError,
    echo,
    table_rows,
)
from kaowu.organization.models import StaffMember
from kaowu.workflow.models import ApplicationItem
from kaowu.workflow.services import WorkflowError

from .selectors import practical_items_for_staff, practical_list_visible_to
from .services import NOTE_MAX, practical_result_record
from .types import ITEM_LABELS

SHEET = "实践性环节报名名单"
HEADERS = ("申请编号", "准考证号", "姓名", "身份证号", "专业代码", "专业名称", "课程代码", "课程名称", "考期",
           "报名时间", "考核结果", "说明")
REQUIRED = ("准考证号", "课程代码", "考核结果")
MAX_ROWS = 20_000
RESULTS = {"合格": True, "不合格": False}
LAYOUT = {
    "sheets": [(SHEET, HEADERS)],
    "notes": [
        _("可先导出名单，在“考核结果”列填写“合格”或“不合格”后导入；按准考证号和课程代码找到本校名单中的报名课程，"
          "其他列仅供核对，导入时不读取。"),
        _("“考核结果”不填的行不导入；已登记结果的课程不能更改，填写相同结果的行不变。"),
        _("“说明”选填，不超过200字；不合格未填说明的，登记为“实践考核不合格”。"),
        _("文件中有任何一行有问题时，整个文件都不导入，并逐行列出问题。"),
    ],
}


@dataclass(frozen=True)
class ImportResult:
    summary: str
    passed: int
    failed: int


def _row(item: ApplicationItem) -> tuple:
    application = item.application
    data = application.data
    user = application.candidate.user
    recorded = item.decision != ApplicationItem.Decision.PENDING
    return (application.number, application.exam_number.number if application.exam_number_id else "",
            user.real_name, mask_id_number(user.id_number or ""), data.get("major", ""), data.get("major_name", ""),
            item.key, item.label.split(" ", 1)[-1], application.sitting.name if application.sitting_id else "",
            application.submitted_at, str(ITEM_LABELS[item.decision]) if recorded else "",
            item.comment if recorded else "")


def practical_list_export(*, staff: StaffMember, items, request=None) -> bytes:
    """The rows as shown (filters applied), ID numbers masked; the export is audited."""
    rows = [_row(item) for item in items]
    audit_record(actor=staff.user, action=AuditAction.PRACTICAL_LIST_EXPORTED, request=request,
                 detail={"rows": len(rows)})
    book = Spreadsheet()
    book.add_sheet(SHEET, [Column(HEADERS[0], text=True), Column(HEADERS[1], text=True), Column(HEADERS[2]),
                           Column(HEADERS[3], text=True), Column(HEADERS[4], text=True), Column(HEADERS[5]),
                           Column(HEADERS[6], text=True), Column(HEADERS[7], width=36), Column(HEADERS[8]),
                           Column(HEADERS[9]), Column(HEADERS[10], width=10), Column(HEADERS[11], width=30)],
                   rows, heading=gettext("%(office)s 实践性环节报名名单") % {"office": staff.office.name},
                   notes=[gettext("导出时间：%(at)s；考核结果填写“合格”或“不合格”。") % {
                       "at": timezone.localtime().strftime("%Y年%m月%d日 %H:%M")}])
    return book.content()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read(file, name: str) -> tuple[list, list[ImportProblem]]:
    """The rows of the file as dicts by header (the header row found among the first rows: an
    exported file has a heading and a note above it), or the problems of its layout."""
    try:
        rows = list(table_rows(file, name=name, max_rows=MAX_ROWS + 10))
    except SpreadsheetError as exc:
        raise WorkflowError(exc.message) from None
    if not rows:
        return [], [ImportProblem(SHEET, 0, "", gettext("文件中没有数据"))]
    start = next((i for i, (_number, values) in enumerate(rows[:5])
                  if {"准考证号", "课程代码"} <= {_text(v) for v in values}), 0)
    header = [_text(v) for v in rows[start][1]]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        return [], [ImportProblem(SHEET, rows[start][0], "",
                                  gettext("缺少表头：%(headers)s") % {"headers": "、".join(missing)})]
    index = {h: header.index(h) for h in HEADERS if h in header}
    records = []
    for number, values in rows[start + 1:]:
        row = {h: _text(values[i]) if i < len(values) else "" for h, i in index.items()}
        if any(row.values()):
            records.append((number, row))
    return records, []


BLANK, UNCHANGED = "blank", "unchanged"


def _key(row: dict) -> tuple[str, str]:
    code = row.get("课程代码", "")
    return row.get("准考证号", ""), code.zfill(5) if code.isdigit() else code


def _row_checked(number: int, row: dict, *, items: dict, seen: dict, problem):
    """One row: (item, passed, note) to record, BLANK (no result), UNCHANGED (the result already
    recorded), or None with its problems reported."""
    (exam_number, code), result, note = _key(row), row.get("考核结果", ""), row.get("说明", "")
    if not result:
        return BLANK
    valid = result in RESULTS
    if not valid:
        problem(number, "考核结果", gettext("考核结果“%(value)s”不正确，应填“合格”或“不合格”") % {"value": echo(result)})
    if len(note) > NOTE_MAX:
        problem(number, "说明", gettext("说明不能超过%(n)s个字") % {"n": NOTE_MAX})
        valid = False
    for column, value in (("准考证号", exam_number), ("课程代码", code)):
        if not value:
            problem(number, column, gettext("请填写%(column)s") % {"column": column})
    if not exam_number or not code:
        return None
    if (exam_number, code) in seen:
        problem(number, "课程代码", gettext("与第 %(row)s 行重复") % {"row": seen[(exam_number, code)]})
        return None
    seen[(exam_number, code)] = number
    item = items.get((exam_number, code))
    if item is None:
        problem(number, "准考证号", gettext("本校名单中没有准考证号 %(number)s 报名课程 %(code)s 的记录")
                % {"number": echo(exam_number), "code": echo(code)})
        return None
    if not valid:
        return None
    if item.decision != ApplicationItem.Decision.PENDING:
        if (item.decision == ApplicationItem.Decision.APPROVED) == RESULTS[result]:
            return UNCHANGED
        problem(number, "考核结果", gettext("该课程已登记为“%(result)s”，不能更改") % {
            "result": ITEM_LABELS[item.decision]})
        return None
    return item, RESULTS[result], note


def practical_results_import(*, staff: StaffMember, file, name: str, request=None) -> ImportResult:
    """考核结果 from a file: every row checked against the office's own list first; nothing written
    unless every row is valid; then each result recorded as by the form (合格 joins the 考籍)."""
    if not practical_list_visible_to(staff=staff):
        raise WorkflowError(gettext("实践考核结果由主考学校登记。"))
    records, problems = _read(file, name)
    items = {(item.application.exam_number.number, item.key): item
             for item in practical_items_for_staff(staff=staff) if item.application.exam_number_id}
    to_record, seen, counts = [], {}, Counter()

    def problem(number, column, message):
        problems.append(ImportProblem(SHEET, number, column, message))

    for number, row in records:
        checked = _row_checked(number, row, items=items, seen=seen, problem=problem)
        if checked in (BLANK, UNCHANGED):
            counts[checked] += 1
        elif checked is not None:
            to_record.append((number, *checked))
    if len(records) > MAX_ROWS:
        problem(0, "", gettext("文件超过%(n)s行，请分批导入") % {"n": MAX_ROWS})
    if not problems and not to_record:
        problem(0, "考核结果", gettext("文件中没有需要登记的考核结果（“考核结果”列为空，或与已登记的结果相同）"))
    if problems:
        raise ImportRejected(problems)

    with transaction.atomic():
        for number, item, passed, note in to_record:
            try:
                practical_result_record(staff=staff, item=item, passed=passed, note=note, request=request)
            except WorkflowError as exc:  # changed since the check (another reviewer): nothing is written
                raise ImportRejected([ImportProblem(SHEET, number, "", exc.message)]) from None
        passed_count = sum(1 for _n, _i, passed, _note in to_record if passed)
        audit_record(actor=staff.user, action=AuditAction.PRACTICAL_RESULTS_IMPORTED, request=request,
                     detail={"file": echo(name, 100), "passed": passed_count, "failed": len(to_record) - passed_count,
                             "blank": counts[BLANK], "unchanged": counts[UNCHANGED]})
    failed_count = len(to_record) - passed_count
    summary = gettext("已导入考核结果：合格 %(passed)s 门，不合格 %(failed)s 门。") % {
        "passed": passed_count, "failed": failed_count}
    if counts[BLANK] or counts[UNCHANGED]:
        summary += gettext("未填写结果 %(blank)s 行、与已登记结果相同 %(unchanged)s 行，未改变。") % {
            "blank": counts[BLANK], "unchanged": counts[UNCHANGED]}
    return ImportResult(summary=summary, passed=passed_count, failed=failed_count)
