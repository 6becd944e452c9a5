"""Types with statuses of their own (考籍转出: 待缴费 → 待提交 → 审核中 … → 已完成): the initial status,
editable and deletable statuses, `application_advance` and `application_delete`."""

import pytest
from django import forms

from kaowu.audit.models import AuditEvent
from kaowu.catalog.models import BusinessWindow
from kaowu.core.state import StateMachine
from kaowu.core.text import Form
from kaowu.organization.models import Office
from kaowu.testing.factories import CandidateFactory
from kaowu.workflow import services
from kaowu.workflow.models import Application, ApplicationTransition
from kaowu.workflow.presentation import next_step_for_candidate
from kaowu.workflow.selectors import application_open_of
from kaowu.workflow.services import WorkflowError
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import (
    ApplicationType,
    ReviewStep,
    application_type,
    city_office_of_candidate,
    register,
)

from .conftest import TEST_TYPE

FEE_TYPE = "test_fee"
UNPAID, READY, CLOSED = "unpaid", "ready", "closed"


class FeeForm(Form):
    value = forms.CharField()


register(ApplicationType(
    code=FEE_TYPE, label="测试收费申请", form_class=FeeForm,
    review_chain=(ReviewStep("市考办审核", Office.Kind.CITY_OFFICE, city_office_of_candidate),),
    describe=lambda data: [("值", data.get("value", ""))],
    window_kind=BusinessWindow.Kind.CHANGE_REQUEST, window_per_sitting=False,
    flow=StateMachine({UNPAID: {READY}, READY: {Status.REVIEWING, Status.WITHDRAWN},
                       Status.REVIEWING: {Status.APPROVED, Status.RETURNED},
                       Status.RETURNED: {Status.REVIEWING}, Status.APPROVED: {CLOSED}}),
    status_labels={UNPAID: "待缴费", READY: "待提交", CLOSED: "已完成"},
    initial_status=UNPAID, editable_statuses=frozenset({UNPAID, READY, Status.RETURNED}),
    deletable_statuses=frozenset({UNPAID}), badges={UNPAID: "warning"},
    next_step=lambda application, window: "请先缴费。" if application.status == UNPAID else None,
))


@pytest.fixture(autouse=True)
def _open_window(change_window):
    """The type's window (信息变更申请) is open: drafts are saved inside it only."""


def new(candidate, value="一") -> Application:
    return services.application_save_draft(actor=candidate.user, data={"value": value}, type_code=FEE_TYPE,
                                           candidate=candidate, exam_number=candidate.exam_numbers.first())


def test_a_new_application_gets_the_types_initial_status(candidate):
    application = new(candidate)
    assert application.status == UNPAID and application.status_label == "待缴费"
    assert application.status_badge == "warning"
    row = application.transitions.get()
    assert (row.from_status, row.to_status, row.comment) == ("", UNPAID, "保存申请")
    assert next_step_for_candidate(application) == "请先缴费。"


def test_the_types_editable_statuses_allow_changes(candidate):
    application = new(candidate)
    services.application_save_draft(actor=candidate.user, data={"value": "二"}, application=application)
    Application.objects.filter(pk=application.pk).update(status=READY)
    services.application_save_draft(actor=candidate.user, data={"value": "三"}, application=application)
    application.refresh_from_db()
    assert application.data == {"value": "三"} and application.current_version.number == 1
    Application.objects.filter(pk=application.pk).update(status=CLOSED)
    with pytest.raises(WorkflowError, match="不能修改"):
        services.application_save_draft(actor=candidate.user, data={"value": "四"}, application=application)


def test_advance_follows_the_types_flow_and_writes_history_and_audit(candidate):
    application = new(candidate)
    application = services.application_advance(application=application, to=READY, comment="已缴费")
    assert application.status == READY and application.decided_at is None
    row = application.transitions.order_by("-id").first()
    assert (row.from_status, row.to_status, row.actor_id, row.comment) == (UNPAID, READY, None, "已缴费")
    assert AuditEvent.objects.filter(action="application.advanced", target_id=str(application.pk)).exists()


