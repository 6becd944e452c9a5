"""考籍转出 on the staff side: the card on the 申请审核 detail page (寄档 for the province authority
once 审核通过, the mailing once recorded, the 转出登记表) and its two URLs. Applications are found
through `workflow.selectors.application_get_for_staff`: another office's is a 404."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kaowu.audit.services import audit_record
from kaowu.backoffice.decorators import staff_required
from kaowu.organization.models import Office
from kaowu.workflow import selectors as workflow_selectors
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

from . import services
from .out import CODE


class DossierForm(forms.Form):
    carrier = forms.CharField(label=_("快递公司"), max_length=services.CARRIER_MAX,
                              widget=forms.TextInput(attrs={"placeholder": _("例如：中国邮政EMS")}),
                              error_messages={"required": _("请填写快递公司")})
    tracking_number = forms.CharField(label=_("快递单号"), max_length=services.TRACKING_MAX,
                                      error_messages={"required": _("请填写快递单号")})
    mailed_on = forms.DateField(label=_("寄档日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                error_messages={"required": _("请填写寄档日期"), "invalid": _("请填写正确的日期")})


def staff_panel(request, application) -> dict:
    staff = getattr(request, "staff", None)
    can_mail = (staff is not None and application.status == Status.APPROVED
                and staff.office.kind == Office.Kind.PROVINCE_AUTHORITY)
    return {
        "template": "transfers/staff/out_panel.html",
        "application": application,
        "mailing": getattr(application, "dossier_dispatch", None),
        "can_mail": can_mail,
        "form": DossierForm(initial={"mailed_on": timezone.localdate()}) if can_mail else None,
        "data": application.data,
    }


def _get(request, pk: int):
    application = workflow_selectors.application_get_for_staff(staff=request.staff, pk=pk)
    if application.type_code != CODE:
        from django.http import Http404

        raise Http404
    return application


@require_POST
@staff_required
def dossier_send(request, pk: int):
    """寄档: record the mailing (province authority, after 审核通过)."""
    application = _get(request, pk)
    form = DossierForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("backoffice:workflow_staff:detail", pk)
    try:
        services.transfer_out_dossier_send(application=application, staff=request.staff,
                                           carrier=form.cleaned_data["carrier"],
                                           tracking_number=form.cleaned_data["tracking_number"],
                                           mailed_on=form.cleaned_data["mailed_on"], request=request)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已登记寄档，考籍转出已完成。"))
    return redirect("backoffice:workflow_staff:detail", pk)


@never_cache
@require_GET
@staff_required
def form_pdf(request, pk: int):
    """转出登记表 (PDF) for a reviewer of the application; every download is audited."""
    from .views_out import pdf_response

    application = _get(request, pk)
    audit_record(actor=request.user, action="transfer_out.form_downloaded", target=application, request=request,
                 jurisdiction_code=application.candidate.district.code, detail={"number": application.number})
    return pdf_response(application)
