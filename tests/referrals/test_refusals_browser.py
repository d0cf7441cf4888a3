"""Refusals, dates and confirmations on the referral page in a real browser (issue 12,
points 2, 5 and 6): a step a guard refuses is shown disabled with the reason and a link,
a wrong date (a planned start in the past, a start after today, an end before the start)
is answered at its field with the input kept, and a step that ends the case
needs its box ticked. axe (WCAG 2.1 and 2.2 AA) checks each such page at desktop width
and at 320 px."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import test_browser
from playwright.sync_api import expect
from test_browser import (
    assert_accessible_at_both_widths,
    draft_a_referral,
    record_consent,
    register_a_participant,
    sign_in,
    sign_out,
    write_plan_send_back_and_approve,
    write_the_end_report,
)

from portal.domain.calendar import local_today

browser, page, portal = test_browser.browser, test_browser.page, test_browser.portal  # the demo portal's fixtures

pytestmark = pytest.mark.browser


def test_refused_steps_are_explained_where_they_are_offered(page, portal):
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    register_a_participant(page, portal, portal.free_number, ("Vera", "Holm"))
    referral_url = draft_a_referral(page)

    submit = page.locator("form.action").filter(has=page.get_by_role("heading", name="Skicka in"))
    expect(submit.get_by_role("button", name="Skicka in")).to_be_disabled()
    expect(submit).to_contain_text("Registrera deltagarens samtycke")
    assert_accessible_at_both_widths(page)
    submit.get_by_role("link", name="Registrera samtycke först").click()
    record_consent(page)
    page.goto(referral_url)
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator(".state")).to_have_text("Matchning")

    withdraw = page.locator("form.action").filter(has=page.get_by_role("heading", name="Återta"))
    withdraw.get_by_label(re.compile("Anteckning")).fill("Flyttar")
    withdraw.get_by_role("button", name="Återta").click()
    withdraw = page.locator("form.action").filter(has=page.get_by_role("heading", name="Återta"))
    expect(withdraw).to_contain_text("Kryssa i rutan för att bekräfta.")
    expect(withdraw.get_by_label(re.compile("Anteckning"))).to_have_value("Flyttar")  # the input is kept
    expect(page.locator(".state")).to_have_text("Matchning")  # nothing happened
    assert_accessible_at_both_widths(page)

    page.get_by_label(re.compile("Kooperativet Älvstranden")).check()
    page.get_by_role("button", name="Skicka erbjudandet").click()
    expect(page.locator(".state")).to_have_text("Erbjuden")
    sign_out(page)

    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    page.goto(referral_url)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    page.get_by_label("Planerad start").fill(yesterday)
    page.get_by_role("button", name="Acceptera").click()
    expect(page.get_by_text("Planerad start kan inte ligga bakåt i tiden.")).to_be_visible()
    expect(page.get_by_label("Planerad start")).to_have_value(yesterday)
    assert_accessible_at_both_widths(page)
    page.get_by_label("Planerad start").fill(local_today().isoformat())
    page.get_by_role("button", name="Acceptera").click()
    expect(page.locator(".state")).to_have_text("Accepterad")
    write_plan_send_back_and_approve(page, portal, referral_url)
    start = page.locator("form[action$='/act/start']")
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    start.locator("#start-start_date").fill(tomorrow)
    start.locator("button[type=submit]").click()
    start = page.locator("form[action$='/act/start']")
    expect(start.locator("#start-start_date-error")).to_be_visible()  # a start after today: at the field
    expect(start.locator("#start-start_date")).to_have_value(tomorrow)  # the input is kept
    expect(page.locator(".state")).to_have_text("Accepterad")
    assert_accessible_at_both_widths(page)
    start.locator("#start-start_date").fill(local_today().isoformat())
    page.get_by_role("button", name="Starta placeringen").last.click()
    expect(page.locator(".state")).to_have_text("Placering pågår")
    write_the_end_report(page, referral_url)

    complete = page.locator("form.action").filter(has=page.get_by_role("heading", name="Slutför"))
    complete.get_by_label("Utfall").select_option(label="I arbete")
    complete.get_by_label("Slutdatum").fill((local_today() - timedelta(days=1)).isoformat())
    complete.get_by_role("button", name="Slutför").click()
    complete = page.locator("form.action").filter(has=page.get_by_role("heading", name="Slutför"))
    expect(complete).to_contain_text("Kryssa i rutan för att bekräfta.")
    expect(complete.get_by_label("Utfall")).to_have_value("employment")
    assert_accessible_at_both_widths(page)
    complete.get_by_label(re.compile("Ja, jag vill göra detta")).check()
    complete.get_by_role("button", name="Slutför").click()
    complete = page.locator("form.action").filter(has=page.get_by_role("heading", name="Slutför"))
    expect(complete).to_contain_text("Slutdatumet kan inte vara före starten")
    assert_accessible_at_both_widths(page)
    complete.get_by_label("Slutdatum").fill(local_today().isoformat())
    complete.get_by_label(re.compile("Ja, jag vill göra detta")).check()
    complete.get_by_role("button", name="Slutför").click()
    expect(page.locator(".state")).to_have_text("Genomförd")
    sign_out(page)
