"""管理端 › 申请审核: the office's queue (待审核 / 已处理 / 全部) with filters, search, bulk approval and
Excel export; an application's detail with the candidate's data, versions, attachments, timeline and
the approve / reject / return forms. Everything goes through `selectors.applications_for_staff`:
another office's application is a 404, and the services refuse actions outside the office's queue."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record, personal_data_access_record
from kaowu.core.spreadsheets import xlsx_response
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render
from kaowu.staff.searches import search_recall, search_remember

from . import excel, selectors, services
from .forms import ApproveForm, QueueFilterForm, ReasonForm
from .models import ApplicationAttachment
from .presentation import timeline_rows, version_diff, version_values
from .statuses import Status
from .types import APPROVE, REJECT, RETURN

PAGE_SIZE = 20
TABS = [(selectors.TAB_PENDING, _("待审核")), (selectors.TAB_DONE, _("已处理")), (selectors.TAB_ALL, _("全部"))]
SEARCH_LIST = "applications"


def _queue(request):
    """(tab, filter form, filtered queryset, querystring without page) from the GET parameters."""
    tab = request.GET.get("tab", selectors.TAB_PENDING)
    if tab not in dict(TABS):
        tab = selectors.TAB_PENDING
    data = request.GET.copy()
    token = data.pop("s", [None])[0]
    if token:
        data["q"] = search_recall(request, list_name=SEARCH_LIST, token=token)
    form = QueueFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.applications_for_staff(staff=request.staff, tab=tab)
    queryset = selectors.applications_filter(
        queryset, type_code=filters.get("type", ""), status=filters.get("status", ""),
        submitted_from=filters.get("submitted_from"), submitted_to=filters.get("submitted_to"),
        query=filters.get("q", ""))
    order = ("submitted_at", "id") if tab == selectors.TAB_PENDING else ("-submitted_at", "-id")
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("q", None)
    return tab, form, queryset.order_by(*order), params, bool(filters.get("q"))


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def queue(request):
    if request.method == "POST":  # the search box: its text stays in the session, the URL gets a token
        params = {k: request.POST[k] for k in ("tab", "type", "status", "submitted_from", "submitted_to")
                  if request.POST.get(k)}
        query = request.POST.get("q", "").strip()
        if query:
            params["s"] = search_remember(request, list_name=SEARCH_LIST, query=query[:40])
        return redirect(reverse("backoffice:workflow_staff:queue") + ("?" + urlencode(params) if params else ""))
    tab, form, queryset, params, searched = _queue(request)
    counts = selectors.staff_tab_counts(staff=request.staff)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    # Like 考生管理: the list shows names, so looking is logged (that there was a search, never its text).
    audit_record(actor=request.user, action=AuditAction.APPLICATION_LIST, request=request,
                 detail={"tab": tab, "has_query": searched, "page": page.number, "results": page.paginator.count})
    without_tab = params.copy()
    without_tab.pop("tab", None)
    return staff_render(request, "workflow/staff/queue.html", {
        "tab": tab, "tabs": [(key, label, counts.get(key)) for key, label in TABS], "form": form, "page_obj": page,
        "querystring": params.urlencode(), "filter_querystring": without_tab.urlencode(),
        "filtered": bool(form.is_valid() and any(form.cleaned_data.values())), "searched": searched,
    }, section="applications")


@never_cache
@require_POST
@staff_required
def bulk_approve(request):
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()][:200]
    back = reverse("backoffice:workflow_staff:queue") + (f"?{request.POST['back']}" if request.POST.get("back") else "")
    if not ids:
        messages.warning(request, gettext("请先勾选要审核通过的申请。"))
        return redirect(back)
    results = services.applications_bulk_approve(staff=request.staff, ids=ids,
                                                 comment=request.POST.get("comment", "")[:500], request=request)
    done = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    if done:
        messages.success(request, gettext("已审核通过 %(count)s 条申请。") % {"count": len(done)})
    for r in failed:
        messages.error(request, gettext("%(number)s：%(message)s") % {"number": r.number or f"#{r.pk}",
                                                                     "message": r.message})
    return redirect(back)


@never_cache
@require_GET
@staff_required
def export(request):
    tab, form, queryset, params, searched = _queue(request)
    content, count = excel.applications_export(queryset)
    audit_record(actor=request.user, action=AuditAction.APPLICATION_EXPORT, request=request,
                 detail={"tab": tab, "rows": count, "has_query": searched,
                         "type": form.cleaned_data.get("type", "") if form.is_valid() else "",
                         "status": form.cleaned_data.get("status", "") if form.is_valid() else ""})
    name = gettext("申请审核_%(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(content, name)


ACTIONS = {"approve", "reject", "return"}


def _forms(data=None, action: str | None = None):
    return {
        "approve_form": ApproveForm(data if action == "approve" else None, prefix="approve"),
        "reject_form": ReasonForm(data if action == "reject" else None, prefix="reject", label=_("审核未通过原因"),
                                  placeholder=_("请写明不符合哪项要求，考生将看到此原因")),
        "return_form": ReasonForm(data if action == "return" else None, prefix="return", label=_("退回修改意见"),
                                  placeholder=_("请写明需要修改或补充的内容，考生将看到此意见")),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def detail(request, pk: int):
    staff = request.staff
    application = selectors.application_get_for_staff(staff=staff, pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "item":  # one item of an application decided item by item
        try:
            services.application_item_decide(application=application, staff=staff, key=request.POST.get("key", ""),
                                             approved=request.POST.get("decision") == "approved",
                                             comment=request.POST.get("comment", ""), request=request)
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("已记录该项审核结果。"))
        return redirect("backoffice:workflow_staff:detail", application.pk)
    forms = _forms(request.POST if action in ACTIONS else None, action)
    if action in ACTIONS:
        form = forms[f"{action}_form"]
        if form.is_valid():
            try:
                if action == "approve":
                    services.application_approve(application=application, staff=staff,
                                                 comment=form.cleaned_data["comment"], request=request)
                elif action == "reject":
                    services.application_reject(application=application, staff=staff,
                                                reason=form.cleaned_data["reason"], request=request)
                else:
                    services.application_return(application=application, staff=staff,
                                                reason=form.cleaned_data["reason"], request=request)
            except services.WorkflowError as exc:
                form.add_error("reason" if exc.field == "reason" and "reason" in form.fields else None, exc.message)
            else:
                application.refresh_from_db()
                messages.success(request, {
                    "approve": gettext("已审核通过：%(status)s。"),
                    "reject": gettext("已审核未通过，考生将看到原因。"),
                    "return": gettext("已退回修改，考生将按意见修改后重新提交。"),
                }[action] % {"status": application.status_display})
                return redirect("backoffice:workflow_staff:queue")
    versions = list(selectors.application_versions(application=application))
    current = application.current_version
    previous = next((v for v in reversed(versions) if v.number < current.number), None) if current else None
    return staff_render(request, "workflow/staff/detail.html", {
        "application": application,
        "candidate": application.candidate,
        "can_act": application.status == Status.REVIEWING and application.reviewing_office_id == staff.office_id,
        # Every step passed: 审核通过, or a type's status after it (考籍转出: 已完成; a ConfirmGate's
        # 待考生网上确认, where the last approval led).
        "chain_passed": application.status == Status.APPROVED or (
            application.status not in (Status.REVIEWING, Status.RETURNED)
            and not application.type.is_editable(application.status)
            and application.transitions.filter(from_status=Status.REVIEWING).exclude(to_status__in=[
                Status.REVIEWING, Status.RETURNED, Status.REJECTED, Status.WITHDRAWN]).exists()),
        "can_approve": application.type.allows(APPROVE),
        "can_return": application.type.allows(RETURN) and application.type.flow.allowed(application.status,
                                                                                        Status.RETURNED),
        "can_reject": application.type.allows(REJECT),
        "type_template": application.type.staff_detail_template,
        "values": version_values(application, current),
        "diff": version_diff(application, previous, current) if previous else [],
        "previous": previous,
        "versions": [(v, [(a, str(application.type.attachment_kinds.get(a.kind, a.kind))) for a in v.attachments.all()])
                     for v in reversed(versions)],
        "timeline": timeline_rows(selectors.application_timeline(application=application), for_staff=True),
        "chain": [(i, step.label) for i, step in enumerate(application.type.review_chain)],
        # The type's own staff actions (考籍转出: 寄档), a card included below the data.
        "panel": application.type.staff_panel(request, application),
        "items": list(application.items.all()),
        **forms,
    }, section="applications", status=400 if action in ACTIONS else 200)


@never_cache
@require_GET
@staff_required
def attachment(request, pk: int, attachment_pk: int):
    """An uploaded material, for a reviewer of the application; every look is access-logged."""
    from .views import attachment_response

    application = selectors.application_get_for_staff(staff=request.staff, pk=pk)
    found = get_object_or_404(ApplicationAttachment, pk=attachment_pk, version__application=application)
    personal_data_access_record(actor=request.user, target=application, fields=[f"attachment:{found.kind}"],
                                request=request)
    return attachment_response(found)
