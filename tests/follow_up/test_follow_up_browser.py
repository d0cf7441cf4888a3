"""The whole of a placement in a real browser (issue 14), its mail going through a real
SMTP server: the supervisor accepts the offer and drafts the plan, the caseworker sends
it back with a comment, it is corrected and approved; the start meeting is booked and its
calendar invitation read from the server, then moved and the invitation updated in place;
the placement starts (the plan and the end report as in tests/test_browser.py's helpers);
two weeks of attendance with one unexplained absence that reaches
the caseworker; a progress report read and marked; messages both ways; the end report;
completion with its end date; the monthly statement downloaded as CSV and PDF and read
back. Axe on every page; the attendance week also at a 390-px phone width.

Given: the demo caseworker's referral offered to the demo supervisor. Set up in the
database is only what the interface cannot do: a start three weeks ago (a start is today).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_mail import mail_server, served  # noqa: F401 (fixtures)
from playwright.sync_api import expect
from test_browser import (  # noqa: F401 (browser, page: fixtures)
    assert_no_accessibility_violations,
    browser,
    page,
    sign_in,
    sign_out,
    write_plan_send_back_and_approve,
    write_the_end_report,
)

from portal.domain.calendar import is_working_day, local_today
from portal.domain.follow_up.attendance import week_of

pytestmark = pytest.mark.browser

TOMORROW = local_today() + timedelta(days=1)


@pytest.fixture(scope="module")
def offered(served):  # noqa: F811
    """The number of the demo caseworker's referral offered to the demo supervisor."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Offer, OfferState, Referral, Supervisor, User

    app, portal = served
    with app.app_context():
        caseworker = db.session.scalar(select(User).where(User.email == portal.logins["caseworker"]))
        offer = db.session.scalar(
            select(Offer)
            .join(Supervisor)
            .join(User, User.id == Supervisor.user_id)
            .where(User.email == portal.logins["supervisor"], Offer.state == OfferState.OPEN)
            .order_by(Offer.id)
        )
        referral = db.session.get(Referral, offer.referral_id)
        referral.caseworker, referral.authority_id = caseworker, caseworker.authority_id
        db.session.commit()
        number = referral.id
        db.session.remove()
    return number


def ended_on(app, number: int):
    from portal.extensions import db
    from portal.models import Referral

    with app.app_context():
        end = db.session.get(Referral, number).placement.end_date
        db.session.remove()
    return end


def started_three_weeks_ago(app, number: int) -> None:
    from portal.extensions import db
    from portal.models import Referral

    with app.app_context():
        db.session.get(Referral, number).placement.start_date = local_today() - timedelta(days=21)
        db.session.commit()
        db.session.remove()


def delivered(app, mail_server) -> list:  # noqa: F811
    """Send the outbox through the real SMTP server; the mails received since the last call."""
    from account_mails import deliver

    from portal.extensions import db

    with app.app_context():
        deliver(app, db.session)
        db.session.remove()
    received = list(mail_server.inbox.messages)
    mail_server.inbox.messages.clear()
    return received


def invitations(app, mail_server) -> list[tuple[str, str]]:  # noqa: F811
    """Each calendar part received: (recipient, the .ics text with its folded lines joined)."""
    return [
        (message["To"], part.get_content().replace("\r\n ", ""))
        for message in delivered(app, mail_server)
        for part in message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def told(app, mail_server, recipient: str) -> list[str]:  # noqa: F811
    """The subjects and texts of the mails `recipient` got, each as one string."""
    return [
        f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}"
        for message in delivered(app, mail_server)
        if message["To"] == recipient
    ]


def field(ics: str, name: str) -> str:
    (value,) = [line.split(":", 1)[1] for line in ics.split("\r\n") if re.match(rf"{name}[:;]", line)]
    return value


