"""报考统计 as staff read it: the figures of each view, who sees which rows, the Excel file and its
audit row.

The registrations (2027年4月; fees 30 元, 00015 35 元):

| 考生 | 考区 | 专业 | courses | registration |
|---|---|---|---|---|
| A | 兰州 | 会计 | 00041 paid, 00043 paid, 00227 refunded (taken out after paying; 跨专业) | 报考成功 |
| B | 兰州 | 会计 | 00041 unpaid, 03708 unpaid | 待缴费 |
| C | 天水 | 会计 | 00043 paid, 00015 退款中 (跨专业) | 报考成功 |
| D | 天水 | 法学 | 00227 taken out before paying | 已取消报考 |
| E | 兰州 | 法学 | 00227 refunded | 已取消报考 |
"""

import datetime
import io
import json
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kaowu.audit.models import AuditEvent
from kaowu.audit.selectors import audit_action_label
from kaowu.catalog.models import BusinessWindow
from kaowu.identity.models import Verification
from kaowu.organization.models import Office, Region
from kaowu.payments.services import refund_approve
from kaowu.registration import views_staff
from kaowu.registration.models import Registration
from kaowu.registration.services import registration_cancel, registration_refund_request, registration_submit
from kaowu.registration.statistics import (
    AREA,
    COURSE,
    MAJOR,
    StatisticsNotAllowed,
    statistics_scope,
    statistics_table,
)
from kaowu.testing.factories import ExamNumberFactory, OfficeFactory, StaffMemberFactory

from .conftest import pending_order

URL = "/backoffice/registration/statistics/"
EXPORT_URL = URL + "export/"
FIGURES = ("registrations", "registered", "paid", "unpaid", "refunded", "paid_amount")


def submit(number, world, *codes, area, major):
    return registration_submit(exam_number=number, sitting=world.sitting, exam_area=area, major=major,
                               sitting_course_ids=world.ids(*codes), guide_agreed=True, actor=number.candidate.user)


def candidate(area, major_name):
    number = ExamNumberFactory(exam_area=area, major_name=major_name)
    Verification.objects.create(user=number.candidate.user, kind="two_photos", status="passed")
    return number


@pytest.fixture
def registrations(world, exam_number, pay, committed):
    BusinessWindow.objects.create(kind=BusinessWindow.Kind.REFUND, sitting=world.sitting,
                                  starts_at=timezone.now() - datetime.timedelta(hours=1),
                                  ends_at=timezone.now() + datetime.timedelta(days=3))
    reviewer = StaffMemberFactory(office=world.lanzhou).user
    a = submit(exam_number, world, "00041", "00043", "00227", area=world.lanzhou, major=world.accounting)
    pay(pending_order(a))
    with committed():
        a = submit(exam_number, world, "00041", "00043", area=world.lanzhou, major=world.accounting)

    b = submit(candidate(world.lanzhou, "会计"), world, "00041", "03708", area=world.lanzhou, major=world.accounting)

    c_number = candidate(world.tianshui, "会计")
    c = submit(c_number, world, "00043", "00015", area=world.tianshui, major=world.accounting)
    pay(pending_order(c))
    registration_refund_request(registration=c, registered_course_ids=[c.courses.get(course__code="00015").pk],
                                reason="工作调动", actor=c_number.candidate.user)

    d_number = candidate(world.tianshui, "法学")
    d = submit(d_number, world, "00227", area=world.tianshui, major=world.law)
    registration_cancel(registration=d, actor=d_number.candidate.user)

    e_number = candidate(world.lanzhou, "法学")
    e = submit(e_number, world, "00227", area=world.lanzhou, major=world.law)
    pay(pending_order(e))
    (refund,) = registration_refund_request(registration=e, registered_course_ids=[e.courses.get().pk],
                                            reason="个人原因", actor=e_number.candidate.user)
    with committed():
        refund_approve(refund=refund, actor=reviewer)

    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in (a, b, c, d, e)] == ["succeeded", "pending_payment", "succeeded", "cancelled",
                                                           "cancelled"]
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def figures(row) -> tuple:
    return tuple(row[key] for key in FIGURES)


def by_code(rows) -> dict:
    return {row["code"]: figures(row) for row in rows}


