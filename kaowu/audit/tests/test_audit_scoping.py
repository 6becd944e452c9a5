"""audit_events_visible_to: the province reads everything, others their jurisdiction."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from kaowu.audit.events import AuditAction
from kaowu.audit.selectors import (
    audit_actions_in,
    audit_events_filter,
    audit_events_of_actor,
    audit_events_visible_to,
    audit_log_allowed,
)
from kaowu.audit.services import audit_record
from kaowu.organization.models import Office, Region, StaffMember
from kaowu.testing.factories import OfficeFactory, StaffMemberFactory


def staff_at(kind, code, role=StaffMember.Role.ADMINISTRATOR):
    return StaffMemberFactory(role=role, office=OfficeFactory(kind=kind, region=Region.objects.get(code=code)))


@pytest.fixture
def offices(gansu):
    return {
        "province": staff_at(Office.Kind.PROVINCE_AUTHORITY, "620000"),
        "lanzhou": staff_at(Office.Kind.CITY_OFFICE, "620100"),
        "chengguan": staff_at(Office.Kind.DISTRICT_OFFICE, "620102"),
        "qilihe": staff_at(Office.Kind.DISTRICT_OFFICE, "620103"),
        "point": staff_at(Office.Kind.REGISTRATION_POINT, "620102"),
    }


@pytest.fixture
def events(offices):
    return {name: audit_record(actor=staff.user, action=AuditAction.STAFF_LOGIN) for name, staff in offices.items()}


def visible(staff):
    return set(audit_events_visible_to(staff=staff))


def test_the_province_sees_every_event(offices, events):
    assert visible(offices["province"]) == set(events.values())


def test_a_city_sees_its_own_and_its_districts_events(offices, events):
    assert visible(offices["lanzhou"]) == {events["lanzhou"], events["chengguan"], events["qilihe"], events["point"]}


def test_a_district_sees_only_its_own_district(offices, events):
    assert visible(offices["chengguan"]) == {events["chengguan"], events["point"]}
    assert visible(offices["qilihe"]) == {events["qilihe"]}


def test_a_registration_point_sees_only_its_own_office(offices, events):
    assert visible(offices["point"]) == {events["point"]}


def test_only_administrators_open_the_audit_log(gansu):
    assert audit_log_allowed(staff=staff_at(Office.Kind.DISTRICT_OFFICE, "620102"))
    assert not audit_log_allowed(staff=staff_at(Office.Kind.DISTRICT_OFFICE, "620102", StaffMember.Role.REVIEWER))


def test_events_filter_by_action_and_beijing_date(offices):
    staff = offices["province"]
    # 2027-04-11 23:30 Beijing time is 15:30 UTC: it belongs to the 11th, not the 12th.
    with time_machine.travel(datetime.datetime(2027, 4, 11, 15, 30, tzinfo=datetime.UTC)):
        late_evening = audit_record(actor=staff.user, action=AuditAction.CANDIDATE_VIEW)
    with time_machine.travel(datetime.datetime(2027, 4, 12, 1, 0, tzinfo=datetime.UTC)):
        next_morning = audit_record(actor=staff.user, action=AuditAction.CANDIDATE_LIST)
    scoped = audit_events_visible_to(staff=staff)
    day = datetime.date(2027, 4, 11)
    assert list(audit_events_filter(queryset=scoped, date_from=day, date_to=day)) == [late_evening]
    assert list(audit_events_filter(queryset=scoped, action="candidate.list")) == [next_morning]
    assert ("candidate.view", "查看考生信息") in audit_actions_in(queryset=scoped)


def test_a_staff_member_recent_actions_are_newest_first(offices):
    staff = offices["chengguan"]
    first = audit_record(actor=staff.user, action=AuditAction.CANDIDATE_LIST)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        second = audit_record(actor=staff.user, action=AuditAction.CANDIDATE_VIEW)
    assert audit_events_of_actor(user=staff.user, limit=2) == [second, first]
