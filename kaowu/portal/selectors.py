"""Reading for the 个人中心: the 快捷入口 tiles, each a business with its window (开始 / 结束) and state.

A tile links only when the business has a page on the platform AND its window is open now; every
other tile shows its times and state and is not a link (disabled outside the window)."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from kaowu.candidates.models import Candidate, ExamNumber
from kaowu.catalog.models import BusinessWindow
from kaowu.catalog.selectors import current_sitting
from kaowu.catalog.windows import SPLIT_TRANSFER_KINDS, WindowState, business_windows
from kaowu.organization.models import Office

Kind = BusinessWindow.Kind

# The order of the tiles, as the businesses follow each other in a candidate's year.
QUICK_ENTRY_KINDS = [
    Kind.FILING,
    Kind.COURSE_REGISTRATION,
    Kind.PRACTICE_REGISTRATION,
    Kind.REFUND,
    Kind.TICKET_PRINT,
    Kind.TRANSFER,
    Kind.TRANSFER_WITHIN_PROVINCE,
    Kind.TRANSFER_OUT,
    Kind.TRANSFER_IN,
    Kind.EXEMPTION,
    Kind.SCORE_REVIEW,
    Kind.THESIS,
    Kind.GRADUATION,
    Kind.CHANGE_REQUEST,
]
# Which window applies is `catalog.windows.business_window`'s rule; a tile shows a split transfer
# kind only when its own window is set, and the general 转考申请 only when it stands in for them.
# Businesses with a page on the platform (URL name). Add a kind here when its page exists.
BUSINESS_PAGES = {Kind.FILING: "filing:overview", Kind.COURSE_REGISTRATION: "registration:overview",
                  Kind.REFUND: "registration:refund", Kind.TICKET_PRINT: "documents:tickets",
                  # 转考申请 (the general window) leads to 省内转考 until 考籍转入 has a page.
                  Kind.TRANSFER_WITHIN_PROVINCE: "transfers:within", Kind.TRANSFER: "transfers:within",
                  Kind.TRANSFER_OUT: "transfers:out", Kind.TRANSFER_IN: "transfers:in",
                  Kind.SCORE_REVIEW: "records:review", Kind.EXEMPTION: "exemptions:exemption",
                  Kind.THESIS: "theses:thesis", Kind.PRACTICE_REGISTRATION: "practicals:registration",
                  Kind.GRADUATION: "graduation:application"}

_BADGES = {WindowState.OPEN: "success"}


@dataclass(frozen=True)
class QuickEntry:
    kind: str
    label: str
    window: BusinessWindow | None
    state: WindowState
    has_page: bool
    url: str | None  # set only when the page exists and the window is open

    @property
    def is_open(self) -> bool:
        return self.state == WindowState.OPEN

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def badge(self) -> str:
        return _BADGES.get(self.state, "neutral")


def candidate_exam_area(*, candidate: Candidate) -> Office | None:
    """The exam area whose windows apply: the 建档 area, else that of an active 准考证号."""
    filing = getattr(candidate, "filing", None)
    if filing is not None:
        return filing.exam_area
    number = (candidate.exam_numbers.filter(status=ExamNumber.Status.ACTIVE)
              .select_related("exam_area").order_by("issued_at").first())
    return number.exam_area if number else None


def _score_review_window(candidate, now):
    """成绩复核 is for the newest sitting whose scores the candidate has (published), not the current one."""
    from kaowu.records.selectors import score_review_window

    return score_review_window(candidate=candidate, now=now)


def quick_entries(*, candidate: Candidate, now: datetime.datetime | None = None,
                  exam_area: Office | None = None) -> list[QuickEntry]:
    """The 快捷入口 of a candidate for the current sitting, seen from `exam_area` (default: the
    candidate's own) at `now` (default: the present)."""
    now = now or timezone.now()
    if exam_area is None:
        exam_area = candidate_exam_area(candidate=candidate)
    applicable = business_windows(kinds=QUICK_ENTRY_KINDS, sitting=current_sitting(), exam_area=exam_area, now=now)
    review_sitting, review_window = _score_review_window(candidate, now)
    if review_sitting is not None:
        applicable[Kind.SCORE_REVIEW] = review_window
    split_transfer = any(applicable[kind].kind == kind and applicable[kind].window is not None
                         for kind in SPLIT_TRANSFER_KINDS)
    entries = []
    for kind, found in applicable.items():
        if kind in SPLIT_TRANSFER_KINDS and (found.window is None or found.kind != kind):
            continue  # not scheduled, or the general 转考申请 tile stands for it
        if kind == Kind.TRANSFER and found.window is None and split_transfer:
            continue  # the province set the transfers apart: their own tiles show
        page = BUSINESS_PAGES.get(kind)
        entries.append(QuickEntry(
            kind=kind, label=found.label, window=found.window, state=found.state, has_page=page is not None,
            url=reverse(page) if page and found.is_open else None,
        ))
    return entries


def certificate_entry(*, candidate: Candidate) -> str | None:
    """毕业证明书申请 has no window (a graduate applies at any time): its tile links its page for a
    candidate who has graduated (a `Graduate` row), and is not shown to anyone else."""
    from kaowu.graduation.certificate import is_graduate

    return reverse("graduation:certificate") if is_graduate(candidate) else None
