"""Reads for the back office's pages, built only on the scoped selectors of each app."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from kaowu.candidates.selectors import (
    candidates_awaiting_merge,
    candidates_registered_since,
    candidates_visible_to,
)
from kaowu.organization.models import StaffMember

NEW_REGISTRATION_DAYS = 7


@dataclass(frozen=True)
class WorkbenchCounts:
    candidates: int
    new_registrations: int
    awaiting_merge: int


def workbench_counts(*, staff: StaffMember) -> WorkbenchCounts:
    """Real counts for the 工作台; queues added later (转考, 申诉 …) add their own counts here."""
    visible = candidates_visible_to(staff=staff)
    since = timezone.now() - datetime.timedelta(days=NEW_REGISTRATION_DAYS)
    return WorkbenchCounts(
        candidates=visible.count(),
        new_registrations=candidates_registered_since(queryset=visible, since=since).count(),
        awaiting_merge=candidates_awaiting_merge(queryset=visible).count(),
    )
