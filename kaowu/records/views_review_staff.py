"""成绩复核 on the staff side: the card on the 申请审核 detail page (the score, the uploaded stamped
form, and 登记复核结果 for the province authority while 审核中) and its URLs. Applications are found
through `workflow.selectors.application_get_for_staff`: another office's is a 404."""

from django import forms
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.core.text import Form
from kaowu.organization.models import Office
from kaowu.staff.actions import panel_action
from kaowu.staff.decorators import staff_required
from kaowu.workflow import selectors as workflow_selectors
from kaowu.workflow.statuses import Status

from . import review, services
from .models import ExamScore


class ReviewResultForm(Form):
    outcome = forms.ChoiceField(label=_("复核结果"), widget=forms.RadioSelect,
                                choices=[("unchanged", _("成绩无变化")), ("changed", _("成绩有变化"))],
                                error_messages={"required": _("请选择复核结果")})
    new_score = forms.DecimalField(label=_("复核后成绩"), required=False, min_value=0, max_value=100, decimal_places=1,
                                   max_digits=4, help_text=_("成绩有变化时填写，0–100，最多一位小数"),
                                   widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
                                   error_messages={"invalid": _("请填写 0–100 的成绩，最多一位小数"),
                                                   "min_value": _("复核后成绩须在 0 到 100 之间"),
                                                   "max_value": _("复核后成绩须在 0 到 100 之间"),
                                                   "max_decimal_places": _("成绩最多一位小数"),
                                                   "max_digits": _("复核后成绩须在 0 到 100 之间")})
    note = forms.CharField(label=_("复核说明"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("例如：第三大题漏评 8 分")}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "changed" and cleaned.get("new_score") is None and not self.has_error("new_score"):
            self.add_error("new_score", gettext("成绩有变化时请填写复核后成绩"))
        return cleaned


def review_panel(request, application) -> dict:
    staff = getattr(request, "staff", None)
    can_record = (staff is not None and application.status == Status.REVIEWING
                  and application.reviewing_office_id == staff.office_id
                  and staff.office.kind == Office.Kind.PROVINCE_AUTHORITY)
    version = application.current_version
    return {
        "template": "records/staff/review_panel.html",
        "application": application,
        "data": application.data,
        "score": ExamScore.objects.filter(pk=application.data.get("score_id")).first(),
        "form_attachment": version.attachments.filter(kind=review.FORM_KIND).first() if version else None,
        "result": getattr(application, "score_review_result", None),
        "can_record": can_record,
        "form": ReviewResultForm() if can_record else None,
    }


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
