"""The week of attendance is refused at the field for each bad day, and kept whole otherwise."""

from datetime import date
from decimal import Decimal

import pytest

from portal.domain.errors import InvalidInput
from portal.domain.follow_up.attendance import check_week, week_of

STARTED = date(2026, 11, 17)
TODAY = date(2026, 11, 26)  # a Thursday


def test_a_good_week_gives_hours_and_absences_and_marks_unexplained_as_deviation():
    days = check_week(
        {
            date(2026, 11, 23): ("7,5", ""),
            date(2026, 11, 24): ("", "ill"),
            date(2026, 11, 25): ("", "unexplained"),
            date(2026, 11, 26): ("", ""),
        },
        STARTED,
        TODAY,
    )
    assert [(d.day, d.hours, d.absence_reason) for d in days] == [
        (date(2026, 11, 23), Decimal("7.5"), None),
        (date(2026, 11, 24), None, "ill"),
        (date(2026, 11, 25), None, "unexplained"),
    ]
    assert [d.is_deviation for d in days] == [False, False, True]


@pytest.mark.parametrize(
    ("day", "hours", "reason", "field"),
    [
        (date(2026, 11, 27), "6", "", "hours-2026-11-27"),  # in the future
        (date(2026, 11, 16), "6", "", "hours-2026-11-16"),  # before the start
        (date(2026, 11, 23), "24,5", "", "hours-2026-11-23"),  # more than a day
        (date(2026, 11, 23), "0", "", "hours-2026-11-23"),
        (date(2026, 11, 23), "seven", "", "hours-2026-11-23"),
        (date(2026, 11, 23), "NaN", "", "hours-2026-11-23"),
        (date(2026, 11, 23), "", "holiday", "reason-2026-11-23"),
        (date(2026, 11, 23), "4", "ill", "hours-2026-11-23"),
    ],
)
def test_a_bad_day_is_refused_at_its_field_and_nothing_of_the_week_is_returned(day, hours, reason, field):
    with pytest.raises(InvalidInput) as refused:
        check_week({date(2026, 11, 24): ("8", ""), day: (hours, reason)}, STARTED, TODAY)
    assert list(refused.value.errors) == [field]


def test_week_of_runs_monday_to_sunday():
    week = week_of(TODAY)
    assert week[0] == date(2026, 11, 23) and week[-1] == date(2026, 11, 29) and len(week) == 7
