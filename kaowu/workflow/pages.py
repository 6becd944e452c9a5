"""The generic candidate pages of an application type: landing (须知, window, 申请, my applications) →
form → preview → 提交 → detail (status, next step, step rail, values, timeline) → print. A type with
`pages = TypePages(namespace, prefix)` mounts them in its app's urls.py:

    urlpatterns = [*type_urls("transfer_within_province"), ...]

and writes no views or templates: the texts come from the type's label (`ApplicationType.text`), the
form from `form_class` (+ `form_kwargs`), the values from `describe`, the rail from `step_rail`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
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
    request, so a test may register it late)."""

    def __init__(self, code: str):
        self.code = code

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
        return render(request, "workflow/pages/landing.html", {
            **_base(kind, request, exam_number=exam_number), **_window_context(kind, exam_number),
            "current": selectors.application_open_of(candidate=candidate, type_code=kind.code),
            "rows": [(a, [a.data.get(key, "") for _, key in kind.list_columns]) for a in applications],
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
        return render(request, "workflow/pages/detail.html", {
            **application_context(application),
            **_base(kind, request, exam_number=application.exam_number, application=application),
            "steps": kind.step_rail(application, page=2),
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


def type_urls(code: str) -> list:
    """URL patterns of a type's generic pages, named by its `pages` (call in the app's urls.py)."""
    views = TypeViews(code)
    kind = views.kind
    prefix = kind.pages.prefix

    def wrap(view, methods=("GET",)):
        return never_cache(require_http_methods(list(methods))(candidate_required(view)))

    return [
        path(f"{prefix}/", wrap(views.landing), name=prefix),
        path(f"{prefix}/apply/", wrap(views.apply, ("GET", "POST")), name=f"{prefix}_apply"),
        path(f"{prefix}/<str:number>/", wrap(views.detail), name=f"{prefix}_detail"),
        path(f"{prefix}/<str:number>/edit/", wrap(views.edit, ("GET", "POST")), name=f"{prefix}_edit"),
        path(f"{prefix}/<str:number>/preview/", wrap(views.preview, ("GET", "POST")), name=f"{prefix}_preview"),
        path(f"{prefix}/<str:number>/print/", wrap(views.print_view), name=f"{prefix}_print"),
    ]
