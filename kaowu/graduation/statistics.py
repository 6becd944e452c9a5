"""毕业统计 (issue #14 item 7, statistics part): the province's figures of 毕业申请 by major and by status,
and of graduates (已毕业, the `Graduate` rows), for the staff page and its Excel export.

毕业申请 is the workflow type `graduation` (its application's data names the major by code under
"major"); its statuses are read from the type itself — 审核中 split by step of its review chain, 退回修改,
its own statuses (待考生网上确认 …), 审核未通过, 已撤回 — so that the page follows the type as it is.
草稿 counts nowhere; an approved 毕业申请 is a graduate, counted as 已毕业 from the `Graduate` rows (which
also hold graduates registered without an application), and in 申请合计. Pure reads in a fixed number of queries: one grouped count of the
applications (major × status × step), one of the graduates by major, one for the majors' names.
Province authority only.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.catalog.models import Major
from kaowu.organization.models import Office, StaffMember
from kaowu.workflow.statuses import DEFAULT_FLOW, Status

from .models import Graduate

GRADUATION_TYPE = "graduation"   # 毕业申请's workflow type code
TOTAL, GRADUATES = "applications", "graduates"
# Where the shared statuses stand among the columns (a type's own statuses come between 退回修改 and 审核通过).
_RANK = {Status.RETURNED: 10, Status.APPROVED: 50, Status.REJECTED: 51, Status.WITHDRAWN: 52}
_NAME_KEYS = ("code", "name", "level")


def statistics_allowed(*, staff: StaffMember) -> bool:
    """毕业统计 is the province's: only the province authority reads it."""
    return staff.office.kind == Office.Kind.PROVINCE_AUTHORITY


def _graduation_type():
    from kaowu.workflow.types import application_type

    try:
        return application_type(GRADUATION_TYPE)
    except LookupError:  # the type is not registered (yet): the shared statuses, one review step
        return None


def _reviewing_key(step: int) -> str:
    return f"reviewing_{step}"


def status_columns(found: set[str] = frozenset()) -> list[tuple[str, str]]:
    """(key, header) of the status columns: 审核中 per step, then every other status of the type's flow
    except 草稿 and 审核通过 (and any status `found` in the data that the flow no longer has), in the
    order above."""
    kind = _graduation_type()
    flow = kind.flow if kind is not None else DEFAULT_FLOW
    chain = kind.review_chain if kind is not None else ()
    statuses = set(flow.transitions) | {s for targets in flow.transitions.values() for s in targets}
    own = list(kind.status_labels) if kind is not None else []
    statuses |= set(own) | set(found)
    statuses -= {Status.DRAFT, Status.REVIEWING, Status.APPROVED}  # 审核通过 is 已毕业 (the Graduate rows)
    columns = [(_reviewing_key(i), gettext("审核中（%(step)s）") % {"step": step.label})
               for i, step in enumerate(chain)] or [(_reviewing_key(0), str(Status.REVIEWING.label))]

    def rank(status: str) -> tuple:
        if status in _RANK:
            return (_RANK[status], "")
        return (20 + own.index(status), "") if status in own else (40, status)

    label = kind.status_label if kind is not None else (lambda s: str(Status(s).label) if s in Status.values else s)
    columns += [(status, label(status)) for status in sorted(statuses, key=rank)]
    return columns


@dataclass
class GraduationStatistics:
    """The table: `status` columns (key, header), `rows` (one per major, ordered by code: code, name,
    level, a count per status key, `applications` — every non-draft application — and `graduates`) and
    the 合计 row (`totals`)."""

    status: list[tuple[str, str]]
    rows: list[dict]
    totals: dict

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [("code", gettext("专业代码")), ("name", gettext("专业名称")), ("level", gettext("层次")), *self.status,
                (TOTAL, gettext("申请合计")), (GRADUATES, gettext("已毕业"))]

    def top(self, limit: int = 15) -> list[dict]:
        """The majors with the most applications and graduates, for the chart."""
        return sorted(self.rows, key=lambda row: (-row[TOTAL] - row[GRADUATES], row["code"]))[:limit]


def statistics_years() -> list[int]:
    """The years that have 毕业申请 (created) or graduates, newest first: the page's year filter."""
    from kaowu.workflow.models import Application

    years = {d.year for d in Application.objects.filter(type_code=GRADUATION_TYPE).datetimes("created_at", "year")}
    years |= {d.year for d in Graduate.objects.dates("graduated_on", "year")}
    return sorted(years, reverse=True)


def statistics_table(*, year: int | None = None) -> GraduationStatistics:
    """The figures by major (of `year`: applications created and graduates graduated in it; None: all)."""
    from kaowu.workflow.models import Application

    applications = Application.objects.filter(type_code=GRADUATION_TYPE).exclude(status=Status.DRAFT)
    graduates = Graduate.objects.all()
    if year is not None:
        applications = applications.filter(created_at__year=year)
        graduates = graduates.filter(graduated_on__year=year)
    grouped = list(applications.order_by().annotate(major_code=KeyTextTransform("major", "current_version__data"))
                   .values("major_code", "status", "current_step").annotate(n=Count("pk")))
    by_major = dict(graduates.order_by().values("major__code").annotate(n=Count("pk")).values_list("major__code", "n"))
    found = {row["status"] for row in grouped if row["status"] not in (Status.REVIEWING, Status.APPROVED)}
    status = status_columns(found)
    keys = [key for key, _header in status]
    steps = sum(1 for key in keys if key.startswith("reviewing_"))

    counts: dict[str, dict] = {}
    for row in grouped:
        code = row["major_code"] or ""
        key = row["status"]
        if key == Status.REVIEWING:
            key = _reviewing_key(min(max(row["current_step"] or 0, 0), steps - 1))
        figures = counts.setdefault(code, dict.fromkeys([*keys, TOTAL], 0))
        figures[TOTAL] += row["n"]
        if key in figures:
            figures[key] += row["n"]
    for code in by_major:
        counts.setdefault(code, dict.fromkeys([*keys, TOTAL], 0))

    majors = {m.code: m for m in Major.objects.filter(code__in=[c for c in counts if c])}
    rows = []
    for code, figures in counts.items():
        major = majors.get(code)
        rows.append({"code": code, "name": major.name if major else (gettext("（未填写专业）") if not code else ""),
                     "level": major.get_level_display() if major else "", **figures,
                     GRADUATES: by_major.get(code, 0)})
    rows.sort(key=lambda row: (row["code"] == "", row["code"]))
    totals = {key: sum(row[key] for row in rows) for key in [*keys, TOTAL, GRADUATES]}
    return GraduationStatistics(status, rows, totals)


FIGURE_NOTES = _("按毕业申请中的毕业专业统计，不含草稿；审核中按当前审核环节统计；申请合计含已办结的申请；"
                 "已毕业：毕业生登记人数（已取得毕业证书，含审核通过的毕业申请）。")
