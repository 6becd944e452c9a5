"""毕业统计: 毕业申请 by major and status (草稿 excluded, 审核中 per step, the type's own statuses) and the
graduates, on a page with a chart and in Excel — for the province authority only."""

import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kaowu.audit.models import AuditEvent
from kaowu.catalog.tests.factories import MajorFactory
from kaowu.core.state import StateMachine
from kaowu.graduation import statistics
from kaowu.graduation.models import Graduate
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory
from kaowu.workflow.models import Application, ApplicationVersion
from kaowu.workflow.statuses import Status
from kaowu.workflow.types import ApplicationType, ReviewStep, province_authority, university_of_major

pytestmark = pytest.mark.django_db

CONFIRMING = "confirming"  # (a status of its own; the real one is the type's)


class GraduationStandIn(ApplicationType):
    """毕业申请 as the statistics read it: two review steps and a status of its own."""
    code = "graduation"
    label = "毕业申请"
    review_chain = (ReviewStep("主考学校审核", Office.Kind.UNIVERSITY, university_of_major("major")),
                    ReviewStep("省级考试机构审核", Office.Kind.PROVINCE_AUTHORITY, province_authority))
    flow = StateMachine({
        Status.DRAFT: {Status.REVIEWING, Status.WITHDRAWN},
        Status.REVIEWING: {Status.REVIEWING, CONFIRMING, Status.REJECTED, Status.RETURNED},
        Status.RETURNED: {Status.REVIEWING},
        CONFIRMING: {Status.APPROVED},
    })
    status_labels = {CONFIRMING: "待考生网上确认", Status.APPROVED: "已毕业"}


@pytest.fixture(autouse=True)
def stand_in(monkeypatch):
    monkeypatch.setattr(statistics, "_graduation_type", GraduationStandIn)


@pytest.fixture
def province(gansu):
    office = OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY, region=Region.objects.get(code="620000"), code="P62")
    return StaffMemberFactory(office=office)


_numbers = iter(range(10**6))


def application(major_code, status, step=None, *, created=None):
    candidate = CandidateFactory()
    office = Office.objects.get(code="P62") if status == Status.REVIEWING else None
    made = Application.objects.create(type_code="graduation", number=f"SQ20270312{next(_numbers):08d}",
                                      applicant=candidate.user, candidate=candidate, status=status, current_step=step,
                                      reviewing_office=office)
    made.current_version = ApplicationVersion.objects.create(application=made, number=1, created_by=candidate.user,
                                                             data={"major": major_code})
    made.save(update_fields=["current_version"])
    if created is not None:
        Application.objects.filter(pk=made.pk).update(created_at=created)
    return made


def graduate(major, number, on=datetime.date(2026, 12, 30)):
    return Graduate.objects.create(candidate=CandidateFactory(), major=major, certificate_number=number,
                                   graduated_on=on)


@pytest.fixture
def figures(province):
    admin = MajorFactory(code="120402", name="行政管理")
    chinese = MajorFactory(code="050105", name="汉语言文学")
    application("120402", Status.DRAFT)                      # counts nowhere
    application("120402", Status.REVIEWING, 0)
    application("120402", Status.REVIEWING, 0)
    application("120402", Status.REVIEWING, 1)
    application("120402", Status.RETURNED)
    application("120402", CONFIRMING, 1)
    application("120402", Status.APPROVED, 1)
    application("050105", Status.REJECTED, 0)
    graduate(admin, "G1")
    graduate(admin, "G2")
    graduate(chinese, "G3", on=datetime.date(2025, 6, 30))
    return admin, chinese


def test_applications_are_counted_by_major_and_status_and_graduates_by_major(figures):
    table = statistics.statistics_table()
    assert [header for _key, header in table.status] == [
        "审核中（主考学校审核）", "审核中（省级考试机构审核）", "退回修改", "待考生网上确认", "审核未通过", "已撤回"]
    rows = {row["code"]: row for row in table.rows}
    assert list(rows) == ["050105", "120402"]
    admin = rows["120402"]
    assert (admin["reviewing_0"], admin["reviewing_1"], admin[Status.RETURNED], admin[CONFIRMING],
            admin[Status.REJECTED]) == (2, 1, 1, 1, 0)
    assert admin["applications"] == 6 and admin["graduates"] == 2 and admin["name"] == "行政管理"
    assert rows["050105"][Status.REJECTED] == 1 and rows["050105"]["graduates"] == 1
    assert table.totals["applications"] == 7 and table.totals["graduates"] == 3


def test_a_year_narrows_applications_by_creation_and_graduates_by_graduation(figures):
    application("120402", Status.REVIEWING, 0, created=timezone.now().replace(year=2025))
    assert statistics.statistics_years()[-1] == 2025
    table = statistics.statistics_table(year=2025)
    rows = {row["code"]: row for row in table.rows}
    assert rows["120402"]["applications"] == 1 and rows["120402"]["graduates"] == 0
    assert rows["050105"]["graduates"] == 1 and rows["050105"]["applications"] == 0


def test_the_province_reads_the_page_with_its_chart(client, figures, province):
    client.force_login(province.user)
    response = client.get(reverse("backoffice:graduation_staff:statistics"))
    assert response.status_code == 200
    page = response.content.decode()
    row = re.search(r'<tr data-major="120402">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["2", "1", "1", "1", "0", "0", "6", "2"]
    chart = json.loads(re.search(r'<script id="stats-chart-data" type="application/json">(.*?)</script>',
                                 page, re.S).group(1))
    assert chart["codes"] == ["120402", "050105"] and chart["applications"] == [6, 1] and chart["graduates"] == [2, 1]
    assert 'id="stats-chart"' in page and "vendor/echarts/echarts.min.js" in page and "<script>" not in page
    # linked from 毕业资格初审 and the side nav
    index = client.get(reverse("backoffice:graduation_staff:index")).content.decode()
    assert index.count(reverse("backoffice:graduation_staff:statistics")) == 2


@pytest.mark.parametrize("kind", [Office.Kind.CITY_OFFICE, Office.Kind.EXAM_AREA, Office.Kind.UNIVERSITY])
def test_other_offices_do_not_reach_it(client, figures, kind):
    staff = StaffMemberFactory(office=OfficeFactory(kind=kind, region=Region.objects.get(code="620100")))
    client.force_login(staff.user)
    for name in ("statistics", "statistics_export"):
        assert client.get(reverse(f"backoffice:graduation_staff:{name}")).status_code == 404
    assert "毕业统计" not in client.get(reverse("backoffice:home")).content.decode()


def test_a_candidate_or_a_visitor_is_sent_to_the_staff_login(client, figures):
    response = client.get(reverse("backoffice:graduation_staff:statistics"))
    assert response.status_code == 302 and reverse("backoffice:login") in response["Location"]


def test_the_export_is_the_table_in_excel(client, figures, province):
    client.force_login(province.user)
    response = client.get(reverse("backoffice:graduation_staff:statistics_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    header = rows.index(next(r for r in rows if r[0] == "专业代码"))
    assert rows[header] == ["专业代码", "专业名称", "层次", "审核中（主考学校审核）", "审核中（省级考试机构审核）",
                            "退回修改", "待考生网上确认", "审核未通过", "已撤回", "申请合计", "已毕业"]
    assert rows[header + 2] == ["120402", "行政管理", "本科", 2, 1, 1, 1, 0, 0, 6, 2]
    assert rows[-1][0] == "合计" and rows[-1][-2:] == [7, 3]
    event = AuditEvent.objects.get(action="graduation.statistics_exported")
    assert event.actor == province.user and event.detail["rows"] == 2
