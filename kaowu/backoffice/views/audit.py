from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from kaowu.audit.selectors import (
    audit_actions_in,
    audit_events_filter,
    audit_events_visible_to,
    audit_log_allowed,
)

from ..decorators import staff_required
from ..forms import AuditFilterForm
from ..layout import staff_render

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
