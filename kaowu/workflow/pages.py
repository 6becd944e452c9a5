"""The generic candidate pages of an application type: landing (须知, window, 申请, my applications) →
form → preview → 提交 → detail (status, next step, step rail, values, timeline) → print. A type with
`pages = TypePages(namespace, prefix)` mounts them in its app's urls.py:

    urlpatterns = [*type_urls("transfer_within_province"), ...]

and writes no views or templates: the texts come from the type's label (`ApplicationType.text`), the
form from `form_class` (+ `form_kwargs`), the values from `describe`, the rail from `step_rail`.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaowu.accounts.decorators import candidate_required

from . import selectors, services
from .statuses import Status
from .types import application_type
from .views import application_context


def candidate_of(request):
    candidate = getattr(request.user, "candidate", None)
    if candidate is None:
        raise Http404
    return candidate


def acting_exam_number(request):
    """The 准考证号 the candidate acts with (chosen after login), else their first active one."""
    from kaowu.accounts.services.login import acting_exam_number as chosen
    from kaowu.accounts.services.login import exam_numbers_of

    acting = chosen(request)
    if acting is not None:
        return acting
    numbers = exam_numbers_of(request.user)
    return numbers[0] if numbers else None


def type_window(kind, exam_number):
    """The ApplicableWindow of a type for a candidate who has not applied yet (None: no window)."""
    from kaowu.catalog.selectors import current_sitting
    from kaowu.catalog.windows import business_window

    if kind.window_kind is None:
        return None
    return business_window(kind=kind.window_kind, sitting=current_sitting() if kind.window_per_sitting else None,
                           exam_area=exam_number.exam_area if exam_number is not None else None)


def _window_context(kind, exam_number, application=None) -> dict:
    applicable = services.application_window(application) if application is not None else \
        type_window(kind, exam_number)
    window = applicable.window if applicable is not None else None
    is_open = applicable.is_open if applicable is not None else True
    closed_text = ""
    if not is_open:
        from kaowu.core.dates import cn_datetime

        closed_text = kind.text("closed_at_submit", start=cn_datetime(window.starts_at),
                                end=cn_datetime(window.ends_at)) if window else kind.text("unpublished_at_submit")
    return {"window": window, "is_open": is_open, "closed_text": closed_text,
            "window_label": applicable.label if applicable is not None else "",
            "window_state": applicable.state if applicable is not None else None}


def _base(kind, request, *, exam_number, application=None) -> dict:
    return {"kind": kind, "exam_number": exam_number, "pages": kind.pages,
            **kind.page_context(exam_number=exam_number, application=application)}


class TypeViews:
    """The views of one type's generic pages (bound to the type's code; the type is looked up per
    request, so a test may register it late). A type with a page of its own subclasses this and
    overrides that page: its template (`landing_template`, `detail_template`) and what it adds to the
    context (`landing_context`, `detail_context`), or the whole view (`form_page` …)."""

    landing_template = "workflow/pages/landing.html"
    detail_template = "workflow/pages/detail.html"

    def __init__(self, code: str):
        self.code = code

    def landing_context(self, request, *, exam_number, applications) -> dict:
        kind = self.kind
        # each cell with its column's label (the phone layout names every cell)
        return {"rows": [(a, [(label, a.data.get(key, "")) for label, key in kind.list_columns])
                         for a in applications]}

    def detail_context(self, request, application) -> dict:
        return {}

    @property
    def kind(self):
        return application_type(self.code)

    def url(self, page: str, *args) -> str:
        return reverse(self.kind.pages.name(page), args=args)

    def own(self, request, number: str):
        application = selectors.application_get_for_candidate(user=request.user, number=number)
        if application.type_code != self.code:
            raise Http404
        return application

    def landing(self, request):
        kind = self.kind
        candidate = candidate_of(request)
        exam_number = acting_exam_number(request)
        applications = selectors.applications_for_candidate(user=request.user, type_code=kind.code)
        return render(request, self.landing_template, {
            **_base(kind, request, exam_number=exam_number), **_window_context(kind, exam_number),
            "current": selectors.application_open_of(candidate=candidate, type_code=kind.code),
            **self.landing_context(request, exam_number=exam_number, applications=applications),
        })

    def apply(self, request):
        kind = self.kind
        candidate = candidate_of(request)
        current = selectors.application_open_of(candidate=candidate, type_code=kind.code)
        if current is not None:
            messages.info(request, kind.text("open_exists"))
            return redirect(self.url("detail", current.number))
        exam_number = acting_exam_number(request)
        if exam_number is not None and not _window_context(kind, exam_number)["is_open"]:
            messages.warning(request, kind.text("not_open"))
            return redirect(self.url(""))
        return self.form_page(request)

    def edit(self, request, number: str):
        application = self.own(request, number)
        if not application.type.is_editable(application.status):
            messages.info(request, gettext("申请当前状态为“%(status)s”，不能修改。") % {"status": application.status_label})
            return redirect(self.url("detail", number))
        return self.form_page(request, application=application)

    def form_page(self, request, *, application=None):
        kind = self.kind
        candidate = candidate_of(request)
        exam_number = application.exam_number if application else acting_exam_number(request)
        refused = kind.may_apply(candidate=candidate, exam_number=exam_number)
        if refused:
            messages.warning(request, refused)
            return redirect(self.url(""))
        form_kwargs = kind.form_kwargs(candidate=candidate, exam_number=exam_number, application=application)
        if request.method == "POST":
            form = kind.form_class(request.POST, request.FILES, **form_kwargs)
            if form.is_valid():
                uploads = {name: form.cleaned_data.get(name) for name in kind.attachment_kinds
                           if form.cleaned_data.get(name)}
                removed = [name for name in kind.attachment_kinds if request.POST.get(f"{name}-clear")]
                try:
                    application = services.application_save_draft(
                        actor=request.user, data=kind.form_data(form), application=application, type_code=kind.code,
                        candidate=candidate, exam_number=exam_number, attachments=uploads or None,
                        remove_attachments=removed, request=request)
                except services.WorkflowError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    return redirect(self.url("preview", application.number))
        else:
            form = kind.form_class(initial=kind.form_initial(application), **form_kwargs)
        current = application.current_version if application else None
        stored = {a.kind: a for a in current.attachments.all()} if current else {}
        return render(request, "workflow/pages/form.html", {
            **_base(kind, request, exam_number=exam_number, application=application),
            **_window_context(kind, exam_number, application),
            "form": form, "application": application, "steps": kind.step_rail(page=1),
            "fields": [(field, stored.get(field.name) if field.name in kind.attachment_kinds else None,
                        field.name in kind.attachment_kinds) for field in form],
            "returned_comment": application.transitions.filter(to_status=Status.RETURNED).order_by("-id").first()
            if application is not None and application.status == Status.RETURNED else None,
            "back_url": self.url("detail", application.number) if application else self.url(""),
        }, status=400 if request.method == "POST" else 200)

    def preview(self, request, number: str):
        kind = self.kind
        application = self.own(request, number)
        if not kind.is_editable(application.status):
            return redirect(self.url("detail", number))
        if request.method == "POST":
            try:
                services.application_submit(application=application, actor=request.user, request=request)
            except services.WorkflowError as exc:
                messages.error(request, exc.message)
                return redirect(self.url("preview", number))
            messages.success(request, kind.text("submitted"))
            return redirect(self.url("detail", number))
        context = application_context(application)
        present = {a.kind: a for a, _ in context["attachments"]}
        return render(request, "workflow/pages/preview.html", {
            **context, **_base(kind, request, exam_number=application.exam_number, application=application),
            **_window_context(kind, application.exam_number, application),
            "steps": kind.step_rail(application, page=2),
            "materials": [(str(label), present.get(name)) for name, label in kind.attachment_kinds.items()],
        })

    def detail(self, request, number: str):
        kind = self.kind
        application = self.own(request, number)
        return render(request, self.detail_template, {
            **application_context(application),
            **_base(kind, request, exam_number=application.exam_number, application=application),
            "steps": kind.step_rail(application, page=2), "data": application.data,
            **self.detail_context(request, application),
        })

    def print_view(self, request, number: str):
        from kaowu.organization.selectors import home_province

        kind = self.kind
        application = self.own(request, number)
        context = application_context(application)
        values = context["values"]
        return render(request, "workflow/pages/print.html", {
            **context, "kind": kind, "province": home_province(),
            "value_rows": [values[i:i + 2] for i in range(0, len(values), 2)],
            "decisions": [row for row in context["timeline"] if row.transition.actor_office_id],
        })


    # --- the gates' pages (a type with a PaymentGate / SignatureGate mounts them with gate_urls) ------

    def pay(self, request, number: str):
        """去缴费: the order page of payments (a new order if the unpaid one expired)."""
        from .gates import PaymentGate

        application = self.own(request, number)
        try:
            order = self.kind.gate(PaymentGate).order(application=application, actor=request.user)
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(self.url("detail", number))
        return redirect("payments:order_detail", number=order.number)

    def delete(self, request, number: str):
        application = self.own(request, number)
        try:
            services.application_delete(application=application, actor=request.user, request=request)
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(self.url("detail", number))
        messages.success(request, self.kind.text("deleted", number=number))
        return redirect(self.url(""))

    def sign(self, request, number: str):
        """提交 with 扫码签字: the text to sign; 生成二维码进行签名 opens the signatures desktop page, which
        comes back to `signed` once the phone has signed."""
        from .gates import SignatureGate

        kind = self.kind
        gate = kind.gate(SignatureGate)
        application = self.own(request, number)
        if application.status not in gate.statuses:
            messages.info(request, gettext("申请当前状态为“%(status)s”，不能提交。") % {"status": application.status_label})
            return redirect(self.url("detail", number))
        if request.method == "POST":
            signature = gate.signature_request(application=application, user=request.user,
                                               return_url=self.url("submit_confirm", number))
            return redirect("signatures:desktop", token=signature.token)
        return render(request, "workflow/pages/sign.html", {
            **application_context(application), "kind": kind, "gate": gate, "content": gate.text(application),
            "steps": kind.step_rail(application), **_window_context(kind, application.exam_number, application),
        })

    def signed(self, request, number: str):
        """Where the signatures page goes once signed: submits if the signature is valid for this
        version's text (the engine checks it again under the lock), else back to the text to sign."""
        from .gates import SignatureGate

        application = self.own(request, number)
        if application.status not in self.kind.gate(SignatureGate).statuses:
            return redirect(self.url("detail", number))
        try:
            services.application_submit(application=application, actor=request.user, request=request)
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(self.url("submit", number))
        messages.success(request, self.kind.text("signed"))
        return redirect(self.url("detail", number))


    def confirm(self, request, number: str):
        """确认…无误 (a ConfirmGate): final; the type's outcome runs. Refused outside the gate's status or window."""
        from .gates import ConfirmGate

        application = self.own(request, number)
        try:
            self.kind.gate(ConfirmGate).confirm(application=application, actor=request.user, request=request)
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("网上确认完成。"))
        return redirect(self.url("detail", number))

    def dispute(self, request, number: str):
        """…有误，修改重新提交 (a ConfirmGate): back to an editable status, then to the form."""
        from .gates import ConfirmGate

        application = self.own(request, number)
        try:
            self.kind.gate(ConfirmGate).dispute(application=application, actor=request.user,
                                                reason=request.POST.get("reason", "")[:200], request=request)
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(self.url("detail", number))
        messages.info(request, gettext("请修改申请信息后重新提交。"))
        return redirect(self.url("edit", number))


