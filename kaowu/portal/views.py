from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kaowu.accounts.services.login import acting_exam_number, exam_numbers_of
from kaowu.candidates.selectors import exam_number_merges_of, id_corrections_of
from kaowu.identity.services import registry_check_latest
from kaowu.organization.selectors import district_office_of

from .selectors import certificate_entry, quick_entries


def home(request):
    return render(request, "portal/home.html")


@login_required
def candidate_home(request):
    user = request.user
    if not user.is_candidate:
        return redirect("backoffice:home")
    numbers = exam_numbers_of(user)
    acting = acting_exam_number(request)
    if len(numbers) > 1 and acting is None:
        return redirect("accounts:choose_exam_number")
    candidate = getattr(user, "candidate", None)
    return render(request, "portal/candidate_home.html", {
        "candidate": candidate,
        "district_office": district_office_of(candidate.district) if candidate else None,
        "registry_check": registry_check_latest(user=user),
        "filing": getattr(candidate, "filing", None) if candidate else None,
        "merges": exam_number_merges_of(candidate=candidate) if candidate else [],
        "corrections": id_corrections_of(candidate=candidate) if candidate else [],
        "exam_numbers": numbers,
        "acting": acting,
        "quick_entries": quick_entries(candidate=candidate, exam_area=acting.exam_area if acting else None)
        if candidate else [],
        "certificate_url": certificate_entry(candidate=candidate) if candidate else None,
    })
