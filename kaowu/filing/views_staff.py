"""The exam area's 建档 review queue (管理端 › 建档审核)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaowu.audit.services import personal_data_access_record
from kaowu.staff.decorators import staff_required
from kaowu.staff.layout import staff_render

from . import services
from .forms import ReviewForm
from .models import Filing

TABS = [("submitted", _("考区未审核")), ("rejected", _("审核未通过")), ("approved", _("审核通过")), ("all", _("全部"))]


@never_cache
@staff_required
def review_list(request):
    status = request.GET.get("status", "submitted")
    if status not in dict(TABS):
        status = "submitted"
    queryset = services.filings_for_review(staff=request.staff).order_by("submitted_at", "pk")
    counts = {key: queryset.filter(status=key).count() for key, _ in TABS if key != "all"}
    if status != "all":
        queryset = queryset.filter(status=status)
    name = request.GET.get("q", "").strip()[:30]
    if name:
        queryset = queryset.filter(candidate__user__real_name__contains=name)
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return staff_render(request, "filing/staff/list.html", {
        "page_obj": page, "tabs": [(key, label, counts.get(key)) for key, label in TABS], "status": status, "q": name,
        "querystring": f"status={status}" + (f"&q={name}" if name else ""),
    }, section="filing")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def review_detail(request, pk: int):
    filing = get_object_or_404(services.filings_for_review(staff=request.staff), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.filing_review(filing=filing, staff=request.staff,
                                   approve=form.cleaned_data["decision"] == ReviewForm.APPROVE,
                                   reason=form.cleaned_data["reason"], request=request)
        except services.FilingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            filing.refresh_from_db()
            messages.success(request, gettext("已审核通过，准考证号 %(number)s。") % {"number": filing.exam_number.number}
                             if filing.exam_number else gettext("已退回，考生将看到未通过原因。"))
            return redirect("backoffice:filing_staff:list")
    from .views import _id_photo

    return staff_render(request, "filing/staff/detail.html", {
        "filing": filing, "form": form, "history": filing.history.select_related("actor"),
        "id_photo": _id_photo(filing.candidate.user),
    }, section="filing", status=400 if form.errors else 200)


@never_cache
@staff_required
def review_photo(request, pk: int):
    """The candidate's 证件照 for the reviewer, access-logged."""
    from kaowu.identity.views import photo_response

    from .views import _id_photo

    filing: Filing = get_object_or_404(services.filings_for_review(staff=request.staff), pk=pk)
    photo = _id_photo(filing.candidate.user)
    if photo is None:
        raise Http404
    personal_data_access_record(actor=request.user, target=filing, fields=["photo:id_photo"], request=request)
    return photo_response(photo)
