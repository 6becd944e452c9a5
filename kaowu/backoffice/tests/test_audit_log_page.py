"""审计日志 page: administrators read the rows of their jurisdiction, by action and date."""

import datetime

import time_machine

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.organization.models import Office, Region, StaffMember
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory


def test_a_district_administrator_sees_the_district_events_only(client, district_admin, reviewer, gansu):
    other = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, name="七里河区招生办",
                                                    region=Region.objects.get(code="620103")))
    audit_record(actor=reviewer.user, action=AuditAction.CANDIDATE_VIEW, target=CandidateFactory())
    audit_record(actor=other.user, action=AuditAction.STAFF_LOGIN, target=other.user)
    client.force_login(district_admin.user)
    page = client.get("/backoffice/audit/").content.decode()
    assert "李审核" in page and "查看考生信息" in page
    assert "七里河区招生办" not in page


def test_the_audit_log_filters_by_action_and_date(client, district_admin, reviewer):
    with time_machine.travel(datetime.datetime(2027, 4, 1, 2, 0, tzinfo=datetime.UTC)):
        audit_record(actor=reviewer.user, action=AuditAction.CANDIDATE_LIST)
    with time_machine.travel(datetime.datetime(2027, 4, 5, 2, 0, tzinfo=datetime.UTC)):
        audit_record(actor=reviewer.user, action=AuditAction.CANDIDATE_VIEW)
    client.force_login(district_admin.user)
    by_action = client.get("/backoffice/audit/", {"action": "candidate.list"}).content.decode()
    assert "2027年04月01日" in by_action and "2027年04月05日" not in by_action
    by_date = client.get("/backoffice/audit/", {"date_from": "2027-04-03", "date_to": "2027-04-30"}).content.decode()
    assert "2027年04月05日" in by_date and "2027年04月01日" not in by_date
    wrong = client.get("/backoffice/audit/", {"date_from": "2027-04-30", "date_to": "2027-04-01"}).content.decode()
    assert "结束日期不能早于开始日期" in wrong


def test_the_province_administrator_sees_every_office(client, province_admin, reviewer):
    audit_record(actor=reviewer.user, action=AuditAction.CANDIDATE_LIST)
    client.force_login(province_admin.user)
    page = client.get("/backoffice/audit/").content.decode()
    assert "李审核" in page and "城关区招生办" in page


def test_the_audit_log_is_paginated(client, district_admin):
    for _ in range(31):
        audit_record(actor=district_admin.user, action=AuditAction.CANDIDATE_LIST)
    client.force_login(district_admin.user)
    page = client.get("/backoffice/audit/").content.decode()
    assert "第 1 / 2 页" in page


def test_the_reviewer_role_is_reflected_in_the_audit_permission(client, district_admin):
    district_admin.role = StaffMember.Role.REVIEWER
    district_admin.save()
    client.force_login(district_admin.user)
    assert client.get("/backoffice/audit/").status_code == 302
