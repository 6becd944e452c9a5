"""毕业论文答辩申请's candidate pages: the engine's generic pages (`workflow.pages`) with a landing that
shows where the candidate stands (理论课程, 毕业论文) and a detail page in the seed's words (打回,
【修改申请信息】) with the defence result."""

from kaowu.workflow.pages import TypeViews, candidate_of

from .selectors import thesis_result_of, thesis_standing
from .types import AWAITING_DEFENCE, CODE, last_comment


class ThesisViews(TypeViews):
    landing_template = "theses/landing.html"
    detail_template = "theses/detail.html"

    def landing_context(self, request, *, exam_number, applications) -> dict:
        context = super().landing_context(request, exam_number=exam_number, applications=applications)
        if exam_number is not None:
            standing = thesis_standing(candidate=candidate_of(request), exam_number=exam_number)
            context.update(standing=standing, refusal=standing.refusal())
        return context

    def detail_context(self, request, application) -> dict:
        from kaowu.workflow.statuses import Status

        return {"result": thesis_result_of(application=application),
                "returned_reason": last_comment(application, Status.RETURNED)
                if application.status == Status.RETURNED else "",
                "acceptance": last_comment(application, AWAITING_DEFENCE)}


VIEWS = ThesisViews(CODE)
