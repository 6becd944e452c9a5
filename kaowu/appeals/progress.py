"""What the 申诉进度 page says: 提交申诉 → (office)审核中 → 审核完成, the result, the office's phone."""

from django.utils.translation import gettext

from kaowu.core.masking import mask_id_number, mask_phone
from kaowu.workflow.models import Application
from kaowu.workflow.statuses import Status

from .material import district_office_of_appeal


def reviewing_office(application: Application):
    """The office that reviews (or reviewed) the appeal."""
    if application.reviewing_office_id:
        return application.reviewing_office
    decision = (application.transitions.filter(actor_office__isnull=False).select_related("actor_office")
                .order_by("-id").first())
    if decision is not None:
        return decision.actor_office
    return district_office_of_appeal(application, application.data)


def progress_context(application: Application) -> dict:
    office = reviewing_office(application)
    decided = application.status in (Status.APPROVED, Status.REJECTED)
    decision = application.transitions.filter(to_status=application.status).order_by("-id").first() if decided else None
    office_name = office.name if office else gettext("区县招办")
    steps = [
        {"label": gettext("提交申诉"), "state": "is-done", "at": application.submitted_at},
        {"label": gettext("%(office)s审核中") % {"office": office_name},
         "state": "is-done" if decided else "is-current", "at": None},
        {"label": gettext("审核完成（%(result)s）") % {"result": application.status_label} if decided else gettext("审核完成"),
         "state": ("is-done" if application.status == Status.APPROVED else "is-failed") if decided else "",
         "at": application.decided_at},
    ]
    return {
        "application": application,
        "account": mask_id_number(application.applicant.id_number),
        "new_phone": mask_phone(application.data.get("new_phone", "")),
        "steps": steps,
        "office": office,
        "decided": decided,
        "approved": application.status == Status.APPROVED,
        "rejected": application.status == Status.REJECTED,
        "reason": decision.comment if decision is not None and application.status == Status.REJECTED else "",
    }
