from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from kaowu.audit.events import AuditAction
from kaowu.audit.selectors import (
    audit_actions_in,
    audit_events_filter,
    audit_events_visible_to,
    audit_log_allowed,
    personal_data_access_allowed,
    personal_data_access_choices,
    personal_data_accesses,
)
from kaowu.audit.services import audit_record
from kaowu.core.spreadsheets import Column, Spreadsheet
from kaowu.identity.models import Photo
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from ..forms import AuditFilterForm
from ..forms_audit import PersonalDataAccessFilterForm

PAGE_SIZE = 30


@never_cache
@staff_required
def audit_log(request):
    """审计日志: the audit rows of the staff member's jurisdiction, by action and date."""
    staff = request.staff
    if not audit_log_allowed(staff=staff):
        messages.error(request, gettext("审计日志仅限本机构管理员查看。"))
        return redirect("backoffice:home")
    events = audit_events_visible_to(staff=staff)
    form = AuditFilterForm(request.GET or None, actions=audit_actions_in(queryset=events))
    if form.is_valid():
        events = audit_events_filter(queryset=events, action=form.cleaned_data["action"],
                                     date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"])
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return staff_render(request, "backoffice/audit_log.html", {
        "form": form,
        "page_obj": page,
        "querystring": querystring.urlencode(),
    }, section="audit")


@never_cache
@staff_required
def personal_data_access_log(request):
    """敏感信息访问记录: every look at a full ID number, phone, photo, video or document, for the
    province authority only; viewing and exporting it is itself recorded."""
    staff = request.staff
    if not personal_data_access_allowed(staff=staff):
        raise PermissionDenied
    actors, offices = personal_data_access_choices(staff=staff)
    form = PersonalDataAccessFilterForm(request.GET or None, actors=actors, offices=offices)
    filters = {}
    if form.is_valid():
        filters = {"date_from": form.cleaned_data["date_from"], "date_to": form.cleaned_data["date_to"],
                   "actor_id": form.cleaned_data["actor"], "office_id": form.cleaned_data["office"]}
    rows = personal_data_accesses(staff=staff, **filters)
    # The audit detail holds only dates and ids of the filter, never personal data.
    recorded = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.items() if v}
    if request.GET.get("export") == "xlsx" and not form.errors:
        count = rows.count()
        audit_record(actor=request.user, action=AuditAction.AUDIT_PII_ACCESS_EXPORTED, request=request,
                     detail={**recorded, "results": count})
        return _personal_data_access_workbook(rows).response(gettext("敏感信息访问记录.xlsx"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action=AuditAction.AUDIT_PII_ACCESS_VIEWED, request=request,
                 detail={**recorded, "page": page.number})
    for event in page.object_list:
        event.fields_text = _fields_text(event)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    querystring.pop("export", None)
    return staff_render(request, "backoffice/personal_data_access.html", {
        "form": form,
        "page_obj": page,
        "querystring": querystring.urlencode(),
    }, section="pii_access")


_PII_FIELD_LABELS = {
    "id_number": _("身份证号"),
    "phone": _("手机号"),
    "email": _("电子邮箱"),
    "appeal_video": _("申诉视频"),
}
_PII_PREFIX_LABELS = {
    "photo": _("照片"),
    "document": _("专升本材料"),
    "attachment": _("申请附件"),
}


def personal_data_field_label(field: str) -> str:
    """"photo:id_photo" → "照片（证件照）", "id_number" → "身份证号"."""
    if field in _PII_FIELD_LABELS:
        return str(_PII_FIELD_LABELS[field])
    prefix, _sep, kind = field.partition(":")
    if prefix in _PII_PREFIX_LABELS:
        kind_label = kind
        if prefix == "photo":
            kind_label = str(dict(Photo.Kind.choices).get(kind, kind))
        return gettext("%(what)s（%(kind)s）") % {"what": _PII_PREFIX_LABELS[prefix], "kind": kind_label}
    return field


def _fields_text(event) -> str:
    fields = (event.detail or {}).get("fields") or []
    # Translators: the enumeration comma between listed values (身份证号、手机号).
    return gettext("、").join(personal_data_field_label(str(f)) for f in fields)


def _actor_text(event) -> str:
    if event.actor is None:
        return ""
    return f"{event.actor.real_name}（{event.actor.username}）" if event.actor.is_staff_member else event.actor.real_name


def _personal_data_access_workbook(rows) -> Spreadsheet:
    columns = [Column(gettext("时间"), width=20), Column(gettext("工作人员"), width=24),
               Column(gettext("所属机构"), width=28), Column(gettext("考生（已脱敏）"), width=28),
               Column(gettext("查看的信息"), width=36), Column(gettext("IP 地址"), width=18)]
    book = Spreadsheet()
    book.add_sheet(gettext("敏感信息访问记录"), columns, (
        [timezone.localtime(event.created_at), _actor_text(event),
         event.actor_office.name if event.actor_office else "", event.target_label, _fields_text(event),
         event.ip_address or ""]
        for event in rows.iterator(chunk_size=2000)
    ), heading=gettext("敏感信息访问记录"))
    return book
