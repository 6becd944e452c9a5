"""身份认证审核: the manual review queue of an office (seed 002: 到考区线下采集; seed 001: 到报名点人工审核).

Every query goes through `verifications_for_review`, so another office's case is a 404."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kaowu.candidates.selectors import candidates_visible_to
from kaowu.identity import services
from kaowu.identity.forms import ReviewDecisionForm, ReviewFilterForm
from kaowu.identity.models import Photo, Verification
from kaowu.identity.selectors import pending_review_count, verifications_for_review, verifications_search
from kaowu.identity.views import photo_response
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render
from kaowu.staff.searches import search_recall, search_remember

PAGE_SIZE = 20
Status = Verification.Status


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def review_list(request):
    staff = request.staff
    if request.method == "POST":
        params = {"status": request.POST.get("status") or Status.MANUAL_REVIEW}
        query = request.POST.get("q", "").strip()
        if query:
            params["s"] = search_remember(request, list_name="identity", query=query)
        return redirect(reverse("backoffice:identity_review_list") + "?" + urlencode(params))
    data = request.GET.copy()
    data.pop("q", None)
    token = data.pop("s", [None])[0]
    if token:
        data["q"] = search_recall(request, list_name="identity", token=token)
    form = ReviewFilterForm(data or None)
    status, query = Status.MANUAL_REVIEW, ""
    if form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"].strip()
    mine = verifications_for_review(staff=staff)
    counts = {row["status"]: row["n"] for row in _counts(mine)}
    rows = verifications_search(queryset=mine, query=query)
    if status != ReviewFilterForm.STATUS_ALL:
        rows = rows.filter(status=status)
    rows = rows.annotate(
        requested_at=Max("history__created_at", filter=Q(history__to_status=Status.MANUAL_REVIEW)),
    ).select_related("user__candidate__registration_point").prefetch_related("user__candidate__exam_numbers")
    order = ("requested_at", "pk") if status == Status.MANUAL_REVIEW else ("-updated_at", "-pk")
    page = Paginator(rows.order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    querystring.pop("q", None)
    tabs = [{"value": value, "label": label, "count": counts.get(value) if value != ReviewFilterForm.STATUS_ALL
             else sum(counts.values()), "active": value == status} for value, label in ReviewFilterForm.TABS]
    return staff_render(request, "backoffice/identity_list.html", {
        "form": form,
        "status": status,
        "tabs": tabs,
        "query": query,
        "search_token": token if query else "",
        "page_obj": page,
        "querystring": querystring.urlencode(),
        "identity_pending": counts.get(Status.MANUAL_REVIEW, 0),
        "province_wide": staff.office.kind == staff.office.Kind.PROVINCE_AUTHORITY,
    }, section="identity")


def _counts(queryset):
    return queryset.order_by().values("status").annotate(n=Count("pk"))


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def review_detail(request, pk: int):
    staff = request.staff
    verification = get_object_or_404(
        verifications_for_review(staff=staff).select_related("reviewed_by", "user__candidate__registration_point"),
        pk=pk,
    )
    form = ReviewDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if verification.status != Status.MANUAL_REVIEW:
            messages.error(request, gettext("该认证当前状态为“%(status)s”，不能审核。")
                           % {"status": verification.get_status_display()})
            return redirect("backoffice:identity_review_detail", pk=pk)
        if form.is_valid():
            try:
                services.verification_review(verification=verification, staff=staff, approve=form.approve,
                                             reason=form.cleaned_data["reason"], request=request)
            except services.IdentityError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                name = verification.user.real_name
                if form.approve:
                    done = gettext("已审核通过：%(name)s。考生将在身份认证页面看到结果。")
                else:
                    done = gettext("已审核不通过：%(name)s。考生将在身份认证页面看到结果。")
                messages.success(request, done % {"name": name})
                return redirect("backoffice:identity_review_list")
    photos = services.photos_current(verification=verification)
    candidate = getattr(verification.user, "candidate", None)
    attempts = list(verification.attempts.all())
    return staff_render(request, "backoffice/identity_detail.html", {
        "verification": verification,
        "account": verification.user,
        "candidate": candidate,
        "candidate_visible": candidate is not None and candidates_visible_to(staff=staff).filter(pk=candidate.pk).exists(),
        "exam_numbers": list(candidate.exam_numbers.filter(status="active")) if candidate else [],
        "photo_slots": [{"kind": k, "label": Photo.Kind(k).label, "photo": photos.get(k)}
                        for k in verification.required_photos],
        "attempts": [_attempt_row(a) for a in attempts],
        "history": verification.history.select_related("actor").order_by("-created_at", "-id"),
        "staff_view": True,
        "form": form,
        "can_decide": verification.status == Status.MANUAL_REVIEW,
        "identity_pending": pending_review_count(staff=staff),
    }, section="identity")


def _attempt_row(attempt) -> dict:
    pairs = []
    for key, distance in (attempt.distances or {}).items():
        left, _, right = key.partition("~")
        pairs.append({"label": f"{_kind_label(left)} ↔ {_kind_label(right)}", "distance": distance,
                      "over": distance is not None and distance > attempt.threshold})
    return {"attempt": attempt, "pairs": pairs}


def _kind_label(kind: str) -> str:
    try:
        return Photo.Kind(kind).label
    except ValueError:
        return kind


@require_GET
@staff_required
def review_photo(request, token):
    """A photo of a case in the staff member's queue; every opening is recorded (personal data access)."""
    try:
        photo = services.photo_open_for_staff(staff=request.staff, token=token, request=request)
    except Photo.DoesNotExist:
        raise Http404 from None
    return photo_response(photo)
