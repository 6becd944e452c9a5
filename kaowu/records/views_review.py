"""成绩复核 pages (seed 002): the list with the window and 申请; the form (course and reason) →
确认 → 提交审核; the detail page with the deadline countdown, the 复核申请表 (PDF) to print, the
upload of the stamped form, the result and the timeline."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kaowu.accounts.decorators import candidate_required
from kaowu.catalog.windows import WindowState
from kaowu.workflow import selectors as workflow_selectors
from kaowu.workflow.pages import TypeViews
from kaowu.workflow.pages import pdf_response as pages_pdf_response
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.types import application_type

from . import review, selectors, services


def _candidate(request):
    return getattr(request.user, "candidate", None)


def _steps(application=None, current: int = 1) -> list[dict]:
    return application_type(review.CODE).step_rail(application, page=current)


def _window_of_latest(candidate):
    return selectors.score_review_window(candidate=candidate)


@never_cache
@candidate_required
def landing(request):
    candidate = _candidate(request)
    context = {"candidate": candidate, "rows": [], "choices": []}
    if candidate is not None:
        services.score_reviews_lapse_overdue(candidate=candidate)
        sitting, applicable = _window_of_latest(candidate)
        context.update(
            sitting=sitting, window=applicable.window if applicable else None,
            window_state=applicable.state if applicable else WindowState.NOT_SCHEDULED,
            choices=selectors.score_review_choices(candidate=candidate),
            rows=list(workflow_selectors.applications_for_candidate(user=request.user, type_code=review.CODE)))
    return render(request, "records/review_landing.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@candidate_required
def apply(request):
    candidate = _candidate(request)
    if candidate is None:
        return redirect("records:review")
    choices = selectors.score_review_choices(candidate=candidate)
    if not choices:
        messages.warning(request, gettext("当前没有可以申请复核的成绩（不在成绩复核时间内，或已申请过）。"))
        return redirect("records:review")
    step = request.POST.get("step") if request.method == "POST" else None
    if request.method == "POST":
        form = review.ScoreReviewForm(request.POST, scores=choices)
        if step != "edit" and form.is_valid():
            score = form.chosen()
            if step == "submit":
                try:
                    application = services.score_review_submit(
                        actor=request.user, candidate=candidate, exam_score_id=score.pk,
                        reason=form.cleaned_data["reason"], request=request)
                except WorkflowError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, gettext("成绩复核申请已提交。请下载《成绩复核申请表》，到报考考区盖章后上传。"))
                    return redirect("records:review_detail", application.number)
            else:
                return render(request, "records/review_preview.html", {
                    "form": form, "score": score, "reason": form.cleaned_data["reason"], "steps": _steps(current=2)})
    else:
        wanted = request.GET.get("score", "")
        form = review.ScoreReviewForm(initial={"score": wanted} if wanted else {}, scores=choices)
    return render(request, "records/review_form.html", {"form": form, "choices": choices, "steps": _steps()},
                  status=400 if step not in (None, "edit") and form.errors else 200)


class ScoreReviewViews(TypeViews):
    """The engine's detail page with our template (the deadline countdown, the upload of the stamped
    form, the result); the landing (the sitting whose scores were published, the scores to choose)
    and the form (a score from a table, preview before 提交审核, nothing saved before) are ours."""

    detail_template = "records/review_detail.html"

    def detail(self, request, number: str):
        application = self.own(request, number)
        if application.status == review.AWAITING_FORM and review.is_overdue(application):
            services.score_review_lapse(application=application)
        return super().detail(request, number)

    def detail_context(self, request, application) -> dict:
        return {"deadline": review.deadline_of(application) if application.status == review.AWAITING_FORM else None,
                "days_left": review.working_days_left(application),
                "can_upload": application.status == review.AWAITING_FORM,
                "result": getattr(application, "score_review_result", None), "now": timezone.now(),
                "form_kind": review.FORM_KIND}


VIEWS = ScoreReviewViews(review.CODE)


def pdf_response(application) -> HttpResponse:
    from .review_pdf import score_review_form_pdf

    return pages_pdf_response(score_review_form_pdf(application),
                              gettext("成绩复核申请表_%(number)s.pdf") % {"number": application.number})


@never_cache
@require_GET
@candidate_required
def form_pdf(request, number: str):
    """《成绩复核申请表》 (PDF), the candidate's own."""
    return pdf_response(VIEWS.own(request, number))