def office(kind, region_code, **kwargs):
    return OfficeFactory(kind=kind, region=Region.objects.get(code=region_code), **kwargs)


@pytest.fixture
def province_staff(gansu):
    return StaffMemberFactory(office=office(Office.Kind.PROVINCE_AUTHORITY, "620000", name="甘肃省教育考试院"))


@pytest.fixture
def read(world):
    def read_rows(staff, dimension, **filters):
        table = statistics_table(scope=statistics_scope(staff=staff), sitting=world.sitting, dimension=dimension,
                                 **filters)
        return table.rows, table.totals
    return read_rows


# --- The figures ----------------------------------------------------------------------------------


def test_by_exam_area_counts_people_courses_payments_and_refunds(registrations, province_staff, read):
    rows, totals = read(province_staff, AREA)
    assert [(row["code"], row["name"]) for row in rows] == [("EA6201", "兰州市考区"), ("EA6205", "天水市考区")]
    assert by_code(rows) == {
        # 人数 科次 已缴费 待缴费 已退款 金额: A and B (E cancelled); E's and A's refunded 00227
        "EA6201": (2, 4, 2, 2, 2, Decimal("60.00")),
        # C: the course 退款中 is still paid (35 元 held); D cancelled counts nowhere
        "EA6205": (1, 2, 2, 0, 0, Decimal("65.00")),
    }
    assert figures(totals) == (3, 6, 4, 2, 2, Decimal("125.00"))


def test_by_major_a_major_with_only_refunds_shows_them(registrations, province_staff, read, world):
    rows, totals = read(province_staff, MAJOR)
    assert by_code(rows) == {
        "120203K": (3, 6, 4, 2, 1, Decimal("125.00")),
        "030101K": (0, 0, 0, 0, 1, Decimal("0")),
    }
    assert rows[0]["university"] == world.law.university.name  # 030101K sorts first
    assert figures(totals) == (3, 6, 4, 2, 2, Decimal("125.00"))


def test_by_course_counts_cross_major_courses(registrations, province_staff, read):
    rows, totals = read(province_staff, COURSE)
    assert by_code(rows) == {
        "00015": (1, 1, 1, 0, 0, Decimal("35.00")),
        "00041": (2, 2, 1, 1, 0, Decimal("30.00")),
        "00043": (2, 2, 2, 0, 0, Decimal("60.00")),
        "00227": (0, 0, 0, 0, 2, Decimal("0")),
        "03708": (1, 1, 0, 1, 0, Decimal("0")),
    }
    # 00015 is outside 会计's plan; A's 00227 (also outside) was refunded and no longer counts
    assert {row["code"]: row["cross"] for row in rows} == {"00015": 1, "00041": 0, "00043": 0, "00227": 0, "03708": 0}
    assert figures(totals) == (3, 6, 4, 2, 2, Decimal("125.00")) and totals["cross"] == 1


def test_search_and_exam_area_narrow_the_rows_and_the_totals(registrations, province_staff, read, world):
    rows, totals = read(province_staff, COURSE, search="会计")
    assert [row["code"] for row in rows] == ["00041"] and figures(totals) == (2, 2, 1, 1, 0, Decimal("30.00"))
    rows, totals = read(province_staff, COURSE, search="0004")
    assert [row["code"] for row in rows] == ["00041", "00043"]
    rows, totals = read(province_staff, MAJOR, exam_area=world.tianshui)
    assert by_code(rows) == {"120203K": (1, 2, 2, 0, 0, Decimal("65.00"))}
    assert figures(totals) == (1, 2, 2, 0, 0, Decimal("65.00"))


def test_each_view_is_three_queries_whatever_the_volume(registrations, province_staff, world,
                                                        django_assert_num_queries):
    scope = statistics_scope(staff=province_staff)
    for dimension, search in [(AREA, ""), (MAJOR, ""), (COURSE, ""), (MAJOR, "会计"), (COURSE, "会计")]:
        with django_assert_num_queries(3):
            statistics_table(scope=scope, sitting=world.sitting, dimension=dimension, search=search)


def test_another_sitting_has_its_own_figures(registrations, province_staff):
    from kaowu.catalog.models import ExamSitting

    other = ExamSitting.objects.create(code="2026-10", name="2026年10月")
    table = statistics_table(scope=statistics_scope(staff=province_staff), sitting=other, dimension=AREA)
    assert table.rows == [] and figures(table.totals) == (0, 0, 0, 0, 0, 0)


