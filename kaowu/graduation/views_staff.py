"""管理端 › 毕业资格初审: start the batch, follow its progress, read the counts by major and export the
results. Province authority only (404 for every other office)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.spreadsheets import Column, Spreadsheet
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import selectors, services

SECTION = "graduation"


def _require_province(request) -> None:
    if not selectors.eligibility_runnable_by(staff=request.staff):
        raise Http404


def _run(request, pk: int):
    _require_province(request)
    return get_object_or_404(selectors.eligibility_runs(), pk=pk)


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def index(request):
    _require_province(request)
    if request.method == "POST":
        try:
            run = services.eligibility_run_request(staff=request.staff, request=request)
        except services.GraduationError as exc:
            messages.error(request, exc.message)
            return redirect("backoffice:graduation_staff:index")
        messages.success(request, gettext("毕业资格初审已开始。"))
        return redirect("backoffice:graduation_staff:detail", run.pk)
    page = Paginator(selectors.eligibility_runs(), 20).get_page(request.GET.get("page"))
    return staff_render(request, "graduation/staff/index.html", {"page_obj": page}, section=SECTION)


def _by_major(run) -> list[dict]:
    return sorted(run.summary.values(), key=lambda row: row["code"]) if run.summary else []


@never_cache
@staff_required
def detail(request, pk: int):
    run = _run(request, pk)
    return staff_render(request, "graduation/staff/detail.html", {"run": run, "by_major": _by_major(run)},
                        section=SECTION)


@never_cache
@staff_required
def status(request, pk: int):
    """The progress block, polled by htmx every 2 s while the run is active; when finished the page reloads."""
    run = _run(request, pk)
    if request.htmx and not run.is_active:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return staff_render(request, "graduation/staff/_status.html", {"run": run}, section=SECTION)


def _export_rows(run):
    results = (selectors.eligibility_results(run=run).order_by("major__code", "-eligible", "candidate_id")
               .annotate(number=Min("candidate__exam_numbers__number"))
               .values_list("number", "candidate__user__real_name", "major__code", "major__name", "own_major",
                            "eligible", "credits_done", "credits_required", "courses_missing", "missing"))
    yes, no = gettext("是"), gettext("否")
    met, lacking = gettext("符合"), gettext("尚未符合")
    for number, name, code, major, own, eligible, done, required, count, missing in results.iterator(chunk_size=5000):
        yield [number or "", name or "", code, major, yes if own else no, met if eligible else lacking,
               done, required, count, missing]


@staff_required
@require_GET
def export(request, pk: int):
    run = _run(request, pk)
    if run.status != run.Status.DONE:
        raise Http404
    columns = [Column(gettext("准考证号"), 18, text=True), Column(gettext("姓名"), 12),
               Column(gettext("专业代码"), 10, text=True), Column(gettext("专业名称"), 24),
               Column(gettext("本人报考专业"), 12), Column(gettext("初审结论"), 10), Column(gettext("已获学分"), 10),
               Column(gettext("要求学分"), 10), Column(gettext("尚缺课程门数"), 12), Column(gettext("尚缺课程"), 40, text=True)]
    book = Spreadsheet()
    book.add_sheet(gettext("分专业统计"), [Column(gettext("专业代码"), 10, text=True), Column(gettext("专业名称"), 24),
                                          Column(gettext("符合毕业条件"), 14), Column(gettext("本专业尚未符合"), 16)],
                   [[row["code"], row["name"], row["eligible"], row["lacking"]] for row in _by_major(run)],
                   heading=gettext("毕业资格初审 · 分专业统计"))
    written = book.add_sheet(gettext("初审结果"), columns, _export_rows(run))
    audit_record(actor=request.user, action=AuditAction.GRADUATION_ELIGIBILITY_EXPORTED, target=run, request=request,
                 detail={"rows": written})
    return book.response(gettext("毕业资格初审结果-%(n)s.xlsx") % {"n": run.pk})