def utc_stamp(day, at: time) -> str:
    """How a local (Stockholm) time is written in the invitation: in UTC."""
    local = datetime.combine(day, at, ZoneInfo("Europe/Stockholm"))
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def book_and_move_the_start_meeting(page, app, portal, mail_server, number) -> None:  # noqa: F811
    """From the referral page, as its supervisor: a meeting in the past is refused at its
    field; one tomorrow at 10 is booked and its invitation read from the SMTP server; it
    is moved to 13:30 and the same event comes again, one sequence on. Ends on the meetings page."""
    page.get_by_role("link", name="Möten").click()
    page.get_by_label("Slags möte").select_option(label="Startmöte")
    page.get_by_label("Datum").fill((local_today() - timedelta(days=1)).isoformat())
    page.get_by_label("Tid").fill("10:00")
    page.get_by_label("Plats").fill("Kooperativet, Storgatan 1")
    page.get_by_role("button", name="Boka mötet").click()
    expect(page.get_by_text("Ett möte kan inte bokas bakåt i tiden.")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Datum").fill(TOMORROW.isoformat())
    page.get_by_role("button", name="Boka mötet").click()
    expect(page.get_by_text("Mötet har bokats och kallelserna skickats.")).to_be_visible()
    assert_no_accessibility_violations(page)

    booked = invitations(app, mail_server)
    assert {to for to, _ics in booked} == {portal.logins["caseworker"], portal.logins["supervisor"]}
    ics = booked[0][1]
    assert field(ics, "METHOD") == "REQUEST" and field(ics, "SEQUENCE") == "0"
    assert field(ics, "DTSTART") == utc_stamp(TOMORROW, time(10))  # 10:00 in Stockholm, in UTC
    assert field(ics, "SUMMARY") == f"Startmöte\\, remiss nr {number}"  # the number, no name
    uid = field(ics, "UID")
    assert uid and all(field(other, "UID") == uid for _to, other in booked)

    page.get_by_role("link", name="Ändra mötet").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Tid").fill("13:30")
    page.get_by_role("button", name="Spara ändringen").click()
    expect(page.locator("main")).to_contain_text("13:30")
    assert_no_accessibility_violations(page)
    moved = invitations(app, mail_server)
    assert len(moved) == 2
    for _to, ics in moved:
        assert field(ics, "UID") == uid and field(ics, "SEQUENCE") == "1"
        assert field(ics, "DTSTART") == utc_stamp(TOMORROW, time(13, 30))


def fill_week(page, days, values) -> None:  # noqa: F811 (the page at hand)
    for day in days:
        hours, reason = values.get(day, ("", ""))
        if day > local_today():
            continue
        page.locator(f"#hours-{day}").fill(hours)
        page.locator(f"#reason-{day}").select_option(reason)


def record_two_weeks(page, portal, number, unexplained, workdays) -> None:  # noqa: F811
    """As the supervisor, from the home page's to-do item: more than 24 hours is refused at
    its day, then two weeks are recorded; the week is checked again at 390 px."""
    page.goto(f"{portal.url}/")
    page.get_by_role("link", name=f"Registrera veckans närvaro på remiss {number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Närvaro")
    assert_no_accessibility_violations(page)
    for monday in sorted({day - timedelta(days=day.weekday()) for day in workdays}):
        page.goto(f"{portal.url}/referrals/{number}/attendance?week={monday}")
        days = week_of(monday)
        fill_week(page, days, {days[0]: ("25", "")})  # more than a day: refused at the field
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


def complete(page) -> None:  # noqa: F811
    """On the referral page, as its supervisor (the end report written): completed, ending today."""
    form = page.locator("form.action").filter(has=page.get_by_role("heading", name="Slutför"))
    form.get_by_label("Utfall").select_option(label="I arbete")
    form.get_by_label(re.compile("Ja, jag vill göra detta")).check()  # it ends the case: confirmed
    form.get_by_role("button", name="Slutför").click()
    expect(page.locator(".state")).to_have_text("Genomförd")
    expect(page.locator("section[aria-labelledby=placement-heading] dt", has_text="Slut")).to_be_visible()
    assert_no_accessibility_violations(page)


def read_back_the_statement(page, portal, number, month) -> list[list[str]]:  # noqa: F811
    """As the caseworker: the month's statement on screen, as CSV and (when the PDF format
    is installed) as PDF, each read back; the CSV's rows."""
    page.goto(f"{portal.url}/referrals/{number}/attendance/statement?month={month}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Närvarorapport")
    assert_no_accessibility_violations(page)
    with page.expect_download() as download:
        page.locator("a[href*='/statement/csv']").click()
    assert download.value.suggested_filename == f"narvaro-remiss-{number}-{month}.csv"
    rows = list(csv.reader(io.StringIO(download.value.path().read_bytes().decode("utf-8-sig")), delimiter=";"))
    if importlib.util.find_spec("portal_pdf"):  # installed: its link is there and the file reads back
        from pypdf import PdfReader

        with page.expect_download() as download:
            page.locator("a[href*='/statement/pdf']").click()
        text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
        assert "Närvarorapport" in text and f"Remiss {number}" in text
        assert "Oförklarad frånvaro" in text and "6,5" in text
    return rows


def test_a_whole_placement_is_followed_in_the_browser(page, served, mail_server, offered):  # noqa: F811
    app, portal = served
    number, referral_url = offered, f"{portal.url}/referrals/{offered}"
    two_weeks_ago, last_week = week_of(local_today() - timedelta(days=14)), week_of(local_today() - timedelta(days=7))
    workdays = [day for day in two_weeks_ago + last_week if is_working_day(day)]
    unexplained = workdays[3]

    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    page.goto(referral_url)
    expect(page.get_by_role("heading", name="Ditt svar")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Acceptera").click()
    expect(page.locator(".state")).to_have_text("Accepterad")
    write_plan_send_back_and_approve(page, portal, referral_url)
    book_and_move_the_start_meeting(page, app, portal, mail_server, number)
    page.goto(referral_url)
    page.get_by_role("button", name="Starta placeringen").last.click()
    expect(page.locator(".state")).to_have_text("Placering pågår")
    assert_no_accessibility_violations(page)
    started_three_weeks_ago(app, number)

    record_two_weeks(page, portal, number, unexplained, workdays)
    page.goto(f"{portal.url}/referrals/{number}/progress")
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.locator(".error").first).to_contain_text("Välj hur det går")
    assert_no_accessibility_violations(page)
    for note in page.locator("textarea[name^=note-]").all():
        note.fill("Kommer i tid, behöver stöd i kassan.")
    for group in page.locator("fieldset.choice-group").all():
        group.get_by_label("Viss framgång").check()
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.locator(".notice-success")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.goto(f"{portal.url}/referrals/{number}/messages")
    page.get_by_label("Nytt meddelande").fill("Hon var borta utan att höra av sig i torsdags.")
    page.get_by_role("button", name="Skicka").click()
    expect(page.locator(".messages")).to_contain_text("borta utan att höra av sig")
    assert_no_accessibility_violations(page)
    sign_out(page)
    mails = told(app, mail_server, portal.logins["caseworker"])  # the deviation, the report, the message
    subjects = [mail.split("\n")[0] for mail in mails]
    for subject in ("Avvikelse i närvaron", "Ny lägesrapport", "Nytt meddelande"):
        assert f"{subject} (remiss nr {number})" in subjects
    assert not any("borta utan" in mail for mail in mails)  # a message's text never goes by mail

    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    todo = page.locator("section.todo")
    expect(todo).to_contain_text(f"Avvikelse i närvaron på remiss {number}")
    expect(todo).to_contain_text(f"Ny lägesrapport om remiss {number}")
    expect(page.locator("nav.main-nav")).to_contain_text("Meddelanden (olästa: 1)")
    assert_no_accessibility_violations(page)
    todo.get_by_role("link", name=f"Avvikelse i närvaron på remiss {number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Närvaro")
    assert_no_accessibility_violations(page)
    page.goto(f"{portal.url}/referrals/{number}/progress")
    expect(page.locator("main")).to_contain_text("behöver stöd i kassan")
    page.get_by_role("button", name="Markera som läst").first.click()
    expect(page.locator("main")).to_contain_text("Läst av handläggaren")
    assert_no_accessibility_violations(page)
    page.goto(f"{portal.url}/referrals/{number}/messages")
    page.get_by_label("Nytt meddelande").fill("Tack, jag ringer henne i dag.")
    page.get_by_role("button", name="Skicka").click()
    expect(page.locator(".messages")).to_contain_text("jag ringer henne")
    page.goto(f"{portal.url}/")
    expect(page.locator("section.todo")).not_to_contain_text(f"Avvikelse i närvaron på remiss {number}")
    sign_out(page)

    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    expect(page.locator("nav.main-nav")).to_contain_text("Meddelanden (olästa: 1)")
    page.locator("section.todo").get_by_role("link", name=f"Nya meddelanden om remiss {number}").click()
    expect(page.locator(".messages")).to_contain_text("jag ringer henne")
    expect(page.locator("nav.main-nav")).not_to_contain_text("olästa")
    page.goto(referral_url)
    write_the_end_report(page, referral_url)
    complete(page)
    assert ended_on(app, number) == local_today()
    sign_out(page)

    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    month = unexplained.strftime("%Y-%m")
    rows = read_back_the_statement(page, portal, number, month)
    assert [unexplained.isoformat(), "", "Oförklarad frånvaro"] in rows
    present = [day for day in workdays if day != unexplained and day.strftime("%Y-%m") == month]
    assert present and all([day.isoformat(), "6,5", ""] in rows for day in present)
