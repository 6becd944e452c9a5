"""实践性环节报名 in the back office (/backoffice/practicals/), the 主考学校's own page: the registered
candidate × course rows of its registrations (searchable, paginated, ID numbers masked), Excel export,
合格 / 不合格 per row, and results by Excel import. Only staff of a university office; every row goes
through `selectors.practical_items_for_staff` (another office's row is a 404) and the engine refuses a
result outside the office's queue."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.spreadsheets import ImportRejected, import_problems_context, xlsx_response
from kaowu.staff.actions import panel_action
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render
from kaowu.staff.searches import search_recall, search_remember
from kaowu.workflow.services import WorkflowError

from . import excel, services
from .forms import ImportForm, ListFilterForm, ResultForm
from .selectors import (
    practical_item_for_staff,
    practical_items_for_staff,
    practical_list_courses,
    practical_list_sittings,
    practical_list_visible_to,
)
from .types import PASSED

PAGE_SIZE = 20
SEARCH_LIST = "practicals"
FILTER_KEYS = ("sitting", "course", "result", "s")
NS = "backoffice:practicals_staff"


def university_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not practical_list_visible_to(staff=request.staff):
            messages.info(request, gettext("实践性环节报名名单和考核结果由主考学校登记，本机构无需办理。"))
            return redirect("backoffice:home")
        return view(request, *args, **kwargs)

    return never_cache(staff_required(wrapper))


def _list_url(params: str = "") -> str:
    """The list, with only its own filters kept from `params` (a querystring posted back by a form)."""
    kept = QueryDict(params or "")
    query = {key: kept[key] for key in (*FILTER_KEYS, "page") if kept.get(key)}
    return reverse(f"{NS}:list") + (f"?{urlencode(query)}" if query else "")


def _filtered(request):
    """(filter form, rows, querystring without page, whether a text search applies)."""
    data = request.GET.copy()
    token = data.pop("s", [None])[0]
    if token:
        data["q"] = search_recall(request, list_name=SEARCH_LIST, token=token)
    staff = request.staff
    form = ListFilterForm(data, sittings=practical_list_sittings(staff=staff),
                          courses=practical_list_courses(staff=staff))
    filters = form.cleaned_data if form.is_valid() else {}
    sitting = filters.get("sitting") or ""
    items = practical_items_for_staff(staff=staff, sitting_id=int(sitting) if sitting.isdigit() else None,
                                      course=filters.get("course", ""), result=filters.get("result", ""),
                                      query=filters.get("q", ""))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("q", None)
    return form, items, params, bool(filters.get("q"))


@require_http_methods(["GET", "POST"])
@university_required
def practical_list(request):
    if request.method == "POST":  # the search box: its text stays in the session, the URL gets a token
        params = {k: request.POST[k] for k in ("sitting", "course", "result") if request.POST.get(k)}
        query = request.POST.get("q", "").strip()
        if query:
            params["s"] = search_remember(request, list_name=SEARCH_LIST, query=query[:40])
        return redirect(reverse(f"{NS}:list") + ("?" + urlencode(params) if params else ""))
    form, items, params, searched = _filtered(request)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    # The list shows names: looking is logged (that there was a search, never its text).
    audit_record(actor=request.user, action=AuditAction.PRACTICAL_LIST, request=request,
                 detail={"has_query": searched, "page": page.number, "results": page.paginator.count})
    back = params.copy()
    if page.number > 1:
        back["page"] = str(page.number)
    return staff_render(request, "practicals/staff/list.html", {
        "form": form, "page_obj": page, "querystring": params.urlencode(), "back": back.urlencode(),
        "filtered": any(request.GET.get(k) for k in FILTER_KEYS), "result_form": ResultForm(),
    }, section="practicals")


@require_GET
@university_required
def practical_export(request):
    _form, items, _params, _searched = _filtered(request)
    content = excel.practical_list_export(staff=request.staff, items=items, request=request)
    name = gettext("实践性环节报名名单_%(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(content, name)


@never_cache
@require_POST
@staff_required
def practical_result(request, pk: int):
    """合格 / 不合格 of one row, posted from the list (a row outside the office's own list is a 404,
    whatever the office)."""
    item = practical_item_for_staff(staff=request.staff, pk=pk)

    def act(data):
        services.practical_result_record(staff=request.staff, item=item, passed=data["result"] == PASSED,
                                         note=data["note"], request=request)

    success = gettext("已登记 %(course)s 的考核结果。") % {"course": item.label}
    return panel_action(request, ResultForm(request.POST), act, success=success,
                        back=_list_url(request.POST.get("back", "")))


@require_http_methods(["GET", "POST"])
@university_required
def practical_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            result = excel.practical_results_import(staff=request.staff, file=file, name=file.name, request=request)
        except ImportRejected as rejected:
            problems = rejected.problems
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, result.summary)
            return redirect(f"{NS}:list")
    return staff_render(request, "practicals/staff/import.html", {
        "form": form, **import_problems_context(problems), "layout": excel.LAYOUT,
    }, section="practicals", status=400 if (problems or form.errors) else 200)
