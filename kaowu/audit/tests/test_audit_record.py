"""audit_record: who, what, where from — and never personal data."""

import pytest
from django.test import RequestFactory

from kaowu.audit.events import AuditAction
from kaowu.audit.models import AuditEvent
from kaowu.audit.services import audit_record, audit_target_label, personal_data_access_record
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory, UserFactory


@pytest.fixture
def staff(gansu):
    return StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.CITY_OFFICE, name="兰州市考办",
                                                   region=Region.objects.get(code="620100")))


def request_from(ip: str):
    return RequestFactory().get("/backoffice/", REMOTE_ADDR=ip)


def test_a_staff_action_is_filed_under_the_staff_office_and_region(staff):
    candidate = CandidateFactory()
    event = audit_record(actor=staff.user, action=AuditAction.CANDIDATE_VIEW, target=candidate, request=request_from("10.1.2.3"))
    assert event.actor == staff.user
    assert event.actor_office == staff.office
    assert event.jurisdiction_code == "620100"
    assert event.ip_address == "10.1.2.3"
    assert (event.target_type, event.target_id) == ("candidates.candidate", str(candidate.pk))


def test_a_candidate_action_is_filed_under_the_candidate_district(gansu):
    candidate = CandidateFactory(district=Region.objects.get(code="620103"))
    event = audit_record(actor=candidate.user, action=AuditAction.ACCOUNT_PASSWORD_CHANGE)
    assert event.actor_office is None and event.jurisdiction_code == "620103"


def test_an_anonymous_action_has_no_actor(gansu):
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action=AuditAction.ACCOUNT_PASSWORD_RESET, request=request_from("10.0.0.9"))
    assert event.actor is None and event.jurisdiction_code == "" and event.ip_address == "10.0.0.9"


def test_the_target_label_never_holds_an_id_number_or_phone(gansu):
    user = UserFactory(real_name="欧阳明月")
    candidate = CandidateFactory(user=user)
    for target in (candidate, user):
        label = audit_target_label(target)
        assert "欧*" in label and "欧阳明月" not in label
        assert user.id_number not in label and user.phone not in label


def test_personal_data_slipped_into_the_detail_is_masked(staff):
    candidate = CandidateFactory()
    event = audit_record(actor=staff.user, action=AuditAction.CANDIDATE_VIEW, target=candidate,
                         detail={"note": f"查询 {candidate.user.id_number}", "phones": [candidate.user.phone],
                                 "exam_number": "010122100004"})
    stored = str(AuditEvent.objects.get(pk=event.pk).detail)
    assert candidate.user.id_number not in stored and candidate.user.phone not in stored
    assert "010122100004" in stored  # a 准考证号 is not personal data of that kind


def test_a_personal_data_access_names_the_fields_not_their_values(staff):
    candidate = CandidateFactory()
    event = personal_data_access_record(actor=staff.user, target=candidate, fields=["phone", "id_number"],
                                        request=request_from("10.1.2.4"))
    assert event.action == "pii.view"
    assert event.detail == {"fields": ["id_number", "phone"]}
    assert event.target_id == str(candidate.pk)
