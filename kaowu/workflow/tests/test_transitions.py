"""Every transition the flow does not allow is refused by the service that would make it, and
leaves the application and its history unchanged."""

import itertools

import pytest

from kaowu.workflow import services
from kaowu.workflow.models import Application, ApplicationTransition
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import DEFAULT_FLOW, Status

from .helpers import draft

ALL = [s.value for s in Status]
# Saving a 草稿 / 退回修改 application keeps its status (it is not a transition), so those two pairs are
# the only ones not attempted here; test_review covers saving.
ILLEGAL = [(a, b) for a, b in itertools.product(ALL, ALL) if not DEFAULT_FLOW.allowed(a, b)
           and (a, b) not in {("draft", "draft"), ("returned", "draft")}]


def test_the_default_flow_is_the_documented_one():
    allowed = {(a, b) for a, b in itertools.product(ALL, ALL) if DEFAULT_FLOW.allowed(a, b)}
    assert allowed == {
        ("draft", "reviewing"), ("draft", "withdrawn"),
        ("reviewing", "reviewing"), ("reviewing", "approved"), ("reviewing", "rejected"),
        ("reviewing", "returned"), ("reviewing", "withdrawn"),
        ("returned", "reviewing"), ("returned", "withdrawn"),
    }


def _force(application: Application, status: str, office) -> Application:
    """Put the application in `status`, in `office`'s queue, so that only the flow can refuse."""
    Application.objects.filter(pk=application.pk).update(status=status, current_step=0, reviewing_office=office)
    application.refresh_from_db()
    return application


def _attempt(target: str, application: Application, candidate, staff):
    if target == Status.REVIEWING:
        if application.status == Status.REVIEWING:  # an approval that moves on a step is the only way
            return services.application_approve(application=application, staff=staff)
        return services.application_submit(application=application, actor=candidate.user)
    if target == Status.APPROVED:
        return services.application_approve(application=application, staff=staff)
    if target == Status.REJECTED:
        return services.application_reject(application=application, staff=staff, reason="材料不全")
    if target == Status.RETURNED:
        return services.application_return(application=application, staff=staff, reason="请补充材料")
    if target == Status.WITHDRAWN:
        return services.application_withdraw(application=application, actor=candidate.user)
    if target == Status.DRAFT:  # nothing moves an application back to 草稿; saving is refused outside 草稿/退回修改
        return services.application_save_draft(application=application, actor=candidate.user, data={"value": "x"})
    raise AssertionError(target)


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_an_illegal_transition_is_refused(current, target, candidate, staff, change_window):
    application = _force(draft(candidate), current, staff["district"].office)
    before = ApplicationTransition.objects.filter(application=application).count()
    with pytest.raises(WorkflowError) as refused:
        _attempt(target, application, candidate, staff["district"])
    assert "不能" in refused.value.message
    application.refresh_from_db()
    assert application.status == current
    assert ApplicationTransition.objects.filter(application=application).count() == before


@pytest.mark.parametrize("current", [Status.APPROVED, Status.REJECTED, Status.WITHDRAWN])
def test_a_decided_application_cannot_be_withdrawn(current, candidate, staff, change_window):
    application = _force(draft(candidate), current, None)
    with pytest.raises(WorkflowError, match="不能撤回"):
        services.application_withdraw(application=application, actor=candidate.user)


@pytest.mark.parametrize("current", [Status.DRAFT, Status.REVIEWING, Status.RETURNED])
def test_the_candidate_may_withdraw_while_in_progress(current, candidate, staff, change_window):
    application = _force(draft(candidate), current, staff["district"].office if current == Status.REVIEWING else None)
    services.application_withdraw(application=application, actor=candidate.user)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN and application.reviewing_office is None
    assert application.transitions.last().from_status == current
