"""What the candidate's and the reviewers' pages say about an application: the next step, the
timeline rows, a version's values and the differences between two versions."""

from dataclasses import dataclass

from django.utils.translation import gettext

from .models import Application, ApplicationTransition, ApplicationVersion
from .statuses import Status


def next_step_for_candidate(application: Application, *, window=None) -> str:
    """What the candidate does (or waits for) now; pages show it after the status: “退回修改：请按意见修改后重新提交。”"""
    kind = application.type
    status = application.status
    if kind.next_step is not None:
        text = kind.next_step(application, window)
        if text:
            return text
    if status == Status.DRAFT:
        return gettext("申请尚未提交，请核对信息后提交。")
    if status == Status.REVIEWING:
        office = application.reviewing_office.name if application.reviewing_office_id else ""
        return gettext("等待%(office)s审核（%(step)s）。审核期间不能修改；如需修改，请撤回后重新申请。") % {
            "office": office, "step": kind.step_label(application.current_step)}
    if status in (Status.RETURNED, Status.REJECTED):
        decision = application.transitions.filter(to_status=status).select_related("actor_office").order_by("-id").first()
        opinion = gettext("%(office)s意见：%(comment)s。") % {
            "office": decision.actor_office.name if decision.actor_office_id else "", "comment": decision.comment,
        } if decision is not None and decision.comment else ""
    if status == Status.RETURNED:
        text = gettext("请按意见修改后重新提交。") + opinion
        if window is not None:
            from kaowu.core.dates import cn_datetime

            text += gettext("请在%(end)s前重新提交，逾期不能提交。") % {"end": cn_datetime(window.ends_at)}
        return text
    if status == Status.APPROVED:
        return gettext("申请已办结。")
    if status == Status.REJECTED:
        return opinion + gettext("如有疑问，请咨询审核机构。")
    if status == Status.WITHDRAWN:
        return gettext("申请不再审核。如仍需办理，请在办理时间内重新申请。")
    return kind.status_label(status)


@dataclass(frozen=True)
class TimelineRow:
    transition: ApplicationTransition
    label: str
    badge: str
    step: str
    actor: str
    comment: str
    version: int | None


def timeline_rows(transitions, *, for_staff: bool = False) -> list[TimelineRow]:
    rows = []
    for t in transitions:
        if t.actor_office_id is not None:
            actor = t.actor_office.name + (f"（{t.actor.real_name}）" if for_staff and t.actor_id else "")
        elif t.actor_id is None:
            actor = gettext("平台")  # the platform itself, e.g. told by the payment gateway
        else:
            actor = gettext("考生本人")
        label, badge = t.to_label, t.badge
        if t.to_status == Status.REVIEWING and t.from_status == Status.REVIEWING:
            label, badge = gettext("审核通过，转下一步"), "success"
        rows.append(TimelineRow(transition=t, label=label, badge=badge, step=t.step_label, actor=actor,
                                comment=gettext(t.comment) if t.comment else "", version=t.version_number))
    return rows


def version_values(application: Application, version: ApplicationVersion | None) -> list[tuple[str, str]]:
    if version is None:
        return []
    return [(str(label), "" if value is None else str(value)) for label, value in application.type.describe(version.data)]


@dataclass(frozen=True)
class DiffRow:
    label: str
    before: str
    after: str
    changed: bool


def version_diff(application: Application, before: ApplicationVersion | None,
                 after: ApplicationVersion | None) -> list[DiffRow]:
    old = dict(version_values(application, before))
    rows = []
    for label, value in version_values(application, after):
        previous = old.get(label, "")
        rows.append(DiffRow(label=label, before=previous, after=value, changed=previous != value))
    return rows