def pdf_response(content: bytes, name: str) -> HttpResponse:
    """A generated PDF (a type's 申请表 / 登记表) as a download that no cache keeps."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


def _upload(views, request, number: str):
    """上传 of an UploadGate's document before its deadline (after it, refused and the application lapses)."""
    from .gates import UploadGate

    gate = views.kind.gate(UploadGate)
    application = views.own(request, number)
    try:
        gate.upload(application=application, actor=request.user, upload=request.FILES.get(gate.attachment),
                    request=request)
    except services.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext(gate.uploaded_message))
    return redirect(views.url("detail", number))


def candidate_page(view, methods=("GET",)):
    """A candidate's page: never cached, only `methods`, only for a logged-in candidate."""
    return never_cache(require_http_methods(list(methods))(candidate_required(view)))


_wrap = candidate_page


def gate_urls(code: str, views: TypeViews | None = None) -> list:
    """URL patterns of the pages of a type's gates: `<prefix>_pay` and `<prefix>_delete` (PaymentGate),
    `<prefix>_submit` and `<prefix>_submit_confirm` (SignatureGate), `<prefix>_upload` (UploadGate),
    `<prefix>_confirm` and `<prefix>_dispute` (ConfirmGate, both POST). `views`: the type's own TypeViews."""
    from .gates import ConfirmGate, PaymentGate, SignatureGate, UploadGate

    views = views or TypeViews(code)
    kind = views.kind
    prefix = kind.pages.prefix
    patterns = []
    if kind.gate(PaymentGate) is not None:
        patterns += [
            path(f"{prefix}/<str:number>/delete/", _wrap(views.delete, ("POST",)), name=f"{prefix}_delete"),
            path(f"{prefix}/<str:number>/pay/", _wrap(views.pay, ("POST",)), name=f"{prefix}_pay"),
        ]
    if kind.gate(SignatureGate) is not None:
        patterns += [
            path(f"{prefix}/<str:number>/submit/", _wrap(views.sign, ("GET", "POST")), name=f"{prefix}_submit"),
            path(f"{prefix}/<str:number>/submit/confirm/", _wrap(views.signed), name=f"{prefix}_submit_confirm"),
        ]
    if kind.gate(UploadGate) is not None:
        patterns.append(path(f"{prefix}/<str:number>/upload/",
                             _wrap(lambda request, number: _upload(views, request, number), ("POST",)),
                             name=f"{prefix}_upload"))
    if kind.gate(ConfirmGate) is not None:
        patterns += [
            path(f"{prefix}/<str:number>/confirm/", _wrap(views.confirm, ("POST",)), name=f"{prefix}_confirm"),
            path(f"{prefix}/<str:number>/dispute/", _wrap(views.dispute, ("POST",)), name=f"{prefix}_dispute"),
        ]
    return patterns


def type_urls(code: str, views: TypeViews | None = None) -> list:
    """URL patterns of a type's generic pages, named by its `pages` (call in the app's urls.py);
    `views`: the type's own TypeViews subclass, when it overrides pages."""
    views = views or TypeViews(code)
    kind = views.kind
    prefix = kind.pages.prefix

    wrap = _wrap
    return [
        path(f"{prefix}/", wrap(views.landing), name=prefix),
        path(f"{prefix}/apply/", wrap(views.apply, ("GET", "POST")), name=f"{prefix}_apply"),
        path(f"{prefix}/<str:number>/", wrap(views.detail), name=f"{prefix}_detail"),
        path(f"{prefix}/<str:number>/edit/", wrap(views.edit, ("GET", "POST")), name=f"{prefix}_edit"),
        path(f"{prefix}/<str:number>/preview/", wrap(views.preview, ("GET", "POST")), name=f"{prefix}_preview"),
        path(f"{prefix}/<str:number>/print/", wrap(views.print_view), name=f"{prefix}_print"),
    ]
