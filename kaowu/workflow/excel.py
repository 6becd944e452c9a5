"""导出Excel of a staff queue: one row per application, personal data masked."""

from django.utils import timezone
from django.utils.translation import gettext

from kaowu.core.masking import mask_id_number
from kaowu.core.spreadsheets import Column, Spreadsheet

MAX_ROWS = 5000
WIDTHS = [22, 12, 10, 22, 16, 20, 12, 18, 24, 18, 18, 60]


def headers() -> list[str]:
    return [gettext("申请编号"), gettext("申请类型"), gettext("姓名"), gettext("身份证号"), gettext("准考证号"),
            gettext("所属区县"), gettext("状态"), gettext("当前审核步骤"), gettext("审核机构"), gettext("提交时间"),
            gettext("办结时间"), gettext("申请内容")]


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def row_of(application) -> list:
    kind = application.type
    summary = "；".join(f"{label}：{value}" for label, value in kind.describe(application.data))
    return [application.number, str(kind.label), application.candidate.user.real_name,
            mask_id_number(application.candidate.user.id_number),
            application.exam_number.number if application.exam_number_id else "",
            application.candidate.district.full_name, application.status_label, application.step_label,
            application.reviewing_office.name if application.reviewing_office_id else "",
            _time(application.submitted_at), _time(application.decided_at), summary]


def applications_export(queryset) -> tuple[bytes, int]:
    book = Spreadsheet()
    columns = [Column(header, width=width) for header, width in zip(headers(), WIDTHS, strict=True)]
    count = book.add_sheet(gettext("申请"), columns, (row_of(application) for application in queryset[:MAX_ROWS]))
    return book.content(), count
