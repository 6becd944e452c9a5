"""毕业预测, the graduation planner (seed 003): the chosen major (default: the candidate's own) in full,
then every other major he could graduate in, closest first; a link to 报考 beside a sitting whose 报考
window is open for him."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from kaowu.accounts.decorators import candidate_required
from kaowu.accounts.services.login import acting_exam_number, exam_numbers_of
from kaowu.catalog.models import BusinessWindow, Course, Major
from kaowu.catalog.selectors import current_sitting
from kaowu.catalog.windows import business_window
from kaowu.records.selectors import passed_courses_visible_to_candidate

from . import selectors
from .eligibility import graduation_majors
from .planner import graduation_prediction, other_majors_outlook


def _mark_registration_open(offerings, *, exam_area) -> None:
    """Set `registration_open` on each offered course: whether 报考 of its sitting is open for the candidate."""
    open_by_sitting = {}
    for offered in offerings:
        if offered.sitting_id not in open_by_sitting:
            open_by_sitting[offered.sitting_id] = business_window(
                kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=offered.sitting, exam_area=exam_area).is_open
        offered.registration_open = open_by_sitting[offered.sitting_id]


# Courses passed outside the written examination: where the candidate applies for them.
APPLY_PAGES = {Course.Kind.PRACTICE: (BusinessWindow.Kind.PRACTICE_REGISTRATION, "practicals:registration",
                                      gettext_lazy("去报名")),
               Course.Kind.THESIS: (BusinessWindow.Kind.THESIS, "theses:thesis", gettext_lazy("申请答辩"))}


def _mark_apply_links(lines, *, exam_area) -> None:
    """Set `apply` (url, label) on each missing 实践 / 毕业论文 line whose business is open for the candidate."""
    sitting = current_sitting()
    links = {}
    for course_kind, (window_kind, url_name, label) in APPLY_PAGES.items():
        window = business_window(kind=window_kind, sitting=sitting, exam_area=exam_area)
        links[course_kind] = (reverse(url_name), label) if window.is_open else None
    for line in lines:
        line.apply = None if line.done else links.get(line.course.kind)


@never_cache
@candidate_required
def planner(request):
    candidate = getattr(request.user, "candidate", None)
    majors = list(graduation_majors())
    major = None
    if request.GET.get("major"):
        major = Major.objects.filter(code=request.GET["major"]).first()
    numbers = exam_numbers_of(request.user)
    number = acting_exam_number(request) or (numbers[0] if numbers else None)
    own = selectors.own_major_of(candidate=candidate, exam_number=number) if candidate is not None else None
    if major is None:
        major = own
    if major is not None and major not in majors:
        majors.insert(0, major)
    context = {"candidate": candidate, "majors": majors, "major": major, "own_major": own,
               "graduated": {g.major_id: g for g in selectors.graduates_of(candidate=candidate)} if candidate else {}}
    context["graduate"] = context["graduated"].get(major.pk) if major is not None else None
    if candidate is not None and major is not None:
        passed = list(passed_courses_visible_to_candidate(candidate=candidate))
        p = graduation_prediction(major=major, passed=passed)
        others = other_majors_outlook(passed_course_ids={r.course_id for r in passed}, exclude=major)
        exam_area = number.exam_area if number is not None else None
        _mark_registration_open([o for line in [*p.required, *(x for g in p.groups for x in g.lines)]
                                 for o in line.next_offerings]
                                + [o for outlook in others for m in outlook.missing for o in m.next_offerings],
                                exam_area=exam_area)
        _mark_apply_links([*p.required, *(x for g in p.groups for x in g.lines)], exam_area=exam_area)
        if p.complete and p.eligible and context["graduate"] is None:
            context["graduation_open"] = business_window(
                kind=BusinessWindow.Kind.GRADUATION, sitting=current_sitting(), exam_area=exam_area).is_open
        for outlook in others:
            outlook.graduate = context["graduated"].get(outlook.major.pk)
        context.update(p=p, others=others)
    return render(request, "graduation/planner.html", context)
