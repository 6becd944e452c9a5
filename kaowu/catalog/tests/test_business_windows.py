"""The business-window rule: which window applies (area override first), its state, and the refusal
message a candidate reads."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kaowu.catalog.models import BusinessWindow
from kaowu.catalog.windows import (
    WindowClosed,
    WindowState,
    window_for,
    window_require_open,
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
    assert window_for(kind=REGISTRATION, sitting=sitting, exam_area=lanzhou) == province_wide
    assert window_for(kind=REGISTRATION, sitting=sitting) == province_wide


def test_an_area_window_overrides_the_province_wide_one_for_that_area_only(province_wide, sitting, lanzhou, gannan):
    late = BusinessWindowFactory(kind=REGISTRATION, sitting=sitting, exam_area=gannan,
                                 starts_at=at(2027, 3, 1, 9, 0), ends_at=at(2027, 3, 15, 17, 0))

    assert window_for(kind=REGISTRATION, sitting=sitting, exam_area=gannan) == late
    assert window_for(kind=REGISTRATION, sitting=sitting, exam_area=lanzhou) == province_wide
    assert window_for(kind=REGISTRATION, sitting=sitting) == province_wide


def test_a_window_of_another_kind_or_sitting_does_not_apply(province_wide, sitting):
    other = ExamSittingFactory(code="2027-10", name="2027年10月")

    assert window_for(kind=BusinessWindow.Kind.REFUND, sitting=sitting) is None
    assert window_for(kind=REGISTRATION, sitting=other) is None
    assert window_for(kind=REGISTRATION) is None


def test_windows_not_tied_to_a_sitting(gansu, lanzhou):
    filing = BusinessWindowFactory(kind=BusinessWindow.Kind.FILING, sitting=None)

    assert window_for(kind=BusinessWindow.Kind.FILING) == filing
    assert window_for(kind=BusinessWindow.Kind.FILING, exam_area=lanzhou) == filing


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
        assert window_require_open(kind=REGISTRATION, sitting=sitting, exam_area=lanzhou) == province_wide


@pytest.mark.parametrize("now", [at(2027, 2, 28, 12, 0), at(2027, 3, 10, 17, 0), at(2027, 4, 1, 8, 0)])
def test_closed_window_refuses_with_its_times_in_beijing_time(province_wide, sitting, now):
    with time_machine.travel(now, tick=False), pytest.raises(WindowClosed) as refused:
        window_require_open(kind=REGISTRATION, sitting=sitting)

    assert refused.value.message == "报考时间为2027年03月01日 09:00 至 2027年03月10日 17:00，当前不在办理时间内"
    assert refused.value.window == province_wide


def test_area_override_decides_the_refusal(province_wide, sitting, lanzhou, gannan):
    BusinessWindowFactory(kind=REGISTRATION, sitting=sitting, exam_area=gannan,
                          starts_at=at(2027, 3, 1, 9, 0), ends_at=at(2027, 3, 15, 17, 0))

    with time_machine.travel(at(2027, 3, 12, 10, 0), tick=False):
        window_require_open(kind=REGISTRATION, sitting=sitting, exam_area=gannan)
        with pytest.raises(WindowClosed) as refused:
            window_require_open(kind=REGISTRATION, sitting=sitting, exam_area=lanzhou)
    assert "2027年03月10日 17:00" in refused.value.message


def test_a_business_without_a_window_is_refused_with_a_clear_message(sitting):
    with pytest.raises(WindowClosed) as refused:
        window_require_open(kind=BusinessWindow.Kind.SCORE_REVIEW, sitting=sitting)

    assert refused.value.message == "成绩复核时间尚未公布，当前不能办理。"
    assert refused.value.state == WindowState.NOT_SCHEDULED


def test_the_batched_lookup_agrees_with_window_for_in_one_query(province_wide, sitting, lanzhou, gannan,
                                                               django_assert_num_queries):
    from kaowu.catalog.windows import window_for, windows_for

    own = BusinessWindowFactory(kind=province_wide.kind, sitting=sitting, exam_area=gannan)
    kinds = [BusinessWindow.Kind.COURSE_REGISTRATION, BusinessWindow.Kind.FILING]
    for area in (lanzhou, gannan, None):
        with django_assert_num_queries(1):
            found = windows_for(kinds=kinds, sitting=sitting, exam_area=area)
        assert found.get((province_wide.kind, sitting.pk)) == window_for(kind=province_wide.kind, sitting=sitting,
                                                                         exam_area=area)
    assert found[(province_wide.kind, sitting.pk)] == province_wide
    assert windows_for(kinds=kinds, sitting=sitting, exam_area=gannan)[(province_wide.kind, sitting.pk)] == own
