"""Reading audit rows: always scoped by the reader's jurisdiction."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import StaffMember

from .models import AuditEvent

# Chinese names of the actions, for the audit log page and the staff home. An action missing here
# is shown by its code; apps that add actions add their names here.
ACTION_LABELS = {
    "candidate.exam_numbers_merged": _("合档"),
    "candidate.id_number_corrected": _("身份证号更正"),
    "filing.submitted": _("提交基本信息（建档）"),
    "filing.reviewed": _("建档审核"),
    "staff.login": _("工作人员登录"),
    "staff.login.refused": _("拒绝登录（未分配岗位或机构已停用）"),
    "candidate.list": _("查询考生列表"),
    "candidate.view": _("查看考生信息"),
    "pii.view": _("查看完整身份证号/手机号"),
    "admin.add": _("基础数据维护：新增"),
    "admin.change": _("基础数据维护：修改"),
    "admin.delete": _("基础数据维护：删除"),
    "identity.consent": _("同意人脸信息处理"),
    "identity.consent_withdrawn": _("撤回人脸信息处理同意"),
    "identity.photo_uploaded": _("上传身份认证照片"),
    "identity.submitted": _("提交身份验证"),
    "identity.manual_review_requested": _("申请身份认证人工审核"),
    "identity.reviewed": _("身份认证人工审核"),
    "application.draft_saved": _("保存申请草稿"),
    "application.submitted": _("提交申请"),
    "application.approved": _("申请审核通过"),
    "application.rejected": _("申请审核未通过"),
    "application.returned": _("申请退回修改"),
    "application.withdrawn": _("撤回申请"),
    "application.list": _("查询申请审核列表"),
    "application.export": _("导出申请审核列表"),
    "transfer_out.package_exported": _("导出电子转考数据包（电子寄档）"),
    "transfer_out.package_downloaded": _("下载电子转考数据包"),
    "transfer_in.entered": _("录入纸质转入档案"),
    "transfer_in.imported": _("导入电子转考数据包"),
    "transfer_in.import_refused": _("拒绝导入电子转考数据包"),
    "transfer_in.confirmed": _("确认考籍转入"),
    "transfer_in.received": _("接收考籍转入档案"),
    "transfer_in.voided": _("作废考籍转入"),
    "transfer_in.list": _("查询考籍转入列表"),
    "transfer_in.view": _("查看考籍转入"),
    "registration.statistics_exported": _("导出报考统计"),
    "records.scores_imported": _("成绩导入"),
    "records.score_reviewed": _("登记成绩复核结果"),
    "records.score_review_form_downloaded": _("下载成绩复核申请表"),
    "application.score_review_result": _("成绩复核办结"),
    "documents.ticket_batch_requested": _("批量生成准考证"),
    "documents.ticket_batch_downloaded": _("下载批量准考证"),
    "documents.ticket_verified": _("扫码核验准考证"),
    "upgrade.qualification_decided": _("专升本报考资格审核"),
    "upgrade.data_reported": _("专升本数据上报"),
    "upgrade.data_unlocked": _("解锁专升本上报数据"),
    "upgrade.scores_imported": _("导入专升本成绩"),
    "upgrade.admission_run": _("专升本投档"),
    "upgrade.admission_rejected": _("专升本退档"),
    "upgrade.supplementary_opened": _("开放专升本征集志愿"),
    "upgrade.supplementary_run": _("专升本征集志愿投档"),
}


def audit_action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def audit_log_allowed(*, staff: StaffMember) -> bool:
    """Whether the staff member may open the 审计日志 page: administrators of any office.
    (Every staff member sees their own recent actions on the 工作台.)"""
    return staff.role == StaffMember.Role.ADMINISTRATOR


def audit_events_visible_to(*, staff: StaffMember) -> QuerySet[AuditEvent]:
    """The one place where staff scoping of audit rows is decided (through the jurisdiction)."""
    return (
        AuditEvent.objects.filter(jurisdiction_of(staff).audit_q())
        .select_related("actor", "actor_office")
        .order_by("-created_at", "-id")
    )


def audit_events_filter(*, queryset: QuerySet[AuditEvent], action: str = "",
                        date_from: datetime.date | None = None,
                        date_to: datetime.date | None = None) -> QuerySet[AuditEvent]:
    """Narrow a (scoped) queryset by action and by date range, in Beijing time, both ends included."""
    if action:
        queryset = queryset.filter(action=action)
    if date_from:
        queryset = queryset.filter(created_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(created_at__date__lte=date_to)
    return queryset


def audit_actions_in(*, queryset: QuerySet[AuditEvent]) -> list[tuple[str, str]]:
    """(action, label) pairs of the actions present in a queryset, for a filter's choices."""
    actions = queryset.order_by().values_list("action", flat=True).distinct()
    return sorted(((a, audit_action_label(a)) for a in actions), key=lambda pair: pair[0])


def audit_events_of_actor(*, user, limit: int = 10) -> list[AuditEvent]:
    """The most recent actions of one account (a staff member's own trail on the 工作台)."""
    return list(AuditEvent.objects.filter(actor=user).select_related("actor_office")
                .order_by("-created_at", "-id")[:limit])