# --- Who sees what --------------------------------------------------------------------------------


def test_city_and_district_offices_see_the_exam_areas_of_their_city(registrations, read, gansu):
    lanzhou_city = StaffMemberFactory(office=office(Office.Kind.CITY_OFFICE, "620100", name="兰州市考办"))
    chengguan = StaffMemberFactory(office=office(Office.Kind.DISTRICT_OFFICE, "620102", name="城关区招生办"))
    tianshui_city = StaffMemberFactory(office=office(Office.Kind.CITY_OFFICE, "620500", name="天水市考办"))
    for staff in (lanzhou_city, chengguan):
        rows, totals = read(staff, AREA)
        assert [row["code"] for row in rows] == ["EA6201"]
        assert figures(totals) == (2, 4, 2, 2, 2, Decimal("60.00"))
    rows, _totals = read(tianshui_city, COURSE)
    assert sorted(row["code"] for row in rows) == ["00015", "00043"]  # D's cancelled 00227 counts nowhere
    assert statistics_scope(staff=chengguan).label == "兰州市所辖考区"


def test_an_exam_area_sees_only_itself(registrations, read, world):
    rows, totals = read(StaffMemberFactory(office=world.tianshui), MAJOR)
    assert by_code(rows) == {"120203K": (1, 2, 2, 0, 0, Decimal("65.00"))}
    assert figures(totals) == (1, 2, 2, 0, 0, Decimal("65.00"))


def test_a_university_sees_its_majors_in_every_exam_area(registrations, read, world):
    rows, totals = read(StaffMemberFactory(office=world.accounting.university), AREA)
    assert by_code(rows) == {"EA6201": (2, 4, 2, 2, 1, Decimal("60.00")), "EA6205": (1, 2, 2, 0, 0, Decimal("65.00"))}
    rows, _totals = read(StaffMemberFactory(office=world.accounting.university), MAJOR)
    assert [row["code"] for row in rows] == ["120203K"]
    rows, totals = read(StaffMemberFactory(office=world.law.university), COURSE)
    assert by_code(rows) == {"00227": (0, 0, 0, 0, 1, Decimal("0"))}  # E's; A's 00227 was under 会计


def test_a_registration_point_has_no_statistics(registrations):
    point = StaffMemberFactory(office=office(Office.Kind.REGISTRATION_POINT, "620102", name="城关区报名点"))
    with pytest.raises(StatisticsNotAllowed):
        statistics_scope(staff=point)


# --- The page -------------------------------------------------------------------------------------


