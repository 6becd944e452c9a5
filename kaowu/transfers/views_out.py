"""考籍转出 pages (seeds 000, 002, 003): the list (查看 / 修改 / 删除 / 去缴费 / 提交), the form pre-filled
with the profile and the passed courses → preview → 保存; 去缴费 (the payments order page); 提交:
the text to sign → 生成二维码进行签名 (signatures) → back here, submitted when the signature is valid;
the detail page with the timeline and the 转出登记表 (PDF)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaowu.accounts.decorators import candidate_required
from kaowu.catalog.windows import WindowState, window_label
from kaowu.workflow import selectors as workflow_selectors
from kaowu.workflow.pages import acting_exam_number as _exam_number
from kaowu.workflow.pages import candidate_of as _candidate
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import application_type
from kaowu.workflow.views import application_context

from . import services
from .out import (
    CODE,
    PENDING_PAYMENT,
    SIGNATURE,
    SUBMITTABLE,
    TransferOutForm,
    initial_from,
    profile_of,
    signature_content,
    transferable_courses,
)


def _own(request, number: str):
    application = workflow_selectors.application_get_for_candidate(user=request.user, number=number)
    if application.type_code != CODE:
        raise Http404
    return application


def _window(exam_number):
    applicable = services.transfer_out_window(exam_number=exam_number)
    return applicable.kind, applicable.window, applicable.state


def _steps(application=None, current: int = 1) -> list[dict]:
    return application_type(CODE).step_rail(application, page=current)


def _actions(application) -> dict:
    kind = application.type
    return {
        "can_edit": kind.is_editable(application.status),
        "can_delete": kind.is_deletable(application.status),
        "can_pay": application.status == PENDING_PAYMENT,
        "can_submit": application.status in SUBMITTABLE,
    }


@never_cache
@candidate_required
def landing(request):
    candidate = _candidate(request)
    exam_number = _exam_number(request)
    kind, window, state = _window(exam_number)
    applications = list(workflow_selectors.applications_for_candidate(user=request.user, type_code=CODE))
    return render(request, "transfers/out_landing.html", {
        "exam_number": exam_number, "window": window, "window_label": window_label(kind), "window_state": state,
        "is_open": state == WindowState.OPEN,
        "current": workflow_selectors.application_open_of(candidate=candidate, type_code=CODE),
        "rows": [(a, _actions(a)) for a in applications], "fee": services.transfer_out_fee(),
    })


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
                    "form": form, "data": data, "application": application, "steps": _steps(current=1),
                    "fee": services.transfer_out_fee(),
                })
    else:
        form = TransferOutForm(initial=initial_from(application.data) if application else {}, courses=courses)
    _, window, state = _window(exam_number)
    return render(request, "transfers/out_form.html", {
        "form": form, "application": application, "profile": profile, "courses": courses,
        "window": window, "is_open": state == WindowState.OPEN, "steps": _steps(application, current=1),
        "provinces": form.provinces, "fee": services.transfer_out_fee(),
        "returned_comment": application.transitions.filter(to_status=Status.RETURNED).order_by("-id").first()
        if application is not None and application.status == Status.RETURNED else None,
    }, status=400 if step != "edit" and form.is_bound and form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def apply(request):
    candidate = _candidate(request)
    current = workflow_selectors.application_open_of(candidate=candidate, type_code=CODE)
    if current is not None:
        messages.info(request, gettext("您已有一份正在办理的考籍转出申请，请在此查看或修改。"))
        return redirect("transfers:out_detail", current.number)
    exam_number = _exam_number(request)
    if exam_number is not None and _window(exam_number)[2] != WindowState.OPEN:
        messages.warning(request, gettext("当前不在考籍转出办理时间内。"))
        return redirect("transfers:out")
    return _form_page(request)


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def edit(request, number: str):
    application = _own(request, number)
    if not application.type.is_editable(application.status):
        messages.info(request, gettext("申请当前状态为“%(status)s”，不能修改。") % {"status": application.status_label})
        return redirect("transfers:out_detail", number)
    return _form_page(request, application=application)


@require_POST
@candidate_required
def delete(request, number: str):
    application = _own(request, number)
    try:
        services.transfer_out_delete(application=application, actor=request.user, request=request)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("transfers:out_detail", number)
    messages.success(request, gettext("考籍转出申请 %(number)s 已删除，未缴费的订单已取消。") % {"number": number})
    return redirect("transfers:out")


@require_POST
@candidate_required
def pay(request, number: str):
    """去缴费: the order page of payments (a new order if the unpaid one expired)."""
    application = _own(request, number)
    try:
        order = services.transfer_out_order(application=application, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("transfers:out_detail", number)
    return redirect("payments:order_detail", number=order.number)


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def submit(request, number: str):
    """提交: the text to sign; 生成二维码进行签名 opens the signatures desktop page, which comes back to
    `submit_confirm` once the phone has signed."""
    application = _own(request, number)
    if application.status not in SUBMITTABLE:
        messages.info(request, gettext("申请当前状态为“%(status)s”，不能提交。") % {"status": application.status_label})
        return redirect("transfers:out_detail", number)
    content = signature_content(application)
    if request.method == "POST":
        signature = SIGNATURE.signature_request(application=application, user=request.user,
                                                return_url=reverse("transfers:out_submit_confirm", args=[number]))
        return redirect("signatures:desktop", token=signature.token)
    _, window, state = _window(application.exam_number)
    return render(request, "transfers/out_submit.html", {
        **application_context(application), "content": content, "steps": _steps(application),
        "is_open": state == WindowState.OPEN,
    })


@never_cache
@require_GET
@candidate_required
def submit_confirm(request, number: str):
    """Where the signatures page goes once signed: submits if the signature is valid for this
    version's text (the engine checks it again under the lock), else back to 提交."""
    application = _own(request, number)
    if application.status not in SUBMITTABLE:
        return redirect("transfers:out_detail", number)
    try:
        services.transfer_out_submit(application=application, actor=request.user, request=request)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("transfers:out_submit", number)
    messages.success(request, gettext("签字确认完成，考籍转出申请已提交，请留意审核进度（消息和短信会通知您）。"))
    return redirect("transfers:out_detail", number)


@never_cache
@candidate_required
def detail(request, number: str):
    application = _own(request, number)
    return render(request, "transfers/out_detail.html", {
        **application_context(application), **_actions(application), "steps": _steps(application),
        "data": application.data, "mailing": getattr(application, "dossier_dispatch", None),
        "paid_order": services.transfer_out_paid_order(application),
    })


def pdf_response(application) -> HttpResponse:

    from .pdf import transfer_out_form_pdf

    content = transfer_out_form_pdf(application)
    response = HttpResponse(content, content_type="application/pdf")
    name = gettext("考籍转出登记表_%(number)s.pdf") % {"number": application.number}
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
@candidate_required
def form_pdf(request, number: str):
    """转出登记表 (PDF), the candidate's own."""
    return pdf_response(_own(request, number))
