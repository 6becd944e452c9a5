"""免考规则 in the back office (/backoffice/exemptions/): list, add / edit / delete, Excel export and
import. Every staff member may read; only the province authority changes (services check it too)."""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.core.spreadsheets import import_problems_context, xlsx_response
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import excel, services
from .forms import ImportForm, RuleForm, RuleSearchForm
from .models import ExemptionRule
from .selectors import rules_editable_by, rules_search

PAGE_SIZE = 20
NS = "backoffice:exemptions_staff"


def url(name: str, *args) -> str:
    return reverse(f"{NS}:{name}", args=args)


def render(request, template: str, context: dict | None = None, *, status: int = 200):
    return staff_render(request, f"exemptions/staff/{template}", {
        "can_edit": rules_editable_by(staff=request.staff), **(context or {})}, section="exemptions", status=status)


def editor_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not rules_editable_by(staff=request.staff):
            messages.error(request, gettext("免考规则由省级考试机构维护，您可以查看，但不能修改。"))
            return redirect(url("list"))
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def _searched(request):
    form = RuleSearchForm(request.GET or None)
    query = kind = ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"].strip(), form.cleaned_data["kind"]
    return form, rules_search(query=query, kind=kind), bool(query or kind)


@require_GET
@staff_required
def rule_list(request):
    form, rules, filtered = _searched(request)
    page = Paginator(rules, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "list.html", {"form": form, "page_obj": page, "querystring": querystring.urlencode(),
                                         "filtered": filtered})


@require_http_methods(["GET", "POST"])
@editor_required
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(ExemptionRule.objects.select_related("major"), pk=pk) if pk else None
    if request.method == "POST":
        form = RuleForm(request.POST)
    else:
        form = RuleForm(initial=RuleForm.initial_of(rule) if rule else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.rule_save(staff=request.staff, rule=rule, kind=data["kind"],
                                       certificate=data["certificate"], major=data["major"], courses=data["courses"],
                                       note=data["note"], is_active=data["is_active"], request=request)
        except services.ExemptionRuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext("已保存免考规则：%(rule)s。") % {"rule": saved})
            return redirect(url("list"))
    title = gettext("修改免考规则") if rule else gettext("新增免考规则")
    return render(request, "form.html", {"form": form, "title": title, "rule": rule},
                  status=400 if form.errors else 200)


@require_POST
@editor_required
def rule_delete(request, pk: int):
    rule = get_object_or_404(ExemptionRule, pk=pk)
    services.rule_delete(staff=request.staff, rule=rule, request=request)
    messages.success(request, gettext("已删除免考规则。"))
    return redirect(url("list"))


@require_GET
@staff_required
def rules_export(request):
    _, rules, _ = _searched(request)
    return xlsx_response(excel.rules_export(staff=request.staff, rules=rules, request=request),
                         gettext("免考规则.xlsx"))


@require_http_methods(["GET", "POST"])
@editor_required
def rules_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            result = excel.rules_import(staff=request.staff, file=file, name=file.name, request=request)
        except excel.ImportRejected as rejected:
            problems = rejected.problems
        except services.ExemptionRuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, result.summary)
            return redirect(url("list"))
    return render(request, "import.html", {
        "form": form, **import_problems_context(problems), "layout": excel.LAYOUT}, status=400 if (problems or form.errors) else 200)
