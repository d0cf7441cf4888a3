"""The match page in a real browser, as the demo caseworker meets it: accessible, explained,
filterable, and the offer goes out from it. Sentences are checked in English, which
does not wait for the Swedish catalogue."""

from __future__ import annotations

import re

import pytest
import test_browser
from playwright.sync_api import expect
from test_browser import assert_no_accessibility_violations, sign_in

browser, page, portal = test_browser.browser, test_browser.page, test_browser.portal  # the demo portal's fixtures

pytestmark = pytest.mark.browser


def open_a_ranking(page, portal) -> None:
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    page.get_by_role("button", name="English").click()
    page.get_by_role("row").filter(has_text="Matching").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Offer to a supervisor")).to_be_visible()
    page.get_by_role("link", name=re.compile("See the full ranking|Why isn't a supervisor listed")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Ranking for referral \d+$"))


def test_the_ranking_is_accessible_and_explains_each_candidate(page, portal):
    open_a_ranking(page, portal)
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_contain_text("can be offered the referral")
    page.locator("table.ranking summary").first.click()
    expect(page.locator("details[open] .explanation")).to_contain_text("Handledarportalen")
    expect(page.locator("details[open] .explanation")).to_contain_text("Free places:")
    assert_no_accessibility_violations(page)

    page.get_by_label("The supervisor speaks").select_option("sv")
    page.get_by_role("button", name="Filter").click()
    assert "language=sv" in page.url
    page.get_by_role("button", name="Explain").click()
    answer = page.locator("section[aria-labelledby=why-heading] [role=status]")
    expect(answer).to_contain_text(re.compile("Not listed, because:|Meets every requirement"))
    assert_no_accessibility_violations(page)

    page.get_by_role("button", name="Svenska").click()  # leave the demo user as it was
    sign_out = page.get_by_role("button", name="Logga ut")
    sign_out.click()


def test_an_offer_goes_out_from_the_ranking(page, portal):
    open_a_ranking(page, portal)
    first = page.locator("table.ranking tbody tr").first
    name = first.locator("label").inner_text()
    first.locator("input[name=supervisor_id]").check()
    page.get_by_role("button", name="Send the offer").click()
    expect(page.locator(".state")).to_have_text("Offered")
    expect(page.get_by_role("heading", name="Offers")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{name}: Waiting for an answer")
    page.get_by_role("button", name="Svenska").click()
