"""免考申请's candidate pages: the engine's generic pages (`workflow.pages`) with a detail page that
shows each course's decision (不通过 with its reason), and 当次免考审核结果查询 (查询中心)."""

from django.shortcuts import render

from kaowu.catalog.selectors import current_sitting
from kaowu.workflow.pages import TypeViews, candidate_of

from .selectors import exemption_applications_of
from .types import CODE


class ExemptionViews(TypeViews):
    detail_template = "exemptions/detail.html"

    def detail_context(self, request, application) -> dict:
        return {"items": list(application.items.all())}


VIEWS = ExemptionViews(CODE)


def results(request):
    """当次免考审核结果查询: the candidate's 免考申请 of the current sitting, course by course."""
    candidate = candidate_of(request)
    sitting = current_sitting()
    applications = list(exemption_applications_of(candidate=candidate, sitting=sitting)) if sitting else []
    return render(request, "exemptions/results.html", {"sitting": sitting, "applications": applications,
                                                       "kind": VIEWS.kind})
