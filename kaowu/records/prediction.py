"""毕业预测 (seed 003): the candidate's passed, exempted and transferred-in courses against a major's plan.

Credits required = the credits of the plan's required (必考) courses + for each elective group
(选考, `PlanCourse.group_label`, e.g. “选考课程（任选一门）”) the credits of as many courses as the group
asks for (the number in “任选N门”, one when the label names none): the passed ones first, then the
lowest-credit missing ones. Credits done count the passed required courses and, per group, at most
that many passed electives. A missing course lists the next sittings that offer it (code ≥ the current
sitting's, timetable published, scores not yet published — a sitting whose scores are out is past).
"""

import re
from dataclasses import dataclass, field

from django.utils import timezone

from kaowu.catalog.models import ExamSitting, Major, PlanCourse, SittingCourse
from kaowu.catalog.selectors import current_sitting

from .models import PassedCourse

_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
NEXT_SITTINGS_SHOWN = 2


def group_needs(label: str) -> int:
    """How many courses an elective group asks for: “任选两门” → 2; no number → 1."""
    match = re.search(r"(?:选|修|考)\s*([0-9]+|[一二两三四五六七八九十])\s*门", label or "")
    if not match:
        return 1
    text = match.group(1)
    return int(text) if text.isdigit() else _CHINESE_DIGITS[text]


@dataclass
class PlanLine:
    plan: PlanCourse
    passed: PassedCourse | None = None
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
    required: list[PlanLine]
    groups: list[ElectiveGroup]
    outside_plan: list[PassedCourse]
    credits_required: int
    credits_done: int

    @property
    def percent(self) -> int:
        if not self.credits_required:
            return 0
        return min(100, round(100 * self.credits_done / self.credits_required))

    @property
    def required_done(self) -> int:
        return sum(1 for line in self.required if line.done)

    @property
    def missing_required(self) -> list[PlanLine]:
        return [line for line in self.required if not line.done]

    @property
    def groups_incomplete(self) -> list[ElectiveGroup]:
        return [g for g in self.groups if not g.complete]

    @property
    def courses_missing(self) -> int:
        return len(self.missing_required) + sum(g.needs - g.passed_count for g in self.groups_incomplete)

    @property
    def complete(self) -> bool:
        return not self.missing_required and not self.groups_incomplete


def _next_offerings(course_ids: set[int]) -> dict[int, list[SittingCourse]]:
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


def graduation_prediction(*, major: Major, passed: list[PassedCourse]) -> Prediction:
    """`passed`: the record as the candidate may see it (`selectors.passed_courses_visible_to_candidate`)."""
    by_course = {record.course_id: record for record in passed}
    plan = list(PlanCourse.objects.filter(major=major).select_related("course").order_by("position", "course__code"))
    required, groups_by_label = [], {}
    for entry in plan:
        line = PlanLine(entry, by_course.get(entry.course_id))
        if entry.requirement == PlanCourse.Requirement.REQUIRED:
            required.append(line)
        else:
            label = entry.group_label or "选考课程"
            groups_by_label.setdefault(label, []).append(line)
    groups = [ElectiveGroup(label, group_needs(label), lines) for label, lines in groups_by_label.items()]

    credits_required = sum(line.course.credits for line in required)
    credits_done = sum(line.course.credits for line in required if line.done)
    for line in required:
        line.counted = line.done
    for group in groups:
        needs = min(group.needs, len(group.lines))
        group.needs = needs
        done = sorted((line for line in group.lines if line.done), key=lambda line: -line.course.credits)[:needs]
        for line in done:
            line.counted = True
        rest = sorted((line for line in group.lines if not line.done), key=lambda line: line.course.credits)
        group.credits_done = sum(line.course.credits for line in done)
        group.credits_required = group.credits_done + sum(line.course.credits for line in rest[:needs - len(done)])
        credits_required += group.credits_required
        credits_done += group.credits_done

    missing = {line.course.pk for line in required if not line.done}
    missing |= {line.course.pk for g in groups if not g.complete for line in g.lines if not line.done}
    offerings = _next_offerings(missing) if missing else {}
    for line in [*required, *(line for g in groups for line in g.lines)]:
        if not line.done:
            line.next_offerings = offerings.get(line.course.pk, [])
    plan_courses = {entry.course_id for entry in plan}
    outside = [record for record in passed if record.course_id not in plan_courses]
    return Prediction(major=major, required=required, groups=groups, outside_plan=outside,
                      credits_required=credits_required, credits_done=credits_done)
