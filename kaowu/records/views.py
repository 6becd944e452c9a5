"""成绩查询 (当次成绩, 历次合格成绩) for candidates (seeds 001, 003); 毕业预测 is kaowu.graduation's planner.

Scores of every 准考证号 of the candidate count (one person, one record); a sitting's scores appear
only from its 成绩公布时间 on (the selectors filter on it)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from kaowu.accounts.decorators import candidate_required
from kaowu.accounts.services.login import exam_numbers_of

from . import selectors
from .models import ExamScore


def _candidate(request):
    return getattr(request.user, "candidate", None)


def _current_lines(*, candidate, sitting, scores) -> list[dict]:
    """Each paid course of the sitting with its score (or none yet), plus scores of any other course."""
    from kaowu.registration.models import RegisteredCourse

    by_pair = {(s.exam_number_id, s.course_id): s for s in scores} if scores is not None else {}
    lines = []
    registered = (RegisteredCourse.objects.filter(registration__sitting=sitting,
                                                  registration__exam_number__candidate=candidate,
                                                  status__in=[RegisteredCourse.Status.PAID,
                                                              RegisteredCourse.Status.REFUNDING])
                  .select_related("course", "registration__exam_number").order_by("course__code"))
    for rc in registered:
        number = rc.registration.exam_number
        lines.append({"course": rc.course, "number": number.number,
                      "score": by_pair.pop((number.pk, rc.course_id), None)})
    for score in by_pair.values():
        lines.append({"course": score.course, "number": score.exam_number.number, "score": score})
    return lines


@never_cache
@candidate_required
def scores(request):
    """成绩查询: tab 当次成绩 (one sitting, default the newest the candidate took part in) and tab
    历次合格成绩 (the 考籍 with its sources)."""
    candidate = _candidate(request)
    tab = "passed" if request.GET.get("tab") == "passed" else "current"
    context = {"tab": tab, "candidate": candidate, "numbers": exam_numbers_of(request.user), "now": timezone.now()}
    if candidate is None:
        return render(request, "records/scores.html", context)
    if tab == "passed":
        records = list(selectors.passed_courses_visible_to_candidate(candidate=candidate))
        context.update(records=records, credits=sum(r.course.credits for r in records))
        return render(request, "records/scores.html", context)
    sittings = list(selectors.score_sittings_of(candidate=candidate))
    wanted = request.GET.get("sitting")
    sitting = next((s for s in sittings if s.code == wanted), sittings[0] if sittings else None)
    if sitting is not None:
        scores = selectors.scores_of_candidate(candidate=candidate, sitting=sitting)
        published = scores is not None
        lines = _current_lines(candidate=candidate, sitting=sitting, scores=list(scores) if published else None)
        if published:  # 成绩复核: the link next to each score that can be re-checked now, and re-checked scores
            reviewable = {s.pk for s in selectors.score_review_choices(candidate=candidate)}
            reviewed = selectors.score_review_results_for(scores=[line["score"] for line in lines if line["score"]])
            for line in lines:
                score = line["score"]
                line["reviewable"] = score is not None and score.pk in reviewable
                line["review"] = reviewed.get(score.pk) if score is not None else None
        context.update(
            sitting=sitting, sittings=sittings, published=published, lines=lines,
            passed=sum(1 for line in lines if line["score"] and line["score"].passed),
            several_numbers=len({line["number"] for line in lines}) > 1, Mark=ExamScore.Mark)
    return render(request, "records/scores.html", context)
