"""The candidate's pages of the engine: 我的申请, an application's timeline, 撤回, attachments.
The type-specific create/edit pages live in the type's app."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaowu.accounts.decorators import candidate_required

from . import selectors, services
from .models import Application, ApplicationAttachment
from .presentation import next_step_for_candidate, timeline_rows, version_values


def _url(name: str | None, application: Application) -> str | None:
    if not name:
        return None
    try:
        return reverse(name, args=[application.number])
    except NoReverseMatch:
        return None


def attachments_labelled(application: Application, version) -> list:
    labels = application.type.attachment_kinds
    return [(a, str(labels.get(a.kind, a.kind))) for a in version.attachments.all()] if version else []


def application_context(application: Application) -> dict:
    """What any candidate page of one application shows (the type's detail page includes it too)."""
    kind = application.type
    applicable = services.application_window(application)
    window = applicable.window if applicable is not None else None
    current = application.current_version
    return {
        "application": application,
        "timeline": timeline_rows(selectors.application_timeline(application=application)),
        "next_step": next_step_for_candidate(application, window=window),
        "window": window,
        "values": version_values(application, current),
        "attachments": attachments_labelled(application, current),
        "can_withdraw": kind.flow.allowed(application.status, "withdrawn"),
        "edit_url": _url(kind.edit_url_name, application) if kind.is_editable(application.status) else None,
        "print_url": _url(kind.print_url_name, application),
        "type_url": _url(kind.detail_url_name, application),
    }


@never_cache
@candidate_required
def application_list(request):
    applications = selectors.applications_for_candidate(user=request.user)
    return render(request, "workflow/list.html", {"applications": applications})


@never_cache
@candidate_required
def application_detail(request, number: str):
    application = selectors.application_get_for_candidate(user=request.user, number=number)
    return render(request, "workflow/detail.html", application_context(application))


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def application_withdraw(request, number: str):
    application = selectors.application_get_for_candidate(user=request.user, number=number)
    if request.method == "POST":
        try:
            services.application_withdraw(application=application, actor=request.user,
                                          reason=request.POST.get("reason", "")[:200], request=request)
        except services.WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("申请已撤回。"))
        return redirect(services.application_link(application))
    return render(request, "workflow/withdraw.html", application_context(application))


def attachment_response(attachment: ApplicationAttachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@candidate_required
def attachment(request, number: str, pk: int):
    """The candidate's own uploaded material."""
    application = selectors.application_get_for_candidate(user=request.user, number=number)
    found = get_object_or_404(ApplicationAttachment, pk=pk, version__application=application)
    return attachment_response(found)
