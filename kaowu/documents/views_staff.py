"""管理端 › 批量准考证: pick a sitting and an exam area, start the job, watch its progress, download the
ZIP (one PDF per 考点). Jurisdiction as 考场编排: an exam area's office works on its own exam area,
the province authority on any; every other office gets 404. Every download is audited."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.catalog.models import ExamSitting
from kaowu.catalog.selectors import current_sitting
from kaowu.core.http import public_url
from kaowu.core.text import Form
from kaowu.exams.selectors import exam_areas_managed_by
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import services
from .models import TicketBatch

SECTION = "ticket_batches"


class TicketBatchForm(Form):
    sitting = forms.ModelChoiceField(label=_("考期"), queryset=ExamSitting.objects.order_by("-code"),
                                     empty_label=None, error_messages={"required": _("请选择考期")})
    area = forms.ModelChoiceField(label=_("考区"), queryset=None, empty_label=None,
                                  error_messages={"required": _("请选择考区"), "invalid_choice": _("请选择考区")})

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = exam_areas_managed_by(staff=staff)


def _areas(request):
    areas = exam_areas_managed_by(staff=request.staff)
    if not areas.exists():
        raise Http404
    return areas


def _batch(request, pk: int) -> TicketBatch:
    return get_object_or_404(TicketBatch.objects.select_related("sitting", "exam_area", "requested_by")
                             .filter(exam_area__in=_areas(request)), pk=pk)


@never_cache
@staff_required
def batches(request):
    areas = _areas(request)
    sitting = current_sitting()
    form = TicketBatchForm(staff=request.staff, initial={"sitting": sitting, "area": areas.first()})
    recent = list(TicketBatch.objects.filter(exam_area__in=areas).select_related("sitting", "exam_area", "requested_by")[:20])
    return staff_render(request, "documents/staff/batches.html", {
        "form": form, "batches": recent, "active": [b for b in recent if b.is_active]}, section=SECTION)


@require_POST
@staff_required
def batch_start(request):
    _areas(request)
    form = TicketBatchForm(request.POST, staff=request.staff)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("backoffice:documents_staff:batches")
    try:
        services.ticket_batch_request(sitting=form.cleaned_data["sitting"], exam_area=form.cleaned_data["area"],
                                      staff=request.staff, base_url=public_url("/", request=request).rstrip("/"),
                                      request=request)
    except services.TicketError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已开始生成准考证，完成后可在本页下载。"))
    return redirect("backoffice:documents_staff:batches")


@never_cache
@staff_required
def batch_status(request, pk: int):
    """The progress block, polled by htmx every 2 s while the job is queued or running; once it has
    finished the page reloads to show the download."""
    batch = _batch(request, pk)
    if request.htmx and not batch.is_active:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return staff_render(request, "documents/staff/_batch_status.html", {"batch": batch}, section=SECTION)


@never_cache
@staff_required
def batch_download(request, pk: int):
    batch = _batch(request, pk)
    if batch.status != TicketBatch.Status.DONE or not batch.file:
        raise Http404
    try:
        handle = batch.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    audit_record(actor=request.user, action=AuditAction.DOCUMENTS_TICKET_BATCH_DOWNLOADED, target=batch, request=request,
                 jurisdiction_code=batch.exam_area.region.code if batch.exam_area.region_id else "",
                 detail={"sitting": batch.sitting.code, "exam_area": batch.exam_area.code, "tickets": batch.done})
    response = FileResponse(handle, content_type="application/zip")
    name = gettext("准考证_%(sitting)s_%(area)s.zip") % {"sitting": batch.sitting.name, "area": batch.exam_area.name}
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response