def test_the_page_shows_the_table_totals_and_chart_data(registrations, province_staff, client):
    client.force_login(province_staff.user)
    response = client.get(URL, {"dimension": "course"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "报考统计" in page and "统计范围：全省" in page and "vendor/echarts/echarts.min.js" in page
    assert "00043" in page and "经济法概论（财经类）" in page and "跨专业科次" in page
    total = re.search(r'<tr class="stats-total">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', total) == ["3", "6", "4", "2", "2", "125.00", "1"]
    chart = json.loads(re.search(r'<script id="stats-chart-data" type="application/json">(.*?)</script>', page,
                                 re.S).group(1))
    # the chart: the most 报考科次 first
    assert chart["codes"][:2] == ["00041", "00043"] and chart["registered"][:2] == [2, 2]
    assert [s["name"] for s in chart["series"]] == ["报考科次", "已缴费科次"]
    assert chart["title"] == "各课程报考科次"  # five courses: all of them are in the chart


def test_the_nav_links_to_the_statistics(province_staff, client):
    client.force_login(province_staff.user)
    page = client.get("/backoffice/").content.decode()
    assert f'href="{URL}"' in page and "报考统计" in page


def test_pages_of_twenty_rows_keep_the_totals_of_all_rows(registrations, province_staff, client, monkeypatch):
    monkeypatch.setattr(views_staff, "PAGE_SIZE", 2)
    client.force_login(province_staff.user)
    response = client.get(URL, {"dimension": "course", "page": 3})
    page = response.content.decode()
    assert response.context["page_obj"].number == 3 and len(response.context["rows"]) == 1
    assert "03708" in page and "00041" not in page.split("stats-table")[-1].split("</tbody>")[0]
    assert response.context["totals"]["registered"] == 6
    assert "dimension=course" in page and "page=2" in page


def test_an_exam_area_cannot_pick_another_citys_area(registrations, client, world):
    staff = StaffMemberFactory(office=world.lanzhou)
    client.force_login(staff.user)
    response = client.get(URL, {"area": "EA6205", "dimension": "area"})
    assert response.status_code == 200
    assert [area.code for area in response.context["filters"].exam_areas] == ["EA6201"]
    page = response.content.decode()
    assert "天水市考区" not in page and "兰州市考区" in page


def test_a_registration_point_gets_a_clear_refusal(registrations, client):
    point = StaffMemberFactory(office=office(Office.Kind.REGISTRATION_POINT, "620102", name="城关区报名点"))
    client.force_login(point.user)
    response = client.get(URL)
    assert response.status_code == 403
    assert "无权查看报考统计" in response.content.decode()
    assert client.get(EXPORT_URL).status_code == 403
    assert 'href="/backoffice/registration/statistics/"' not in client.get("/backoffice/").content.decode()
    assert not AuditEvent.objects.filter(action="registration.statistics_exported").exists()


def test_candidates_are_sent_to_the_staff_login(registrations, client, exam_number):
    client.force_login(exam_number.candidate.user)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/backoffice/login/")


def test_without_registrations_the_page_says_so(world, province_staff, client):
    client.force_login(province_staff.user)
    page = client.get(URL, {"dimension": "major"}).content.decode()
    assert "本考期暂无报考记录" in page and 'id="stats-chart"' not in page


# --- The Excel file -------------------------------------------------------------------------------


def test_the_export_is_every_row_with_totals_as_numbers(registrations, client, world, monkeypatch):
    monkeypatch.setattr(views_staff, "PAGE_SIZE", 2)  # the file is not limited to one page
    staff = StaffMemberFactory(office=office(Office.Kind.CITY_OFFICE, "620100", name="兰州市考办"))
    client.force_login(staff.user)
    response = client.get(EXPORT_URL, {"dimension": "course", "sitting": "2027-04"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    assert unquote(disposition.split("''", 1)[1]) == "报考统计_2027年4月_按课程.xlsx"

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "2027年4月报考统计（按课程）"
    assert values[1][0].startswith("统计范围：兰州市所辖考区；导出时间：")
    assert values[2] == ["课程代码", "课程名称", "报考人数", "报考科次", "已缴费科次", "待缴费科次", "已退款科次",
                         "已缴费金额（元）", "跨专业科次"]
    assert values[3:] == [
        ["00041", "基础会计学", 2, 2, 1, 1, 0, 30, 0],
        ["00043", "经济法概论（财经类）", 1, 1, 1, 0, 0, 30, 0],
        ["00227", "公司法", 0, 0, 0, 0, 2, 0, 0],
        ["03708", "中国近现代史纲要", 1, 1, 0, 1, 0, 0, 0],
        ["合计", None, 2, 4, 2, 2, 2, 60, 0],
    ]
    assert sheet["H4"].number_format == "#,##0.00" and sheet["A4"].number_format == "@"

    event = AuditEvent.objects.get(action="registration.statistics_exported")
    assert event.actor == staff.user and event.actor_office == staff.office
    assert event.detail == {"sitting": "2027-04", "dimension": "course", "scope": "兰州市所辖考区", "exam_area": "",
                            "search": "", "rows": 4}
    assert audit_action_label(event.action) == "导出报考统计"


def test_the_export_follows_the_filters(registrations, province_staff, client):
    client.force_login(province_staff.user)
    response = client.get(EXPORT_URL, {"dimension": "major", "area": "EA6205", "q": "会计"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "考区：天水市考区；查询：会计" in values[1][0]
    assert values[2][:3] == ["专业代码", "专业名称", "主考学校"]
    assert values[3][0] == "120203K" and values[3][3:] == [1, 2, 2, 0, 0, 65]
    assert values[4][0] == "合计" and values[4][3:] == [1, 2, 2, 0, 0, 65]
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == "报考统计_2027年4月_按专业.xlsx"