def test_advance_with_only_from_happens_once(candidate):
    application = new(candidate)
    for _ in range(3):
        services.application_advance(application=application, to=READY, only_from={UNPAID})
    assert application.transitions.filter(to_status=READY).count() == 1


def test_advance_refuses_what_the_flow_does_not_allow(candidate):
    application = new(candidate)
    before = ApplicationTransition.objects.filter(application=application).count()
    with pytest.raises(WorkflowError, match="待缴费.*不能寄档"):
        services.application_advance(application=application, to=CLOSED, action="寄档")
    application.refresh_from_db()
    assert application.status == UNPAID
    assert ApplicationTransition.objects.filter(application=application).count() == before


def test_advance_by_another_candidate_is_refused(candidate):
    application = new(candidate)
    with pytest.raises(WorkflowError, match="申请不存在"):
        services.application_advance(application=application, to=READY, actor=CandidateFactory().user)


def test_advance_runs_the_check_under_the_lock(candidate):
    application = new(candidate)

    def refuse(locked):
        raise WorkflowError("不符合条件")

    with pytest.raises(WorkflowError, match="不符合条件"):
        services.application_advance(application=application, to=READY, check=refuse)
    application.refresh_from_db()
    assert application.status == UNPAID


def test_advance_to_a_final_status_closes_the_application(candidate, staff):
    application = new(candidate)
    Application.objects.filter(pk=application.pk).update(status=Status.APPROVED)
    office = staff["city"]
    application = services.application_advance(application=application, to=CLOSED, actor=office.user,
                                               actor_office=office.office, comment="已寄档")
    assert application.status == CLOSED and application.decided_at is not None
    assert application.type.is_final(CLOSED) and not application.type.is_final(Status.APPROVED)


def test_open_statuses_are_those_something_can_still_happen_to(candidate):
    kind = application_type(FEE_TYPE)
    assert kind.open_statuses == {UNPAID, READY, Status.REVIEWING, Status.RETURNED, Status.APPROVED}
    assert application_type(TEST_TYPE).open_statuses == {Status.DRAFT, Status.REVIEWING, Status.RETURNED}
    application = new(candidate)
    assert application_open_of(candidate=candidate, type_code=FEE_TYPE) == application
    Application.objects.filter(pk=application.pk).update(status=CLOSED)
    assert application_open_of(candidate=candidate, type_code=FEE_TYPE) is None


def test_delete_only_where_the_type_allows_it(candidate):
    application = new(candidate)
    with pytest.raises(WorkflowError, match="申请不存在"):
        services.application_delete(application=application, actor=CandidateFactory().user)
    services.application_advance(application=application, to=READY)
    with pytest.raises(WorkflowError, match="待提交.*不能删除"):
        services.application_delete(application=application, actor=candidate.user)
    unpaid = Application.objects.create(type_code=FEE_TYPE, number="SQ2027010100000001", applicant=candidate.user,
                                        candidate=candidate, status=UNPAID)
    from kaowu.workflow.models import ApplicationVersion

    version = ApplicationVersion.objects.create(application=unpaid, number=1, data={}, created_by=candidate.user)
    Application.objects.filter(pk=unpaid.pk).update(current_version=version)
    services.application_delete(application=unpaid, actor=candidate.user)
    assert not Application.objects.filter(pk=unpaid.pk).exists()
    assert AuditEvent.objects.filter(action="application.deleted", target_id=str(unpaid.pk)).exists()


def test_a_draft_of_a_type_without_deletable_statuses_cannot_be_deleted(candidate, change_window):
    from .helpers import draft

    application = draft(candidate)
    with pytest.raises(WorkflowError, match="不能删除"):
        services.application_delete(application=application, actor=candidate.user)


def test_a_status_longer_than_its_column_is_refused_at_registration():
    """PostgreSQL would refuse such a status only when an application first reaches it."""
    with pytest.raises(ValueError, match="longer than 20"):
        register(ApplicationType(code="test_long", label="测试", form_class=FeeForm,
                                 review_chain=(ReviewStep("市考办审核", Office.Kind.CITY_OFFICE,
                                                          city_office_of_candidate),),
                                 flow=StateMachine({Status.REVIEWING: {"awaiting_confirmation"}})))
