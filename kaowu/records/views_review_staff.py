"""成绩复核 on the staff side: the actions of the card on the 申请审核 detail page (the card itself is the
type's `staff_panel` hook in review.py: the score, the uploaded stamped form, and 登记复核结果 for the
province authority while 审核中). Applications are found through
`workflow.selectors.application_get_for_staff`: another office's is a 404."""

from django.http import Http404
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.staff.actions import panel_action
from kaowu.staff.decorators import staff_required
from kaowu.workflow import selectors as workflow_selectors

from . import review, services
from .review import ReviewResultForm


def _get(request, pk: int):
    application = workflow_selectors.application_get_for_staff(staff=request.staff, pk=pk)
    if application.type_code != review.CODE:
        raise Http404
    return application


@require_POST
@staff_required
def result(request, pk: int):
    """登记复核结果 (province authority, while 审核中)."""
    application = _get(request, pk)

    def record(data):
        changed = data["outcome"] == "changed"
        services.score_review_record_result(application=application, staff=request.staff, changed=changed,
                                            new_score=data["new_score"] if changed else None, note=data["note"],
                                            request=request)

    return panel_action(request, ReviewResultForm(request.POST), record,
                        success=gettext("已登记复核结果，考生将收到通知。"),
                        back=("backoffice:workflow_staff:detail", pk))


@never_cache
@require_GET
@staff_required
def form_pdf(request, pk: int):
    """《成绩复核申请表》 (PDF) for a reviewer of the application; every download is audited."""
    from .views_review import pdf_response

    application = _get(request, pk)
    audit_record(actor=request.user, action=AuditAction.RECORDS_SCORE_REVIEW_FORM_DOWNLOADED, target=application,
                 request=request, jurisdiction_code=application.candidate.district.code,
                 detail={"number": application.number})
    return pdf_response(application)
