"""For other apps' pages: the candidate's transferred courses that did not join the record (未匹配课程),
so 成绩查询 can say so next to the 转入成绩."""

from django import template

register = template.Library()


@register.simple_tag
def unmatched_transfer_courses(user) -> list:
    from kaowu.identity.selectors import verification_passed

    if not getattr(user, "is_authenticated", False) or verification_passed(user=user) is None:
        return []
    from .. import selectors
    from ..models import IncomingCourse

    return list(IncomingCourse.objects.select_related("transfer").filter(
        transfer__in=selectors.incoming_transfers_for_candidate(user=user),
        outcome=IncomingCourse.Outcome.UNMATCHED).order_by("code"))
