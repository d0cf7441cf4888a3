"""Swedish working days for offer expiry."""

from datetime import UTC, date, datetime, timedelta

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


# Offer deadlines and reminders (issue 11, point 9) ------------------------------------


def _stockholm(*args):
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Europe/Stockholm"))


def test_an_offer_is_answered_by_the_end_of_the_nth_working_day_whatever_the_hour():
    from portal.domain.calendar import deadline_after, last_day

    for made in (_stockholm(2025, 11, 29, 0, 10), _stockholm(2025, 11, 29, 23, 50), _stockholm(2025, 11, 28, 9, 0)):
        deadline = deadline_after(made, 5, "Europe/Stockholm")  # a Saturday counts from Monday: Mon 1 … Fri 5
        assert last_day(deadline, "Europe/Stockholm") == date(2025, 12, 5)  # "svara senast fredag 5 december"
        assert deadline == _stockholm(2025, 12, 6, 0, 0)
    thursday_night = deadline_after(_stockholm(2025, 11, 27, 23, 50), 5, "Europe/Stockholm")
    assert last_day(thursday_night, "Europe/Stockholm") == date(2025, 12, 4)  # Fri 28 Nov … Thu 4 Dec


def test_the_deadline_skips_holidays():
    from portal.domain.calendar import deadline_after, last_day

    before_easter = _stockholm(2026, 4, 1, 15, 0)  # Wednesday; Good Friday and Easter Monday off
    assert last_day(deadline_after(before_easter, 2, "Europe/Stockholm"), "Europe/Stockholm") == date(2026, 4, 7)


def test_the_reminder_goes_at_eight_on_the_last_working_day_before_never_on_a_weekend():
    from portal.domain.calendar import deadline_after, reminder_at

    made = _stockholm(2025, 11, 29, 12, 0)
    thursday = _stockholm(2025, 12, 4, 8, 0)  # the day before the last day, Friday 5 December
    assert reminder_at(deadline_after(made, 5, "Europe/Stockholm"), made, "Europe/Stockholm") == thursday
    friday = _stockholm(2025, 11, 28, 12, 0)  # one working day: Monday 1 December
    deadline = deadline_after(friday, 1, "Europe/Stockholm")
    assert reminder_at(deadline, friday, "Europe/Stockholm") == _stockholm(2025, 12, 1, 8, 0)  # not Sat/Sun
    before_easter = _stockholm(2026, 4, 1, 15, 0)  # last day Tue 7 April
    assert reminder_at(deadline_after(before_easter, 2, "Europe/Stockholm"), before_easter, "Europe/Stockholm") == (
        _stockholm(2026, 4, 2, 8, 0)
    )  # Thursday 2 April: Good Friday, the weekend and Easter Monday are no working days


def test_a_reminder_never_falls_after_its_deadline():
    """A deadline set by hand that ends before 08:00 on its last day, on an offer made after
    08:00 the working day before: 08:00 on the last day would come after the offer expired
    (never sent), so the reminder is due at once. Walks every hour of a fortnight with
    Christmas in it, each deadline 10 hours after the offer."""
    from portal.domain.calendar import reminder_at

    start = _stockholm(2026, 12, 18, 0, 0)
    for hour in range(14 * 24):
        offered = start + timedelta(hours=hour)
        deadline = offered + timedelta(hours=10)
        remind = reminder_at(deadline, offered, "Europe/Stockholm")
        assert offered <= remind < deadline, (offered, deadline, remind)
    sunday = _stockholm(2026, 11, 29, 14, 30)  # offered; the deadline 00:30 on Monday 30 November
    assert reminder_at(sunday + timedelta(hours=10), sunday, "Europe/Stockholm") == sunday


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_dateformat_filter_shows_a_moment_as_its_stockholm_date_in_the_readers_language(app):
    """The templates' `dateformat` (portal.i18n.format_date, which keeps the request's locale,
    time zone and patterns) writes what Flask-Babel's does, and follows `force_locale`."""
    import flask_babel
    from flask import render_template_string

    after_midnight = datetime(2026, 10, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 October in Stockholm
    naive_before = datetime(2026, 10, 1, 21, 59)  # naive is UTC: 23:59 on 1 October
    page = "{{ a | dateformat }}|{{ a | dateformat('short') }}|{{ b | dateformat }}|{{ c | dateformat('full') }}"
    values = {"a": after_midnight, "b": naive_before, "c": date(2026, 1, 5)}
    with app.test_request_context():
        swedish = render_template_string(page, **values)
        with flask_babel.force_locale("en"):
            english = render_template_string(page, **values)
            assert english == "|".join(
                [
                    flask_babel.format_date(after_midnight),
                    flask_babel.format_date(after_midnight, "short"),
                    flask_babel.format_date(naive_before),
                    flask_babel.format_date(date(2026, 1, 5), "full"),
                ]
            )
        assert render_template_string(page, **values) == swedish
    assert swedish == "2 okt. 2026|2026-10-02|1 okt. 2026|måndag 5 januari 2026"
    assert english == "Oct 2, 2026|10/2/26|Oct 1, 2026|Monday, January 5, 2026"
