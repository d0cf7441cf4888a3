"""Swedish working days for offer expiry."""

from datetime import UTC, date, datetime

import pytest

from portal.domain.calendar import add_working_days, easter_sunday, holidays, is_working_day


@pytest.mark.parametrize(
    "year, expected",
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))],
)
def test_easter_sunday(year, expected):
    assert easter_sunday(year) == expected


def test_holidays_include_the_moving_ones():
    days = holidays(2026)
    assert {
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 14),
        date(2026, 6, 19),
        date(2026, 6, 20),
        date(2026, 10, 31),
        date(2026, 12, 24),
    } <= days


def test_weekends_and_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 6, 19))  # Midsummer Eve
    assert is_working_day(date(2026, 11, 26))


def test_five_working_days_over_a_weekend():
    thursday = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert add_working_days(thursday, 5) == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_easter_does_not_count_and_local_time_is_kept_over_summer_time():
    maundy_thursday = datetime(2027, 3, 25, 10, 0, tzinfo=UTC)  # 11:00 in Stockholm
    assert add_working_days(maundy_thursday, 5) == datetime(2027, 4, 5, 9, 0, tzinfo=UTC)  # 11:00 CEST
