"""Concurrency, on PostgreSQL: many reviewers approving (or a reviewer and the candidate racing) the
same application move it exactly one step; the history has one row per step.

Run with KAOWU_DATABASE_URL=postgres://…; skipped on SQLite (one writer at a time, no row locks)."""

import pytest
from django.db import connection

from kaowu.testing.concurrency import in_threads
from kaowu.workflow import services
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status

from .helpers import submitted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL row locks (set KAOWU_DATABASE_URL=postgres://…)")


def test_fifty_simultaneous_approvals_move_one_step(candidate, staff, change_window):
    application = submitted(candidate)
    results, errors = in_threads(lambda i: services.application_approve(application=application,
                                                                        staff=staff["district"]).current_step)
    assert results == [1] and len(errors) == 49 and all(isinstance(e, WorkflowError) for e in errors)
    application.refresh_from_db()
    assert application.current_step == 1
    assert application.transitions.filter(from_step=0, to_step=1).count() == 1


def test_a_withdrawal_racing_a_decision_leaves_one_outcome(candidate, staff, change_window):
    application = submitted(candidate)

    def act(i):
        if i % 2:
            return services.application_withdraw(application=application, actor=candidate.user).status
        return services.application_reject(application=application, staff=staff["district"], reason="x").status

    results, errors = in_threads(act, n=10)
    assert len(results) == 1 and len(errors) == 9
    application.refresh_from_db()
    assert application.status in (Status.WITHDRAWN, Status.REJECTED)
    assert application.transitions.filter(from_status=Status.REVIEWING).count() == 1
