"""The appeal video for its reviewers: only for an appeal the staff member's office may see
(`workflow.selectors.application_get_for_staff`, 404 otherwise), every look access-logged, served with
HTTP Range support so the page's <video> can seek."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaowu.audit.services import personal_data_access_record
from kaowu.staff.decorators import staff_required
from kaowu.workflow import selectors

from .material import CODE
from .models import AppealVideo
from .ranges import range_file_response


@never_cache
@require_GET
@staff_required
def video(request, pk: int):
    application = selectors.application_get_for_staff(staff=request.staff, pk=pk)
    if application.type_code != CODE:
        raise Http404
    found = get_object_or_404(AppealVideo, application=application)
    # A seek makes a new Range request: log the first look (from byte 0), not every chunk.
    range_header = request.headers.get("Range", "")
    if not range_header or range_header.replace(" ", "").startswith("bytes=0-"):
        personal_data_access_record(actor=request.user, target=application, fields=["appeal_video"], request=request)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return range_file_response(request, handle, size=found.file.size, content_type="video/mp4")
