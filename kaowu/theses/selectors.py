"""Who may apply for 毕业论文答辩, and what he still lacks.

The rule: the thesis course (`Course.Kind.THESIS`) of the candidate's own major's plan is not on his 考籍,
and his theory courses (`Course.Kind.THEORY`) of that plan are passed, or all but
`KAOWU_THESIS_THEORY_MISSING_ALLOWED` of them. The courses are counted by the graduation rule itself
(`kaowu.graduation.eligibility.evaluate` on the major's compiled plan, every source of the 考籍 counted,
elective groups 任选N门 included), with every course of the plan that is not a theory course taken as
done: what the verdict then misses is exactly the theory courses still lacking. No second rule."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

from kaowu.catalog.models import Course, Major


@dataclass(frozen=True)
class ThesisStanding:
    """Where a candidate stands for 毕业论文答辩 in one major."""

    major: Major | None
    thesis: Course | None                        # the plan's thesis course
    missing_theory: tuple[Course, ...] = ()      # required theory courses not passed, plan order
    groups_short: tuple[tuple[str, int], ...] = ()  # elective groups still short of theory courses: (label, n)
    thesis_passed: bool = False
    allowed: int = 0                             # KAOWU_THESIS_THEORY_MISSING_ALLOWED when computed

    @property
    def missing_count(self) -> int:
        return len(self.missing_theory) + sum(n for _label, n in self.groups_short)

    @property
    def missing_text(self) -> str:
        """00535 现代汉语、选考课程（任选一门）中1门"""
        parts = [f"{c.code} {c.name}" for c in self.missing_theory]
        parts += [gettext("%(group)s中%(n)s门") % {"group": label, "n": n} for label, n in self.groups_short]
        return "、".join(parts)

    @property
    def theory_ok(self) -> bool:
        return self.missing_count <= self.allowed

    def refusal(self) -> str | None:
        """Why the candidate may not apply (a Chinese sentence naming what is missing), or None."""
        if self.major is None:
            return gettext("未找到您的报考专业，不能申请毕业论文答辩。如有疑问请咨询所在考区。")
        if self.thesis is None:
            return gettext("您的报考专业（%(major)s）的专业计划中没有毕业论文，无需申请毕业论文答辩。") % {
                "major": self.major.name}
        if self.thesis_passed:
            return gettext("毕业论文（%(course)s）已记入考籍，不能再申请毕业论文答辩。") % {
                "course": f"{self.thesis.code} {self.thesis.name}"}
        if not self.theory_ok:
            if self.allowed:
                rule = gettext("申请毕业论文答辩须专业计划中的理论课程全部合格，或最多差 %(allowed)s 门。") % {
                    "allowed": self.allowed}
            else:
                rule = gettext("申请毕业论文答辩须专业计划中的理论课程全部合格。")
            return rule + gettext("您还差 %(n)s 门理论课程：%(courses)s。") % {
                "n": self.missing_count, "courses": self.missing_text}
        return None


def thesis_course_of(*, major: Major) -> Course | None:
    """The thesis course of the major's plan (毕业论文), if it has one."""
    return (Course.objects.filter(plan_entries__major=major, kind=Course.Kind.THESIS)
            .order_by("plan_entries__position", "code").first())


def thesis_standing(*, candidate, exam_number=None, major: Major | None = None) -> ThesisStanding:
    """The candidate's standing for 毕业论文答辩 in `major` (default: his own major, as 毕业预测 takes it)."""
    from kaowu.graduation.eligibility import evaluate, plan_of
    from kaowu.graduation.selectors import own_major_of
    from kaowu.records.selectors import passed_course_ids

    allowed = max(0, int(settings.KAOWU_THESIS_THEORY_MISSING_ALLOWED))
    if major is None:
        major = own_major_of(candidate=candidate, exam_number=exam_number)
    if major is None:
        return ThesisStanding(major=None, thesis=None, allowed=allowed)
    plan = plan_of(major)
    courses = Course.objects.in_bulk(plan.course_ids)
    thesis = thesis_course_of(major=major)
    passed = passed_course_ids(candidate=candidate)
    not_theory = {pk for pk, course in courses.items() if course.kind != Course.Kind.THEORY}
    verdict = evaluate(plan, passed | not_theory)
    return ThesisStanding(
        major=major, thesis=thesis, allowed=allowed,
        missing_theory=tuple(courses[pk] for pk in verdict.missing_required),
        groups_short=tuple((g.rule.label, g.short_by) for g in verdict.groups if not g.complete),
        thesis_passed=thesis is not None and thesis.pk in passed)


def thesis_open_application(*, candidate, exclude=None):
    """The candidate's 毕业论文答辩申请 still in progress (草稿, 审核中, 已打回, 待答辩), if any."""
    from kaowu.workflow.selectors import application_open_of

    from .types import CODE

    return application_open_of(candidate=candidate, type_code=CODE, exclude=exclude)


def thesis_result_of(*, application):
    from .models import DefenceResult

    return DefenceResult.objects.filter(application=application).select_related("office", "course").first()
