"""Working days (工作日): Monday to Friday, except the public holidays listed in
`KAOWU_HOLIDAYS` (comma-separated dates, e.g. ``2027-05-03,2027-10-01``). Weekend make-up working
days (调休上班) are not modelled.

    working_day_add(datetime.date(2027, 4, 16), 3)   # Friday + 3 working days → Wednesday 2027-04-21
    working_days_between(start, end)                  # working days d with start < d <= end
"""

import datetime
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _parse(holidays: tuple[str, ...]) -> frozenset[datetime.date]:
    return frozenset(datetime.date.fromisoformat(day) for day in holidays if day)


def holidays() -> frozenset[datetime.date]:
    return _parse(tuple(getattr(settings, "KAOWU_HOLIDAYS", ()) or ()))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in holidays()


def working_day_add(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `day` (`day` itself does not count)."""
    found = 0
    while found < count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            found += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days d with start < d <= end (0 when end is not after start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
