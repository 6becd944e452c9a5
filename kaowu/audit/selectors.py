"""Reading audit rows: always scoped by the reader's jurisdiction."""

import datetime

from django.db.models import QuerySet

from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.organization.models import StaffMember

from .events import AuditAction
from .models import AuditEvent

# Chinese names of the actions (for the audit log page and the staff home) are the labels of
# kaowu.audit.events.AuditAction; a row of an action no longer listed shows its code.
ACTION_LABELS = dict(AuditAction.choices)


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


# --- 敏感信息访问记录: the province's review of every look at a full ID number, phone, photo or video ---

PII_VIEW_ACTION = AuditAction.PII_VIEW
def personal_data_access_allowed(*, staff: StaffMember) -> bool:
    """Only the province authority reviews the personal data access records (all of the province)."""
    return staff.office.kind == staff.office.Kind.PROVINCE_AUTHORITY and staff.office.is_active


def personal_data_accesses(*, staff: StaffMember, date_from: datetime.date | None = None,
                           date_to: datetime.date | None = None, actor_id: int | None = None,
                           office_id: int | None = None) -> QuerySet[AuditEvent]:
    """The `pii.view` rows (who saw which unmasked data of whom, from where, when), newest first.
    Raises PermissionDenied for anyone but the province authority."""
    from django.core.exceptions import PermissionDenied

    if not personal_data_access_allowed(staff=staff):
        raise PermissionDenied
    rows = audit_events_filter(queryset=audit_events_visible_to(staff=staff).filter(action=PII_VIEW_ACTION),
                               date_from=date_from, date_to=date_to)
    if actor_id:
        rows = rows.filter(actor_id=actor_id)
    if office_id:
        rows = rows.filter(actor_office_id=office_id)
    return rows


def personal_data_access_choices(*, staff: StaffMember) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(staff accounts, offices) that appear in the access records, for the filter's choices."""
    from kaowu.organization.models import Office

    User = AuditEvent._meta.get_field("actor").related_model  # the accounts app imports this one
    rows = personal_data_accesses(staff=staff).order_by()
    actors = User.objects.filter(pk__in=rows.values("actor_id")).order_by("real_name", "username")
    offices = Office.objects.filter(pk__in=rows.values("actor_office_id")).order_by("code")
    return ([(u.pk, f"{u.real_name}（{u.username}）" if u.is_staff_member else u.real_name) for u in actors],
            [(o.pk, o.name) for o in offices])
