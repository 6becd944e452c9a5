"""The business-window rule, in one place. Every rule about time (报考, 退款, 转考, 免考, 复核, 准考证打印 …)
asks here whether its business is open:

    window = window_for(kind=BusinessWindow.Kind.COURSE_REGISTRATION, sitting=sitting, exam_area=area)
    window_state(window, now)          # "not_started" | "open" | "closed"  (未开始 / 进行中 / 已结束)
    window_require_open(kind=..., sitting=sitting, exam_area=area)   # raises WindowClosed(message)

An exam area's own window replaces the province-wide one of the same kind and sitting. A window is
open from `starts_at` (inclusive) to `ends_at` (exclusive): "至 17:00" means closed at 17:00:00.
"""

import datetime

from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaowu.core.dates import cn_datetime
from kaowu.organization.models import Office

from .models import BusinessWindow, ExamSitting


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


def window_for(*, kind: str, sitting: ExamSitting | None = None,
               exam_area: Office | None = None) -> BusinessWindow | None:
    """The window of a business for a sitting (None: windows not tied to a sitting) as seen from an
    exam area: the area's own window if it has one, else the province-wide one, else None."""
    scope = Q(exam_area__isnull=True)
    if exam_area is not None:
        scope |= Q(exam_area=exam_area)
    province_wide = None
    for window in BusinessWindow.objects.filter(scope, kind=kind, sitting=sitting).select_related("sitting"):
        if window.exam_area_id is not None:
            return window
        province_wide = window
    return province_wide

def windows_for(*, kinds, sitting: ExamSitting | None = None,
                exam_area: Office | None = None) -> dict[tuple[str, int | None], BusinessWindow]:
    """`window_for` for many kinds at once (one query), for pages that show every business:
    {(kind, sitting id or None): window}, with the same rule — the area's own window wins."""
    scope = Q(exam_area__isnull=True)
    if exam_area is not None:
        scope |= Q(exam_area=exam_area)
    sittings = Q(sitting__isnull=True) | (Q(sitting=sitting) if sitting is not None else Q(pk__in=[]))
    found: dict[tuple[str, int | None], BusinessWindow] = {}
    for window in BusinessWindow.objects.filter(scope, sittings, kind__in=list(kinds)).select_related("sitting"):
        key = (window.kind, window.sitting_id)
        if key not in found or window.exam_area_id is not None:
            found[key] = window
    return found


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
    return str(BusinessWindow.Kind(kind).label)


def window_period(window: BusinessWindow) -> str:
    """2027年03月01日 09:00 至 2027年03月10日 17:00"""
    return gettext("%(start)s 至 %(end)s") % {"start": cn_datetime(window.starts_at), "end": cn_datetime(window.ends_at)}


def window_closed_message(kind: str, window: BusinessWindow | None) -> str:
    label = window_label(kind)
    if window is None:
        return gettext("%(business)s时间尚未公布，当前不能办理。") % {"business": label}
    return gettext("%(business)s时间为%(period)s，当前不在办理时间内") % {
        "business": label, "period": window_period(window)}


def window_require_open(*, kind: str, sitting: ExamSitting | None = None, exam_area: Office | None = None,
                        now: datetime.datetime | None = None) -> BusinessWindow:
    """The open window of the business, or WindowClosed with a message naming the window and its times.
    Services call this on the server for every submission: a closed window refuses even a posted form."""
    window = window_for(kind=kind, sitting=sitting, exam_area=exam_area)
    state = window_state(window, now)
    if state != WindowState.OPEN:
        raise WindowClosed(window_closed_message(kind, window), window=window, state=state)
    return window
