"""Following a running placement in a real browser (issue 14, the attendance, progress,
messages and to-do parts): two weeks of attendance with one unexplained absence that
reaches the caseworker, a progress report read and marked, messages both ways, and the
monthly statement downloaded and read back. Axe on every page; the attendance week also
at a 390-px phone width. The plan, meetings and end report have browser tests of their own.

Given: the demo supervisor's running placement, referred by the demo caseworker, started
three weeks ago (set up in the database: a start date cannot be entered in the past).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from test_browser import assert_no_accessibility_violations, browser, page, served_demo, sign_in, sign_out  # noqa: F401

from portal.domain.calendar import is_working_day, local_today
from portal.domain.follow_up.attendance import week_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The served demo and its app (to set up what the interface cannot: a start in the past)."""
    with served_demo(tmp_path_factory.mktemp("follow-up")) as (app, portal):
        yield app, portal


@pytest.fixture(scope="module")
def running(served):
    """The referral number of the demo supervisor's running placement, now the demo caseworker's."""
    from sqlalchemy import select

    app, portal = served
    from portal.extensions import db
    from portal.models import Placement, PlacementState, Referral, Supervisor, User

    with app.app_context():
        caseworker = db.session.scalar(select(User).where(User.email == portal.logins["caseworker"]))
        placement = db.session.scalar(
            select(Placement)
            .join(Supervisor)
            .join(User, User.id == Supervisor.user_id)
            .where(User.email == portal.logins["supervisor"], Placement.state == PlacementState.ACTIVE)
            .order_by(Placement.id)
        )
        referral = db.session.get(Referral, placement.referral_id)
        referral.caseworker, referral.authority_id = caseworker, caseworker.authority_id
        placement.start_date = local_today() - timedelta(days=21)
        db.session.commit()
        number = referral.id
        db.session.remove()
    return number


def fill_week(page, days, values) -> None:  # noqa: F811 (the page at hand)
    for day in days:
        hours, reason = values.get(day, ("", ""))
        if day > local_today():
            continue
        page.locator(f"#hours-{day}").fill(hours)
        page.locator(f"#reason-{day}").select_option(reason)


def test_a_running_placement_is_followed_in_the_browser(page, served, running):  # noqa: F811
    _app, portal = served
    two_weeks_ago, last_week = week_of(local_today() - timedelta(days=14)), week_of(local_today() - timedelta(days=7))
    workdays = [day for day in two_weeks_ago + last_week if is_working_day(day)]
    unexplained = workdays[3]

    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    page.get_by_role("link", name=f"Registrera veckans närvaro på remiss {running}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Närvaro")
    assert_no_accessibility_violations(page)
    for monday in (two_weeks_ago[0], last_week[0]):
        page.goto(f"{portal.url}/referrals/{running}/attendance?week={monday}")
        days = week_of(monday)
        fill_week(page, days, {day: ("25", "") for day in days[:1]})  # more than a day: refused at the field
        page.get_by_role("button", name="Spara veckan").click()
        expect(page.locator(f"#error-{days[0]}")).to_contain_text("högst 24")
        assert_no_accessibility_violations(page)
        values = {day: ("", "unexplained") if day == unexplained else ("6,5", "") for day in days if day in workdays}
        fill_week(page, days, values)
        page.get_by_role("button", name="Spara veckan").click()
        expect(page.locator(".notice-success")).to_contain_text("sparats")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_accessibility_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{portal.url}/referrals/{running}/progress")
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.locator(".error").first).to_contain_text("Välj hur det går")
    assert_no_accessibility_violations(page)
    for note in page.locator("textarea[name^=note-]").all():
        note.fill("Kommer i tid, behöver stöd i kassan.")
    for group in page.locator("fieldset.choice-group").all():
        group.get_by_label("Viss framgång").check()
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.locator(".notice-success")).to_be_visible()

    page.goto(f"{portal.url}/referrals/{running}/messages")
    page.get_by_label("Nytt meddelande").fill("Hon var borta utan att höra av sig i torsdags.")
    page.get_by_role("button", name="Skicka").click()
    expect(page.locator(".messages")).to_contain_text("borta utan att höra av sig")
    assert_no_accessibility_violations(page)
    sign_out(page)

    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    todo = page.locator("section.todo")
    expect(todo).to_contain_text(f"Avvikelse i närvaron på remiss {running}")
    expect(todo).to_contain_text(f"Ny lägesrapport om remiss {running}")
    expect(page.locator("nav.main-nav")).to_contain_text("Meddelanden (olästa: 1)")
    assert_no_accessibility_violations(page)
    todo.get_by_role("link", name=f"Avvikelse i närvaron på remiss {running}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Närvaro")
    assert_no_accessibility_violations(page)
    page.goto(f"{portal.url}/referrals/{running}/progress")
    expect(page.locator("main")).to_contain_text("behöver stöd i kassan")
    page.get_by_role("button", name="Markera som läst").click()
    expect(page.locator("main")).to_contain_text("Läst av handläggaren")
    assert_no_accessibility_violations(page)
    page.goto(f"{portal.url}/referrals/{running}/messages")
    page.get_by_label("Nytt meddelande").fill("Tack, jag ringer henne i dag.")
    page.get_by_role("button", name="Skicka").click()
    expect(page.locator(".messages")).to_contain_text("jag ringer henne")

    month = unexplained.strftime("%Y-%m")
    page.goto(f"{portal.url}/referrals/{running}/attendance/statement?month={month}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Närvarorapport")
    assert_no_accessibility_violations(page)
    with page.expect_download() as download:
        page.locator("a[href*='/statement/csv']").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert [unexplained.isoformat(), "", "Oförklarad frånvaro"] in rows
    present = [day for day in workdays if day != unexplained and day.strftime("%Y-%m") == month]
    assert all([day.isoformat(), "6,5", ""] in rows for day in present)
    page.goto(f"{portal.url}/")
    expect(page.locator("section.todo")).not_to_contain_text(f"Avvikelse i närvaron på remiss {running}")
    sign_out(page)

    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    expect(page.locator("nav.main-nav")).to_contain_text("Meddelanden (olästa: 1)")
    page.locator("section.todo").get_by_role("link", name=f"Nya meddelanden om remiss {running}").click()
    expect(page.locator(".messages")).to_contain_text("jag ringer henne")
    expect(page.locator("nav.main-nav")).not_to_contain_text("olästa")
