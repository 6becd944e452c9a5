import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record, personal_data_access_record
from kaowu.candidates.models import ExamNumber
from kaowu.candidates.selectors import (
    candidate_get_for_staff,
    candidates_awaiting_merge,
    candidates_in_region,
    candidates_registered_since,
    candidates_search,
    candidates_visible_to,
    candidates_with_exam_numbers,
)
from kaowu.organization.jurisdiction import jurisdiction_of
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render
from kaowu.staff.searches import search_recall, search_remember

from ..forms import CandidateFilterForm
from ..selectors import NEW_REGISTRATION_DAYS

PAGE_SIZE = 20
REVEALABLE_FIELDS = ["id_number", "phone"]


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def candidate_list(request):
    """考生管理: the candidates of the staff member's jurisdiction, searched and filtered."""
    staff = request.staff
    if request.method == "POST":
        params = {k: request.POST[k] for k in ("region", "show") if request.POST.get(k)}
        query = request.POST.get("q", "").strip()
        if query:
            params["s"] = search_remember(request, list_name="candidates", query=query)
        return redirect(reverse("backoffice:candidate_list") + ("?" + urlencode(params) if params else ""))
    data = request.GET.copy()
    token = data.pop("s", [None])[0]
    if token:
        data["q"] = search_recall(request, list_name="candidates", token=token)
    form = CandidateFilterForm(data or None, regions=jurisdiction_of(staff).filter_regions())
    query, region, show = "", None, CandidateFilterForm.SHOW_ALL
    if form.is_valid():
        query, region, show = form.cleaned_data["q"].strip(), form.cleaned_data["region"], form.cleaned_data["show"]
    candidates = candidates_visible_to(staff=staff)
    candidates = candidates_search(queryset=candidates, query=query)
    candidates = candidates_in_region(queryset=candidates, region=region)
    if show == CandidateFilterForm.SHOW_NEW:
        since = timezone.now() - datetime.timedelta(days=NEW_REGISTRATION_DAYS)
        candidates = candidates_registered_since(queryset=candidates, since=since)
    elif show == CandidateFilterForm.SHOW_AWAITING_MERGE:
        candidates = candidates_awaiting_merge(queryset=candidates)
    candidates = candidates_with_exam_numbers(queryset=candidates.order_by("-created_at", "-pk"))
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    # The search is logged as "there was one", never its text (it may be an ID number or a phone).
    audit_record(actor=request.user, action=AuditAction.CANDIDATE_LIST, request=request, detail={
        "has_query": bool(query), "region": region.code if region else "", "region_name": region.name if region else "",
        "show": show,
        "page": page.number, "results": page.paginator.count,
    })
    querystring = request.GET.copy()
    querystring.pop("page", None)
    querystring.pop("q", None)
    return staff_render(request, "backoffice/candidate_list.html", {
        "form": form,
        "page_obj": page,
        "querystring": querystring.urlencode(),
        "filtered": bool(query or region or show),
    }, section="candidates")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def candidate_detail(request, pk: int):
    """A candidate's profile, masked; POST reveals the full ID number and phone for this page view."""
    candidate = candidate_get_for_staff(staff=request.staff, pk=pk)
    revealed = request.method == "POST"
    if revealed:
        personal_data_access_record(actor=request.user, target=candidate, fields=REVEALABLE_FIELDS, request=request)
    else:
        audit_record(actor=request.user, action=AuditAction.CANDIDATE_VIEW, target=candidate, request=request)
    return candidate_detail_render(request, candidate, revealed=revealed)


def candidate_detail_render(request, candidate, *, revealed: bool = False, merge_form=None, correction_form=None,
                            status: int = 200):
    """The candidate detail page; the 合档 and 身份证号更正 views re-render it with their form errors."""
    from kaowu.candidates.selectors import exam_number_merges_of, id_corrections_of
    from kaowu.candidates.services import MERGE_OFFICE_KINDS

    from ..forms_records import ExamNumberMergeForm, IdNumberCorrectionForm

    exam_numbers = list(candidate.exam_numbers.select_related("exam_area").order_by("issued_at", "number"))
    active = [n for n in exam_numbers if n.status == ExamNumber.Status.ACTIVE]
    return staff_render(request, "backoffice/candidate_detail.html", {
        "candidate": candidate,
        "account": candidate.user,
        "exam_numbers": exam_numbers,
        "active_count": len(active),
        "revealed": revealed,
        "revealed_at": timezone.now() if revealed else None,
        "can_manage_records": request.staff.office.kind in MERGE_OFFICE_KINDS,
        "merge_form": merge_form or ExamNumberMergeForm(numbers=active, initial={
            "kept_number": active[0].number if active else None}),
        "correction_form": correction_form or IdNumberCorrectionForm(),
        "merges": exam_number_merges_of(candidate=candidate),
        "corrections": id_corrections_of(candidate=candidate),
    }, section="candidates", status=status)
