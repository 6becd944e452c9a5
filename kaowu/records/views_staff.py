"""管理端 › 成绩导入: upload a score file for a sitting, follow its validation, download the template and
the error report, set when the sitting's scores are published. Province authority only (404 for
every other office)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.catalog.models import ExamSitting
from kaowu.catalog.selectors import current_sitting
from kaowu.core.errors import UserFacingError
from kaowu.core.spreadsheets import sheet_rows, workbook_open, xlsx_response
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import imports, selectors, services
from .forms import PublicationForm, ScoreImportForm
from .models import ScoreImport

SECTION = "scores"
PROBLEMS_SHOWN = 50


def _require_province(request) -> None:
    if not selectors.scores_importable_by(staff=request.staff):
        raise Http404


def _import(request, pk: int) -> ScoreImport:
    _require_province(request)
    return get_object_or_404(selectors.score_imports_list(), pk=pk)


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def index(request):
    _require_province(request)
    initial_sitting = current_sitting() or ExamSitting.objects.order_by("-code").first()
    form = ScoreImportForm(request.POST or None, request.FILES or None,
                           initial={"sitting": initial_sitting.pk if initial_sitting else None})
    if request.method == "POST" and form.is_valid():
        try:
            score_import = services.score_import_start(sitting=form.cleaned_data["sitting"],
                                                       file=form.cleaned_data["file"], staff=request.staff,
                                                       request=request)
        except UserFacingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext("文件已上传，正在校验。"))
            return redirect("backoffice:records_staff:detail", score_import.pk)
    page = Paginator(selectors.score_imports_list(), 20).get_page(request.GET.get("page"))
    sittings = []
    for sitting in ExamSitting.objects.order_by("-code")[:4]:
        sittings.append({"sitting": sitting, "published": selectors.scores_published(sitting=sitting),
                         "summary": selectors.sitting_score_summary(sitting=sitting),
                         "form": PublicationForm(initial={"score_publication_at": sitting.score_publication_at},
                                                 prefix=f"s{sitting.pk}")})
    return staff_render(request, "records/staff/index.html", {
        "form": form, "page_obj": page, "sittings": sittings, "headers": imports.TEMPLATE_HEADERS,
    }, section=SECTION)


@never_cache
@staff_required
def detail(request, pk: int):
    score_import = _import(request, pk)
    problems, more = [], 0
    if score_import.status == ScoreImport.Status.REJECTED and score_import.error_report:
        problems, more = _problems_preview(score_import)
    return staff_render(request, "records/staff/detail.html", {
        "imp": score_import, "problems": problems, "more": more,
        "rows_read": _rows_read(score_import)}, section=SECTION)


def _rows_read(score_import: ScoreImport) -> int:
    from django.core.cache import cache

    return cache.get(imports.progress_key(score_import.pk)) or score_import.rows_read


def _problems_preview(score_import: ScoreImport) -> tuple[list, int]:
    rows = []
    with score_import.error_report.open("rb") as handle, workbook_open(handle) as workbook:
        for _number, values in sheet_rows(workbook.worksheets[0], min_row=3, max_columns=4):
            if len(rows) == PROBLEMS_SHOWN:
                break
            rows.append(dict(zip(("row", "column", "value", "reason"), values, strict=False)))
    return rows, max(0, score_import.error_count - len(rows))


@never_cache
@staff_required
def status(request, pk: int):
    """The progress block, polled by htmx every 2 s while 校验中; when finished the page reloads."""
    score_import = _import(request, pk)
    if request.htmx and not score_import.is_active:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return staff_render(request, "records/staff/_status.html", {"imp": score_import,
                                                                 "rows_read": _rows_read(score_import)},
                        section=SECTION)


@staff_required
@require_GET
def error_report(request, pk: int):
    score_import = _import(request, pk)
    if not score_import.error_report:
        raise Http404
    return FileResponse(score_import.error_report.open("rb"), as_attachment=True,
                        filename=f"问题清单-{score_import.original_name.rsplit('.', 1)[0]}.xlsx")


@staff_required
@require_GET
def template(request):
    _require_province(request)
    return xlsx_response(imports.template_xlsx(), "成绩导入模板.xlsx")


@staff_required
@require_POST
def publication(request, sitting_pk: int):
    """成绩公布时间 of a sitting (the catalog's field, changed through the catalog's service)."""
    _require_province(request)
    from kaowu.catalog.services import sitting_save

    sitting = get_object_or_404(ExamSitting, pk=sitting_pk)
    form = PublicationForm(request.POST, prefix=f"s{sitting.pk}")
    if not form.is_valid():
        messages.error(request, gettext("成绩公布时间格式不正确。"))
    else:
        try:
            sitting_save(staff=request.staff, sitting=sitting, request=request,
                         score_publication_at=form.cleaned_data["score_publication_at"])
        except UserFacingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("已保存%(name)s的成绩公布时间。") % {"name": sitting.name})
    return redirect(reverse("backoffice:records_staff:index"))
