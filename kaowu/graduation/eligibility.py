"""The eligibility rule: does a set of passed courses complete a major's plan, and what is missing.

One function, `evaluate(plan, passed_course_ids)`, decides for 毕业预测 (the planner), 毕业资格初审 (the
batch) and 毕业申请: they differ only in how they read the plans and the 考籍, never in the rule.

- `passed_course_ids`: the course ids of every `PassedCourse` of the person (考试合格, 转入成绩, 免考, and
  实践 / 毕业论文 results as they land — all are `PassedCourse` rows); the source does not matter and a
  course passed twice counts once.
- Credits required = the credits of the plan's required (必考) courses + for each elective group (选考,
  `PlanCourse.group_label`, e.g. “选考课程（任选一门）”) the credits of as many courses as the group asks
  for (the number in “任选N门”, one when the label names none, never more than the group has): the
  passed ones first (highest credits), then the lowest-credit missing ones. Credits done count the
  passed required courses and, per group, at most that many passed electives.
- The plan is complete when every required course is passed and every group has its number. A
  candidate is eligible when the plan is complete and the major still graduates candidates: not 停考,
  nor 停考过渡期 past its end date.

`Plan` is a major's plan compiled once (ids and credits only), so that the batch evaluates hundreds of
thousands of candidates without touching the ORM per candidate.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from kaowu.catalog.models import Major, PlanCourse

_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
DEFAULT_GROUP_LABEL = "选考课程"


def group_needs(label: str) -> int:
    """How many courses an elective group asks for: “任选两门” → 2; no number → 1."""
    match = re.search(r"(?:选|修|考)\s*([0-9]+|[一二两三四五六七八九十])\s*门", label or "")
    if not match:
        return 1
    text = match.group(1)
    return int(text) if text.isdigit() else _CHINESE_DIGITS[text]


def major_graduates(major: Major, *, today: datetime.date | None = None) -> bool:
    """Whether the major still graduates candidates: 开考, or 停考过渡期 up to its end date."""
    if major.status == Major.Status.OPEN:
        return True
    if major.status == Major.Status.TRANSITION:
        today = today or timezone.localdate()
        return major.transition_ends_on is not None and today <= major.transition_ends_on
    return False


@dataclass(frozen=True)
class GroupRule:
    label: str
    needs: int                              # already capped at the number of courses in the group
    courses: tuple[tuple[int, int], ...]    # (course id, credits) in plan order


@dataclass(frozen=True)
class Plan:
    major_id: int
    code: str
    name: str
    graduates: bool                          # major_graduates() when compiled
    required: tuple[tuple[int, int], ...]    # (course id, credits) in plan order
    groups: tuple[GroupRule, ...]

    @cached_property
    def course_ids(self) -> frozenset[int]:
        return frozenset(c for c, _ in self.required) | {c for g in self.groups for c, _ in g.courses}

    def within_reach(self, passed: set[int] | frozenset[int]) -> bool:
        """A cheap necessary condition for `evaluate(...).eligible` (for batches, which skip the plans a
        candidate cannot complete): the major graduates and enough of its courses are passed. It never
        decides eligibility: `evaluate` does."""
        needed = self.courses_needed
        return self.graduates and len(passed) >= needed and len(self.course_ids & passed) >= needed

    @cached_property
    def courses_needed(self) -> int:
        return len(self.required) + sum(g.needs for g in self.groups)


@dataclass(frozen=True)
class GroupVerdict:
    rule: GroupRule
    passed: tuple[int, ...]     # passed course ids of the group
    counted: tuple[int, ...]    # the passed ones that count (at most `needs`, highest credits first)
    credits_done: int
    credits_required: int

    @property
    def complete(self) -> bool:
        return len(self.passed) >= self.rule.needs

    @property
    def short_by(self) -> int:
        return max(0, self.rule.needs - len(self.passed))


@dataclass(frozen=True)
class Verdict:
    plan: Plan
    credits_done: int
    credits_required: int
    missing_required: tuple[int, ...]   # course ids, plan order
    groups: tuple[GroupVerdict, ...]

    @property
    def complete(self) -> bool:
        # a plan with no course (not yet entered) is never complete
        return (bool(self.plan.required or self.plan.groups) and not self.missing_required
                and all(g.complete for g in self.groups))

    @property
    def eligible(self) -> bool:
        return self.complete and self.plan.graduates

    @property
    def courses_missing(self) -> int:
        return len(self.missing_required) + sum(g.short_by for g in self.groups)

    @property
    def missing_course_ids(self) -> tuple[int, ...]:
        """Every course that could still be taken: the missing required ones, then the unpassed courses
        of each incomplete group."""
        rest = tuple(c for g in self.groups if not g.complete for c, _ in g.rule.courses if c not in g.passed)
        return self.missing_required + rest

    @property
    def percent(self) -> int:
        if not self.credits_required:
            return 0
        return min(100, round(100 * self.credits_done / self.credits_required))


def evaluate(plan: Plan, passed_course_ids: Iterable[int]) -> Verdict:
    """THE rule (see the module's docstring)."""
    passed = passed_course_ids if isinstance(passed_course_ids, set | frozenset) else set(passed_course_ids)
    missing = tuple(c for c, _ in plan.required if c not in passed)
    credits_required = sum(credits for _, credits in plan.required)
    credits_done = sum(credits for c, credits in plan.required if c in passed)
    groups = []
    for rule in plan.groups:
        done = [(c, credits) for c, credits in rule.courses if c in passed]
        counted = sorted(done, key=lambda pair: -pair[1])[:rule.needs]
        rest = sorted((pair for pair in rule.courses if pair[0] not in passed), key=lambda pair: pair[1])
        group_done = sum(credits for _, credits in counted)
        group_required = group_done + sum(credits for _, credits in rest[:rule.needs - len(counted)])
        groups.append(GroupVerdict(rule, tuple(c for c, _ in done), tuple(c for c, _ in counted),
                                   group_done, group_required))
        credits_required += group_required
        credits_done += group_done
    return Verdict(plan, credits_done, credits_required, missing, tuple(groups))


def plans_compile(entries: Iterable[PlanCourse], majors: Iterable[Major], *,
                  today: datetime.date | None = None) -> dict[int, Plan]:
    """Plans by major id from PlanCourse rows (with `course` loaded, in plan order)."""
    today = today or timezone.localdate()
    by_major: dict[int, tuple[list, dict]] = {m.pk: ([], {}) for m in majors}
    for entry in entries:
        if entry.major_id not in by_major:
            continue
        required, groups = by_major[entry.major_id]
        pair = (entry.course_id, entry.course.credits)
        if entry.requirement == PlanCourse.Requirement.REQUIRED:
            required.append(pair)
        else:
            groups.setdefault(entry.group_label or DEFAULT_GROUP_LABEL, []).append(pair)
    plans = {}
    for major in majors:
        required, groups = by_major[major.pk]
        rules = tuple(GroupRule(label, min(group_needs(label), len(pairs)), tuple(pairs))
                      for label, pairs in groups.items())
        plans[major.pk] = Plan(major.pk, major.code, major.name, major_graduates(major, today=today),
                               tuple(required), rules)
    return plans


def _plan_entries(majors):
    return (PlanCourse.objects.filter(major__in=majors).select_related("course")
            .order_by("major_id", "position", "course__code"))


def plan_of(major: Major) -> Plan:
    return plans_compile(_plan_entries([major]), [major])[major.pk]


def plans_of(majors: Iterable[Major]) -> dict[int, Plan]:
    """Plans of many majors in one query, by major id."""
    majors = list(majors)
    return plans_compile(_plan_entries(majors), majors)


def graduation_majors():
    """The majors a candidate could graduate in (not 停考), in code order."""
    return Major.objects.exclude(status=Major.Status.CLOSED).order_by("code")
