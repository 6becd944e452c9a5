"""考籍转出 pages (seeds 000, 002, 003): the list (查看 / 修改 / 删除 / 去缴费 / 提交), the form pre-filled
with the profile and the passed courses → preview → 保存; 去缴费 (the payments order page); 提交:
the text to sign → 生成二维码进行签名 (signatures) → back here, submitted when the signature is valid;
the detail page with the timeline and the 转出登记表 (PDF)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaowu.accounts.decorators import candidate_required
from kaowu.workflow.pages import TypeViews
from kaowu.workflow.pages import acting_exam_number as _exam_number
from kaowu.workflow.pages import candidate_of as _candidate
from kaowu.workflow.pages import pdf_response as pages_pdf_response
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import application_type

from . import services
from .out import (
    CODE,
    PENDING_PAYMENT,
    SUBMITTABLE,
    TransferOutForm,
    initial_from,
    profile_of,
    transferable_courses,
)


def _steps(application) -> list[dict]:
    return application_type(CODE).step_rail(application, page=1)


def _actions(application) -> dict:
    kind = application.type
    return {
        "can_edit": kind.is_editable(application.status),
        "can_delete": kind.is_deletable(application.status),
        "can_pay": application.status == PENDING_PAYMENT,
        "can_submit": application.status in SUBMITTABLE,
    }


def _form_page(request, *, application=None):
    candidate = _candidate(request)
    exam_number = application.exam_number if application else _exam_number(request)
    if exam_number is None:
        messages.warning(request, gettext("考籍转出须使用在籍的准考证号办理。"))
        return redirect("transfers:out")
    courses = transferable_courses(candidate)
    if application is not None:  # courses chosen before stay listed even if the record changed since
        known = {c["code"] for c in courses}
        courses += [c for c in application.data.get("courses", []) if c["code"] not in known]
    profile = profile_of(candidate, exam_number)
    step = request.POST.get("step") if request.method == "POST" else None
    if request.method == "POST":
        form = TransferOutForm(request.POST, courses=courses)
        if step != "edit" and form.is_valid():  # 返回修改 from the preview: the form again, as filled
            if step == "save":
                try:
                    application = services.transfer_out_save(
                        actor=request.user, candidate=candidate, exam_number=exam_number,
                        data=form.to_data(profile=profile), application=application, request=request)
                except WorkflowError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    if application.status == PENDING_PAYMENT:
                        messages.success(request, gettext("考籍转出申请已保存，请缴纳手续费。"))
                    else:
                        messages.success(request, gettext("考籍转出申请已修改，请重新扫码签字后提交。"))
                    return redirect("transfers:out")
            else:
                data = form.to_data(profile=profile)
                return render(request, "transfers/out_preview.html", {
                    "form": form, "data": data, "application": application, "steps": _steps(None),
                    "fee": services.transfer_out_fee(),
                })
    else:
        form = TransferOutForm(initial=initial_from(application.data) if application else {}, courses=courses)
    applicable = services.transfer_out_window(exam_number=exam_number)
    return render(request, "transfers/out_form.html", {
        "form": form, "application": application, "profile": profile, "courses": courses,
        "window": applicable.window, "is_open": applicable.is_open, "steps": _steps(application),
        "provinces": form.provinces, "fee": services.transfer_out_fee(),
        "returned_comment": application.transitions.filter(to_status=Status.RETURNED).order_by("-id").first()
        if application is not None and application.status == Status.RETURNED else None,
    }, status=400 if step != "edit" and form.is_bound and form.errors else 200)


class TransferOutViews(TypeViews):
    """The engine's pages with ours inside: 申请 and 修改 are the engine's (one open application, the
    window, the status) around our form (the profile and the course table, preview before 保存); the
    landing and the detail are the engine's views with our templates (the fee, the actions of each
    status, the mailing)."""

    landing_template = "transfers/out_landing.html"
    detail_template = "transfers/out_detail.html"

    def landing_context(self, request, *, exam_number, applications) -> dict:
        return {"rows": [(a, _actions(a)) for a in applications], "fee": services.transfer_out_fee()}

    def detail_context(self, request, application) -> dict:
        return {**_actions(application), "mailing": getattr(application, "dossier_dispatch", None),
                "paid_order": services.transfer_out_paid_order(application)}

    def form_page(self, request, *, application=None):
        return _form_page(request, application=application)


VIEWS = TransferOutViews(CODE)


def pdf_response(application) -> HttpResponse:
    from .pdf import transfer_out_form_pdf

    return pages_pdf_response(transfer_out_form_pdf(application),
                              gettext("考籍转出登记表_%(number)s.pdf") % {"number": application.number})


@never_cache
@require_GET
@candidate_required
def form_pdf(request, number: str):
    """转出登记表 (PDF), the candidate's own."""
    return pdf_response(VIEWS.own(request, number))
