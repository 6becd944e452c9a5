"""The business-window rule, in one place. Every server check, step rail and 个人中心 tile asks
`business_window` which window applies to a business and in which state it is, so they agree by
construction:

    applicable = business_window(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting, exam_area=area)
    applicable.kind, applicable.window, applicable.state     # state: 未开始 / 进行中 / 已结束 / 未安排
    applicable.require_open()                                # raises WindowClosed(message) unless open

The rule:

1. The exam area's own window replaces the province-wide one of the same kind.
2. A business of a sitting uses the sitting's window, else the province's window of that kind set
   without a sitting (e.g. 毕业申请 once a half-year); a business that belongs to no sitting
   (基本信息填报, 信息变更申请) only ever uses sitting-less windows.
3. The split transfer kinds (省内转考, 省际转出, 省际转入) use their own window where the province
   set one; where the province set none of them, the general 转考申请 window applies (the result's
   `kind` is then 转考申请).
4. 成绩复核 is asked for the sitting whose scores were published (the caller passes that sitting:
   `records.selectors.score_review_window` for a candidate, the score's sitting for one score).

A window is open from `starts_at` (inclusive) to `ends_at` (exclusive): "至 17:00" means closed at
17:00:00.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.dates import cn_datetime
from kaowu.organization.models import Office

from .models import BusinessWindow, ExamSitting

Kind = BusinessWindow.Kind

# Businesses that belong to no sitting: their windows are set with sitting=None.
SITTINGLESS_KINDS = frozenset({Kind.FILING, Kind.CHANGE_REQUEST})
# A province either sets one 转考申请 window or one per kind of transfer.
SPLIT_TRANSFER_KINDS = (Kind.TRANSFER_WITHIN_PROVINCE, Kind.TRANSFER_OUT, Kind.TRANSFER_IN)


class WindowState(TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")
    # No window is set for the business (nothing to show as 开始 / 结束); never open.
    NOT_SCHEDULED = "not_scheduled", _("未安排")


class WindowClosed(Exception):
    """The business is outside its window. `message` is for the person who tried (Chinese)."""

    def __init__(self, message: str, *, window: BusinessWindow | None = None, state: str = WindowState.CLOSED):
        super().__init__(message)
        self.message, self.window, self.state = message, window, state


def window_state(window: BusinessWindow | None, now: datetime.datetime | None = None) -> WindowState:
    if window is None:
        return WindowState.NOT_SCHEDULED
    now = now or timezone.now()
    if now < window.starts_at:
        return WindowState.NOT_STARTED
    if now < window.ends_at:
        return WindowState.OPEN
    return WindowState.CLOSED


def window_label(kind: str) -> str:
    return str(Kind(kind).label)


def window_period(window: BusinessWindow) -> str:
    """2027年03月01日 09:00 至 2027年03月10日 17:00"""
    return gettext("%(start)s 至 %(end)s") % {"start": cn_datetime(window.starts_at), "end": cn_datetime(window.ends_at)}


def window_closed_message(kind: str, window: BusinessWindow | None) -> str:
    label = window_label(kind)
    if window is None:
        return gettext("%(business)s时间尚未公布，当前不能办理。") % {"business": label}
    return gettext("%(business)s时间为%(period)s，当前不在办理时间内") % {
        "business": label, "period": window_period(window)}


@dataclass(frozen=True)
class ApplicableWindow:
    """The window that applies to a business, and its state at the moment asked."""

    kind: str  # the business whose window applies: 转考申请 where it stands in for a split transfer kind
    window: BusinessWindow | None
    state: WindowState

    @property
    def is_open(self) -> bool:
        return self.state == WindowState.OPEN

    @property
    def label(self) -> str:
        return window_label(self.kind)

    @property
    def closed_message(self) -> str:
        return window_closed_message(self.kind, self.window)

    def require_open(self, error: type[Exception] | None = None) -> BusinessWindow:
        """The open window, or WindowClosed with a message naming the window and its times (or the
        caller's domain exception `error(message)`, e.g. RegistrationError). Services call this on the
        server for every submission: a closed window refuses even a posted form."""
        if not self.is_open:
            if error is not None:
                raise error(self.closed_message)
            raise WindowClosed(self.closed_message, window=self.window, state=self.state)
        return self.window


def _kinds_needed(kinds: Iterable[str]) -> set[str]:
    needed = set(kinds)
    if needed & set(SPLIT_TRANSFER_KINDS):
        needed |= {*SPLIT_TRANSFER_KINDS, Kind.TRANSFER}
    return needed


def _load(kinds: Iterable[str], *, sitting: ExamSitting | None, exam_area: Office | None) -> list[BusinessWindow]:
    """Every window that may apply to `kinds` for the sitting (and sitting-less ones) and the area."""
    scope = Q(exam_area__isnull=True)
    if exam_area is not None:
        scope |= Q(exam_area=exam_area)
    sittings = Q(sitting__isnull=True)
    if sitting is not None:
        sittings |= Q(sitting=sitting)
    return list(BusinessWindow.objects.filter(scope, sittings, kind__in=sorted(_kinds_needed(kinds)))
                .select_related("sitting"))


def _scheduled(kind: str, candidates: list[BusinessWindow], sitting: ExamSitting | None) -> BusinessWindow | None:
    """Rules 1 and 2: the sitting's window (the area's own first), else the sitting-less one (the same)."""
    sitting_id = None if kind in SITTINGLESS_KINDS or sitting is None else sitting.pk
    ranked = sorted((w for w in candidates if w.kind == kind and w.sitting_id in {sitting_id, None}),
                    key=lambda w: (w.sitting_id is None, w.exam_area_id is None))
    return ranked[0] if ranked else None


def _resolve(kind: str, candidates: list[BusinessWindow], sitting: ExamSitting | None,
             now: datetime.datetime | None) -> ApplicableWindow:
    window = _scheduled(kind, candidates, sitting)
    if window is None and kind in SPLIT_TRANSFER_KINDS and not any(
            _scheduled(k, candidates, sitting) for k in SPLIT_TRANSFER_KINDS):  # rule 3
        general = _scheduled(Kind.TRANSFER, candidates, sitting)
        if general is not None:
            kind, window = Kind.TRANSFER, general
    return ApplicableWindow(kind=kind, window=window, state=window_state(window, now))


def business_window(*, kind: str, sitting: ExamSitting | None = None, exam_area: Office | None = None,
                    now: datetime.datetime | None = None) -> ApplicableWindow:
    """The window that applies to the business `kind` of `sitting` (None: no sitting) as seen from
    `exam_area` (None: province-wide), with its state at `now` (default: the present). See the
    module's docstring for the rule."""
    return _resolve(kind, _load([kind], sitting=sitting, exam_area=exam_area), sitting, now)


def business_windows(*, kinds: Iterable[str], sitting: ExamSitting | None = None, exam_area: Office | None = None,
                     now: datetime.datetime | None = None) -> dict[str, ApplicableWindow]:
    """`business_window` for many kinds at once (one query), for pages that show every business."""
    kinds = list(kinds)
    candidates = _load(kinds, sitting=sitting, exam_area=exam_area)
    return {kind: _resolve(kind, candidates, sitting, now) for kind in kinds}
