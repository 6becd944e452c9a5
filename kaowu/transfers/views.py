"""省内转考 pages (seed 001): landing (须知, window, 申请) → form (转入市, 原因, 材料) → preview → 提交;
the detail page (data + the workflow timeline) with 打印."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaowu.accounts.decorators import candidate_required
from kaowu.accounts.services.login import acting_exam_number, exam_numbers_of
from kaowu.catalog.selectors import current_sitting
from kaowu.catalog.windows import WindowState, window_for, window_label, window_state
from kaowu.organization.selectors import home_province
from kaowu.workflow import selectors as workflow_selectors
from kaowu.workflow import services as workflow
from kaowu.workflow.statuses import Status
from kaowu.workflow.views import application_context

from .within import CODE, TransferWithinForm, city_of_exam_number, transfer_window_kind


def _candidate(request):
    candidate = getattr(request.user, "candidate", None)
    if candidate is None:
        raise Http404
    return candidate


def _exam_number(request):
    """The 准考证号 the candidate acts with (chosen after login), else their first active one."""
    acting = acting_exam_number(request)
    if acting is not None:
        return acting
    numbers = exam_numbers_of(request.user)
    return numbers[0] if numbers else None


def _window(exam_number):
    exam_area = exam_number.exam_area if exam_number else None
    sitting = current_sitting()
    kind = transfer_window_kind(sitting=sitting, exam_area=exam_area)
    window = window_for(kind=kind, sitting=sitting, exam_area=exam_area) or window_for(
        kind=kind, sitting=None, exam_area=exam_area)
    return kind, window, window_state(window)


def _steps(current: int, application=None) -> list[dict]:
    labels = [gettext("填写申请"), gettext("预览确认"), gettext("转出地市考办审核"), gettext("转入地市考办审核")]
    if application is not None and application.status != Status.DRAFT:
        status = application.status
        step = application.current_step or 0
        current = {Status.REVIEWING: 3 + step, Status.RETURNED: 1, Status.APPROVED: 5}.get(status, current)
        failed = 3 + (application.current_step or 0) if status == Status.REJECTED else None
    else:
        failed = None
    return [{"label": label, "state": "is-failed" if i == failed else "is-done" if i < current
             else "is-current" if i == current else ""} for i, label in enumerate(labels, start=1)]


def _own(request, number: str):
    application = workflow_selectors.application_get_for_candidate(user=request.user, number=number)
    if application.type_code != CODE:
        raise Http404
    return application


@never_cache
@candidate_required
def landing(request):
    candidate = _candidate(request)
    exam_number = _exam_number(request)
    kind, window, state = _window(exam_number)
    current = workflow_selectors.application_open_of(candidate=candidate, type_code=CODE)
    return render(request, "transfers/within_landing.html", {
        "exam_number": exam_number, "from_city": city_of_exam_number(exam_number),
        "window": window, "window_label": window_label(kind), "window_state": state,
        "is_open": state == WindowState.OPEN, "current": current,
        "applications": workflow_selectors.applications_for_candidate(user=request.user, type_code=CODE),
        "province": home_province(),
    })


def _form_page(request, *, application=None):
    candidate = _candidate(request)
    exam_number = application.exam_number if application else _exam_number(request)
    if exam_number is None:
        messages.warning(request, gettext("省内转考须使用在籍的准考证号办理。"))
        return redirect("transfers:within")
    from_city = city_of_exam_number(exam_number)
    if request.method == "POST":
        form = TransferWithinForm(request.POST, request.FILES, from_city=from_city)
        if form.is_valid():
            upload = form.cleaned_data.get("proof")
            try:
                application = workflow.application_save_draft(
                    actor=request.user, data=form.to_data(), application=application, type_code=CODE,
                    candidate=candidate, exam_number=exam_number, attachments={"proof": upload} if upload else None,
                    remove_attachments=["proof"] if request.POST.get("proof-clear") else (), request=request)
            except workflow.WorkflowError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("transfers:within_preview", application.number)
    else:
        initial = {}
        if application is not None:
            initial = {"to_city": application.data.get("to_city"), "reason": application.data.get("reason")}
        form = TransferWithinForm(initial=initial, from_city=from_city)
    _, window, state = _window(exam_number)
    current = application.current_version if application else None
    return render(request, "transfers/within_form.html", {
        "form": form, "application": application, "exam_number": exam_number, "from_city": from_city,
        "window": window, "is_open": state == WindowState.OPEN, "steps": _steps(1),
        "proof": current.attachments.filter(kind="proof").first() if current else None,
        "returned_comment": application.transitions.filter(to_status=Status.RETURNED).order_by("-id").first()
        if application is not None and application.status == Status.RETURNED else None,
    }, status=400 if request.method == "POST" else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def apply(request):
    candidate = _candidate(request)
    current = workflow_selectors.application_open_of(candidate=candidate, type_code=CODE)
    if current is not None:
        messages.info(request, gettext("您已有一份正在办理的省内转考申请，请在此查看或修改。"))
        return redirect("transfers:within_detail", current.number)
    exam_number = _exam_number(request)
    if exam_number is not None and _window(exam_number)[2] != WindowState.OPEN:
        messages.warning(request, gettext("当前不在省内转考办理时间内。"))
        return redirect("transfers:within")
    return _form_page(request)


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def edit(request, number: str):
    application = _own(request, number)
    if not application.type.is_editable(application.status):
        messages.info(request, gettext("申请当前状态为“%(status)s”，不能修改。") % {"status": application.status_label})
        return redirect("transfers:within_detail", number)
    return _form_page(request, application=application)


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def preview(request, number: str):
    application = _own(request, number)
    if not application.type.is_editable(application.status):
        return redirect("transfers:within_detail", number)
    if request.method == "POST":
        try:
            workflow.application_submit(application=application, actor=request.user, request=request)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect("transfers:within_preview", number)
        messages.success(request, gettext("省内转考申请已提交，请留意审核进度（消息和短信会通知您）。"))
        return redirect("transfers:within_detail", number)
    _, window, state = _window(application.exam_number)
    return render(request, "transfers/within_preview.html", {
        **application_context(application), "steps": _steps(2), "is_open": state == WindowState.OPEN,
        "window": window,
    })


@never_cache
@candidate_required
def detail(request, number: str):
    application = _own(request, number)
    return render(request, "transfers/within_detail.html", {
        **application_context(application), "steps": _steps(2, application),
    })


@never_cache
@candidate_required
def print_view(request, number: str):
    application = _own(request, number)
    timeline = application_context(application)["timeline"]
    return render(request, "transfers/within_print.html", {
        **application_context(application), "province": home_province(),
        "decisions": [row for row in timeline if row.transition.actor_office_id],
    })
