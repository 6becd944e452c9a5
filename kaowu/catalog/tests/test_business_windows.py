"""The business-window rule: which window applies (area override first, the sitting's window before a
sitting-less one, 转考申请 standing in for the split transfer kinds), its state, and the refusal message
a candidate reads."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kaowu.catalog.models import BusinessWindow
from kaowu.catalog.windows import (
    WindowClosed,
    WindowState,
    business_window,
    business_windows,
    window_state,
)

from .factories import BusinessWindowFactory, ExamAreaFactory, ExamSittingFactory

BJ = ZoneInfo("Asia/Shanghai")
REGISTRATION = BusinessWindow.Kind.COURSE_REGISTRATION


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BJ)


@pytest.fixture
def sitting(gansu):
    return ExamSittingFactory(code="2027-04", name="2027年4月", is_current=True)


@pytest.fixture
def province_wide(sitting):
    return BusinessWindowFactory(kind=REGISTRATION, sitting=sitting, starts_at=at(2027, 3, 1, 9, 0),
                                 ends_at=at(2027, 3, 10, 17, 0))


@pytest.fixture
def lanzhou(gansu):
    return ExamAreaFactory(name="兰州市考区")


@pytest.fixture
def gannan(gansu):
    return ExamAreaFactory(name="甘南藏族自治州考区")


def test_an_area_without_its_own_window_uses_the_province_wide_one(province_wide, sitting, lanzhou):
    assert business_window(kind=REGISTRATION, sitting=sitting, exam_area=lanzhou).window == province_wide
    assert business_window(kind=REGISTRATION, sitting=sitting).window == province_wide


def test_an_area_window_overrides_the_province_wide_one_for_that_area_only(province_wide, sitting, lanzhou, gannan):
    late = BusinessWindowFactory(kind=REGISTRATION, sitting=sitting, exam_area=gannan,
                                 starts_at=at(2027, 3, 1, 9, 0), ends_at=at(2027, 3, 15, 17, 0))

    assert business_window(kind=REGISTRATION, sitting=sitting, exam_area=gannan).window == late
    assert business_window(kind=REGISTRATION, sitting=sitting, exam_area=lanzhou).window == province_wide
    assert business_window(kind=REGISTRATION, sitting=sitting).window == province_wide


def test_a_window_of_another_kind_or_sitting_does_not_apply(province_wide, sitting):
    other = ExamSittingFactory(code="2027-10", name="2027年10月")

    assert business_window(kind=BusinessWindow.Kind.REFUND, sitting=sitting).window is None
    assert business_window(kind=REGISTRATION, sitting=other).window is None
    assert business_window(kind=REGISTRATION).window is None


def test_windows_not_tied_to_a_sitting(gansu, lanzhou):
    filing = BusinessWindowFactory(kind=BusinessWindow.Kind.FILING, sitting=None)

    assert business_window(kind=BusinessWindow.Kind.FILING).window == filing
    assert business_window(kind=BusinessWindow.Kind.FILING, exam_area=lanzhou).window == filing


@pytest.mark.parametrize(("now", "state", "label"), [
    (at(2027, 3, 1, 8, 59), WindowState.NOT_STARTED, "未开始"),
    (at(2027, 3, 1, 9, 0), WindowState.OPEN, "进行中"),
    (at(2027, 3, 10, 16, 59), WindowState.OPEN, "进行中"),
    (at(2027, 3, 10, 17, 0), WindowState.CLOSED, "已结束"),
])
def test_window_state_from_start_inclusive_to_end_exclusive(province_wide, now, state, label):
    assert window_state(province_wide, now) == state
    assert state.label == label


def test_no_window_means_not_scheduled():
    assert window_state(None) == WindowState.NOT_SCHEDULED


def test_open_window_lets_the_business_through(province_wide, sitting, lanzhou):
    with time_machine.travel(at(2027, 3, 5, 10, 0), tick=False):
        assert business_window(kind=REGISTRATION, sitting=sitting, exam_area=lanzhou).require_open() == province_wide


@pytest.mark.parametrize("now", [at(2027, 2, 28, 12, 0), at(2027, 3, 10, 17, 0), at(2027, 4, 1, 8, 0)])
def test_closed_window_refuses_with_its_times_in_beijing_time(province_wide, sitting, now):
    with time_machine.travel(now, tick=False), pytest.raises(WindowClosed) as refused:
        business_window(kind=REGISTRATION, sitting=sitting).require_open()

    assert refused.value.message == "报考时间为2027年03月01日 09:00 至 2027年03月10日 17:00，当前不在办理时间内"
    assert refused.value.window == province_wide


def test_area_override_decides_the_refusal(province_wide, sitting, lanzhou, gannan):
    BusinessWindowFactory(kind=REGISTRATION, sitting=sitting, exam_area=gannan,
                          starts_at=at(2027, 3, 1, 9, 0), ends_at=at(2027, 3, 15, 17, 0))

    with time_machine.travel(at(2027, 3, 12, 10, 0), tick=False):
        business_window(kind=REGISTRATION, sitting=sitting, exam_area=gannan).require_open()
        with pytest.raises(WindowClosed) as refused:
            business_window(kind=REGISTRATION, sitting=sitting, exam_area=lanzhou).require_open()
    assert "2027年03月10日 17:00" in refused.value.message


def test_a_business_without_a_window_is_refused_with_a_clear_message(sitting):
    with pytest.raises(WindowClosed) as refused:
        business_window(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=sitting).require_open()

    assert refused.value.message == "成绩复核时间尚未公布，当前不能办理。"
    assert refused.value.state == WindowState.NOT_SCHEDULED


def test_the_batched_lookup_agrees_with_business_window_in_one_query(province_wide, sitting, lanzhou, gannan,
                                                                     django_assert_num_queries):
    own = BusinessWindowFactory(kind=province_wide.kind, sitting=sitting, exam_area=gannan)
    BusinessWindowFactory(kind=BusinessWindow.Kind.TRANSFER, sitting=sitting)
    kinds = [REGISTRATION, BusinessWindow.Kind.FILING, BusinessWindow.Kind.TRANSFER_OUT]
    for area in (lanzhou, gannan, None):
        with django_assert_num_queries(1):
            found = business_windows(kinds=kinds, sitting=sitting, exam_area=area)
        for kind in kinds:
            assert found[kind] == business_window(kind=kind, sitting=sitting, exam_area=area)
    assert business_windows(kinds=kinds, sitting=sitting, exam_area=lanzhou)[REGISTRATION].window == province_wide
    assert business_windows(kinds=kinds, sitting=sitting, exam_area=gannan)[REGISTRATION].window == own


# --- the rule's cases -----------------------------------------------------------------------------

def test_a_sitting_business_falls_back_to_the_provinces_sittingless_window(sitting, lanzhou):
    half_year = BusinessWindowFactory(kind=BusinessWindow.Kind.GRADUATION, sitting=None)
    assert business_window(kind=BusinessWindow.Kind.GRADUATION, sitting=sitting, exam_area=lanzhou).window == half_year

    own = BusinessWindowFactory(kind=BusinessWindow.Kind.GRADUATION, sitting=sitting)
    assert business_window(kind=BusinessWindow.Kind.GRADUATION, sitting=sitting, exam_area=lanzhou).window == own


def test_the_sittings_province_window_wins_over_an_areas_sittingless_one(sitting, lanzhou):
    sittingless_own = BusinessWindowFactory(kind=BusinessWindow.Kind.EXEMPTION, sitting=None, exam_area=lanzhou)
    assert business_window(kind=BusinessWindow.Kind.EXEMPTION, sitting=sitting,
                           exam_area=lanzhou).window == sittingless_own
    of_sitting = BusinessWindowFactory(kind=BusinessWindow.Kind.EXEMPTION, sitting=sitting)
    assert business_window(kind=BusinessWindow.Kind.EXEMPTION, sitting=sitting, exam_area=lanzhou).window == of_sitting


def test_a_business_of_no_sitting_ignores_windows_of_a_sitting(sitting):
    BusinessWindowFactory(kind=BusinessWindow.Kind.FILING, sitting=sitting)
    assert business_window(kind=BusinessWindow.Kind.FILING, sitting=sitting).state == WindowState.NOT_SCHEDULED
    filing = BusinessWindowFactory(kind=BusinessWindow.Kind.FILING, sitting=None)
    assert business_window(kind=BusinessWindow.Kind.FILING, sitting=sitting).window == filing


SPLIT = [BusinessWindow.Kind.TRANSFER_WITHIN_PROVINCE, BusinessWindow.Kind.TRANSFER_OUT,
         BusinessWindow.Kind.TRANSFER_IN]


@pytest.mark.parametrize("kind", SPLIT)
def test_the_general_transfer_window_stands_in_when_no_split_window_is_set(sitting, lanzhou, kind):
    assert business_window(kind=kind, sitting=sitting, exam_area=lanzhou).kind == kind  # nothing set
    general = BusinessWindowFactory(kind=BusinessWindow.Kind.TRANSFER, sitting=sitting)

    found = business_window(kind=kind, sitting=sitting, exam_area=lanzhou)
    assert (found.kind, found.window) == (BusinessWindow.Kind.TRANSFER, general)
    assert found.label == "转考申请"


@pytest.mark.parametrize("kind", SPLIT)
def test_a_province_that_splits_transfers_offers_only_the_kinds_it_scheduled(sitting, kind):
    BusinessWindowFactory(kind=BusinessWindow.Kind.TRANSFER, sitting=sitting)
    other = next(k for k in SPLIT if k != kind)
    BusinessWindowFactory(kind=other, sitting=sitting)

    found = business_window(kind=kind, sitting=sitting)
    assert (found.kind, found.window, found.state) == (kind, None, WindowState.NOT_SCHEDULED)
    own = BusinessWindowFactory(kind=kind, sitting=None)
    assert business_window(kind=kind, sitting=sitting).window == own


def test_the_state_and_the_refusal_follow_the_window_that_applies(sitting, lanzhou):
    BusinessWindowFactory(kind=BusinessWindow.Kind.TRANSFER, sitting=sitting, starts_at=at(2027, 3, 1, 9, 0),
                          ends_at=at(2027, 3, 10, 17, 0))
    with time_machine.travel(at(2027, 3, 5, 10, 0), tick=False):
        assert business_window(kind=BusinessWindow.Kind.TRANSFER_OUT, sitting=sitting).is_open
    found = business_window(kind=BusinessWindow.Kind.TRANSFER_OUT, sitting=sitting, now=at(2027, 3, 11, 9, 0))
    assert found.state == WindowState.CLOSED
    with pytest.raises(WindowClosed) as refused:
        found.require_open()
    assert refused.value.message.startswith("转考申请时间为2027年03月01日 09:00")


def test_a_closed_window_raises_the_callers_domain_error(sitting):
    from kaowu.core.errors import UserFacingError

    with pytest.raises(UserFacingError) as refused:
        business_window(kind=BusinessWindow.Kind.REFUND, sitting=sitting).require_open(UserFacingError)
    assert refused.value.message == "报考退款申请时间尚未公布，当前不能办理。"
