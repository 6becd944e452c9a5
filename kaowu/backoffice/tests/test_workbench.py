"""工作台: real counts of what awaits the staff member, the office, their own recent actions."""

import datetime

import time_machine
from django.utils import timezone

from kaowu.audit.events import AuditAction
from kaowu.audit.services import audit_record
from kaowu.organization.models import Region
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory


def stat(page: str, title: str) -> str:
    import re

    match = re.search(rf'<div class="tile__title">{title}</div>\s*<div class="stat[^"]*">(\d+)</div>', page)
    assert match, title
    return match.group(1)


def test_the_workbench_counts_candidates_new_registrations_and_merges(client, reviewer, gansu):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30)):
        old = CandidateFactory()
    ExamNumberFactory.create_batch(2, candidate=old)
    CandidateFactory.create_batch(2)
    CandidateFactory(district=Region.objects.get(code="620103"))  # another district: not counted
    client.force_login(reviewer.user)
    page = client.get("/backoffice/").content.decode()
    assert stat(page, "辖区考生") == "3"
    assert stat(page, "近7日新注册") == "2"
    assert stat(page, "待合档") == "1"


def test_the_workbench_shows_the_office_and_the_staff_member_recent_actions(client, reviewer, district_admin):
    audit_record(actor=reviewer.user, action=AuditAction.CANDIDATE_LIST)
    audit_record(actor=district_admin.user, action=AuditAction.CANDIDATE_VIEW)  # someone else's
    client.force_login(reviewer.user)
    page = client.get("/backoffice/").content.decode()
    assert "兰州市城关区中山路1号" in page and "0931-8888823" in page
    assert "查询考生列表" in page and "查看考生信息" not in page
