"""个人中心 快捷入口: each business with its window (开始 / 结束) and state; a link only when the page
exists and the window is open."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from kaowu.catalog.models import BusinessWindow
from kaowu.catalog.tests.factories import BusinessWindowFactory, ExamAreaFactory, ExamSittingFactory
from kaowu.catalog.windows import WindowState
from kaowu.portal.selectors import quick_entries
from kaowu.testing.factories import CandidateFactory, ExamNumberFactory

BJ = ZoneInfo("Asia/Shanghai")
Kind = BusinessWindow.Kind


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BJ)


@pytest.fixture
def sitting(gansu):
    return ExamSittingFactory(code="2027-04", name="2027年4月", is_current=True)


@pytest.fixture
def candidate(gansu):
    return CandidateFactory()


@pytest.fixture
def windows(sitting):
    """建档 is not tied to a sitting; 报考 and 准考证打印 belong to the current sitting."""
    return {
        Kind.FILING: BusinessWindowFactory(kind=Kind.FILING, sitting=None, starts_at=at(2027, 1, 1, 9, 0),
                                           ends_at=at(2027, 6, 30, 17, 0)),
        Kind.COURSE_REGISTRATION: BusinessWindowFactory(kind=Kind.COURSE_REGISTRATION, sitting=sitting,
                                                        starts_at=at(2027, 3, 1, 9, 0), ends_at=at(2027, 3, 10, 17, 0)),
        Kind.TICKET_PRINT: BusinessWindowFactory(kind=Kind.TICKET_PRINT, sitting=sitting,
                                                 starts_at=at(2027, 4, 3, 9, 0), ends_at=at(2027, 4, 11, 12, 0)),
        Kind.GRADUATION: BusinessWindowFactory(kind=Kind.GRADUATION, sitting=None, starts_at=at(2027, 3, 1, 9, 0),
                                               ends_at=at(2027, 3, 10, 17, 0)),
    }


def tile(page: str, label: str) -> str:
    for block in re.findall(r'<li class="quick-entry">(.*?)</li>', page, flags=re.S):
        if f'<span class="tile__title">{label}</span>' in block:
            return block
    raise AssertionError(f"no tile {label}")


def home(client, candidate) -> str:
    client.force_login(candidate.user)
    return client.get(reverse("portal:candidate_home")).content.decode()


def test_an_open_window_with_a_page_is_a_link(client, candidate, windows):
    with time_machine.travel(at(2027, 3, 5, 10, 0), tick=False):
        page = home(client, candidate)

    filing = tile(page, "基本信息填报")
    assert f'<a class="tile" href="{reverse("filing:overview")}">' in filing
    assert "badge--success" in filing and "进行中" in filing
    assert "2027年01月01日 09:00" in filing and "2027年06月30日 17:00" in filing
    registration = tile(page, "报考")
    assert f'<a class="tile" href="{reverse("registration:overview")}">' in registration
    assert "2027年03月01日 09:00" in registration and "2027年03月10日 17:00" in registration
    # 毕业申请 (a window without a sitting) is open too, and leads to its page.
    graduation = tile(page, "毕业申请")
    assert f'<a class="tile" href="{reverse("graduation:application")}">' in graduation
    assert "进行中" in graduation and "is-disabled" not in graduation
    assert "快捷入口" in page and "查询中心" in page


def test_outside_the_window_the_tile_is_disabled_with_its_times(client, candidate, windows):
    with time_machine.travel(at(2027, 7, 1, 8, 0), tick=False):
        page = home(client, candidate)

    filing = tile(page, "基本信息填报")
    assert "<a " not in filing and 'class="tile is-disabled"' in filing
    assert "已结束" in filing and "badge--neutral" in filing and "2027年06月30日 17:00" in filing

    with time_machine.travel(at(2027, 3, 20, 8, 0), tick=False):
        page = home(client, candidate)

    ticket = tile(page, "准考证打印")
    assert 'class="tile is-disabled"' in ticket and "未开始" in ticket
    assert "2027年04月03日 09:00" in ticket and "2027年04月11日 12:00" in ticket
    # 报考 closed at 17:00 on 10 March (exclusive).
    assert "已结束" in tile(page, "报考")


def test_a_business_without_a_window_is_not_scheduled(client, candidate, windows):
    with time_machine.travel(at(2027, 3, 5, 10, 0), tick=False):
        page = home(client, candidate)

    exemption = tile(page, "免考申请")
    assert "未安排" in exemption and "办理时间尚未公布" in exemption
    assert 'class="tile is-disabled"' in exemption and "<a " not in exemption
    # A province that sets no split transfer windows shows the one 转考申请 tile.
    assert "转考申请" in page and "省际转出" not in page


def test_the_exam_area_window_replaces_the_province_wide_one(candidate, windows, sitting):
    area = ExamAreaFactory()
    ExamNumberFactory(candidate=candidate, exam_area=area)
    BusinessWindowFactory(kind=Kind.COURSE_REGISTRATION, sitting=sitting, exam_area=area,
                          starts_at=at(2027, 3, 1, 9, 0), ends_at=at(2027, 3, 15, 17, 0))

    entries = {e.kind: e for e in quick_entries(candidate=candidate, now=at(2027, 3, 12, 10, 0))}

    assert entries[Kind.COURSE_REGISTRATION].state == WindowState.OPEN
    assert entries[Kind.COURSE_REGISTRATION].url == reverse("registration:overview")
    assert entries[Kind.FILING].url == reverse("filing:overview")
    assert entries[Kind.EXEMPTION].state == WindowState.NOT_SCHEDULED and entries[Kind.EXEMPTION].url is None


def test_the_query_centre_links_to_the_public_queries_and_orders(client, candidate, windows):
    page = home(client, candidate)
    centre = page.split("查询中心", 1)[1]
    for name in ["catalog:major_search", "catalog:timetable", "catalog:textbook_search", "catalog:guide_list",
                 "catalog:announcement_list", "payments:order_list"]:
        assert f'href="{reverse(name)}"' in centre
