"""毕业预测, the graduation planner (seed 003): the candidate's 考籍 against a major's plan — credits done /
required, the courses missing and the next sittings offering each — for his own major and for every
other major he could graduate in. Every figure comes from `eligibility.evaluate`, the rule 毕业资格初审
and 毕业申请 use, so the planner and the graduation decision agree by construction.

A missing course lists the next sittings that offer it (code ≥ the current sitting's, timetable
published, scores not yet published — a sitting whose scores are out is past).
"""

from dataclasses import dataclass, field

from django.utils import timezone

from kaowu.catalog.models import ExamSitting, Major, PlanCourse, SittingCourse
from kaowu.catalog.selectors import current_sitting

from .eligibility import DEFAULT_GROUP_LABEL, Verdict, evaluate, graduation_majors, plan_of, plans_of

NEXT_SITTINGS_SHOWN = 2


@dataclass
class PlanLine:
    plan: PlanCourse
    passed: object | None = None            # the PassedCourse, when passed
    next_offerings: list[SittingCourse] = field(default_factory=list)
    counted: bool = False

    @property
    def course(self):
        return self.plan.course

    @property
    def done(self) -> bool:
        return self.passed is not None


@dataclass
class ElectiveGroup:
    label: str
    needs: int
    lines: list[PlanLine]
    credits_required: int = 0
    credits_done: int = 0

    @property
    def passed_count(self) -> int:
        return sum(1 for line in self.lines if line.done)

    @property
    def complete(self) -> bool:
        return self.passed_count >= self.needs


@dataclass
class Prediction:
    major: Major
    verdict: Verdict
    required: list[PlanLine]
    groups: list[ElectiveGroup]
    outside_plan: list

    credits_required = property(lambda self: self.verdict.credits_required)
    credits_done = property(lambda self: self.verdict.credits_done)
    percent = property(lambda self: self.verdict.percent)
    complete = property(lambda self: self.verdict.complete)
    eligible = property(lambda self: self.verdict.eligible)
    courses_missing = property(lambda self: self.verdict.courses_missing)

    @property
    def required_done(self) -> int:
        return sum(1 for line in self.required if line.done)

    @property
    def missing_required(self) -> list[PlanLine]:
        return [line for line in self.required if not line.done]

    @property
    def groups_incomplete(self) -> list[ElectiveGroup]:
        return [g for g in self.groups if not g.complete]


def next_offerings(course_ids: set[int]) -> dict[int, list[SittingCourse]]:
    """The next NEXT_SITTINGS_SHOWN sittings offering each course, by course id."""
    if not course_ids:
        return {}
    current = current_sitting()
    # A sitting whose scores are out is behind the candidate, even while it is still the current one.
    sittings = ExamSitting.objects.filter(is_published=True).exclude(score_publication_at__lte=timezone.now())
    if current is not None:
        sittings = sittings.filter(code__gte=current.code)
    offerings: dict[int, list[SittingCourse]] = {}
    for offered in (SittingCourse.objects.filter(course_id__in=course_ids, sitting__in=sittings)
                    .select_related("sitting", "session").order_by("sitting__code", "session__date")):
        found = offerings.setdefault(offered.course_id, [])
        if len(found) < NEXT_SITTINGS_SHOWN:
            found.append(offered)
    return offerings


def graduation_prediction(*, major: Major, passed: list) -> Prediction:
    """`passed`: the record as the candidate may see it (`records.selectors.passed_courses_visible_to_candidate`),
    every source; a course on it twice counts once."""
    by_course = {}
    for record in passed:
        by_course.setdefault(record.course_id, record)
    verdict = evaluate(plan_of(major), by_course.keys())
    entries = list(PlanCourse.objects.filter(major=major).select_related("course").order_by("position", "course__code"))
    required, lines_by_label = [], {}
    for entry in entries:
        line = PlanLine(entry, by_course.get(entry.course_id))
        if entry.requirement == PlanCourse.Requirement.REQUIRED:
            line.counted = line.done
            required.append(line)
        else:
            lines_by_label.setdefault(entry.group_label or DEFAULT_GROUP_LABEL, []).append(line)
    groups = []
    for group_verdict in verdict.groups:
        lines = lines_by_label[group_verdict.rule.label]
        for line in lines:
            line.counted = line.course.pk in group_verdict.counted
        groups.append(ElectiveGroup(group_verdict.rule.label, group_verdict.rule.needs, lines,
                                    group_verdict.credits_required, group_verdict.credits_done))
    offerings = next_offerings(set(verdict.missing_course_ids))
    for line in [*required, *(line for g in groups for line in g.lines)]:
        if not line.done:
            line.next_offerings = offerings.get(line.course.pk, [])
    plan_courses = {entry.course_id for entry in entries}
    outside = [record for record in passed if record.course_id not in plan_courses]
    return Prediction(major=major, verdict=verdict, required=required, groups=groups, outside_plan=outside)


@dataclass
class MissingCourse:
    course: object
    next_offerings: list[SittingCourse]


@dataclass
class MajorOutlook:
    """One line of the planner's 其他专业: a major, its verdict and the courses still missing."""

    major: Major
    verdict: Verdict
    missing: list[MissingCourse]


def other_majors_outlook(*, passed_course_ids: set[int], exclude: Major | None = None,
                         courses_shown: int = 6) -> list[MajorOutlook]:
    """Every major the candidate could graduate in (not 停考) but `exclude`, closest to complete first."""
    from kaowu.catalog.models import Course

    majors = [m for m in graduation_majors().select_related("university") if exclude is None or m.pk != exclude.pk]
    plans = plans_of(majors)
    verdicts = [(major, evaluate(plans[major.pk], passed_course_ids)) for major in majors]
    verdicts = [(m, v) for m, v in verdicts if v.credits_required]
    verdicts.sort(key=lambda mv: (not mv[1].eligible, mv[1].courses_missing, -mv[1].percent, mv[0].code))
    wanted = {c for _, v in verdicts for c in v.missing_course_ids[:courses_shown]}
    courses = Course.objects.in_bulk(wanted)
    offerings = next_offerings(wanted)
    return [MajorOutlook(major, verdict, [MissingCourse(courses[c], offerings.get(c, []))
                                         for c in verdict.missing_course_ids[:courses_shown]])
            for major, verdict in verdicts]
