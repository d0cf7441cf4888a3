"""No dead ends, in a real browser (issue 12, points 1, 3, 4 and 6): a referral nobody can
take says why and is widened to the whole region from the referral page while it waits
(no 409 on the way); a referral in Fyrbodal's review is linked from the coordinator's home
page; the note Fyrbodal's "return" step requires is marked required and an empty one is
answered at its field; withdrawing a consent and turning a plugin off
in a region are asked about first, without JavaScript. axe (WCAG 2.1 and 2.2 AA) checks
each page at desktop width and at 320 px, where none may scroll sideways.

The demo is the test's own (it turns Fyrbodal's workflow on), served once for the module.
Places are found by their structure (ids, form addresses) where the Swedish wording is
not what is under test.
"""

from __future__ import annotations

import pytest
import test_browser
from playwright.sync_api import expect
from test_browser import (
    assert_accessible_at_both_widths,
    draft_a_referral,
    record_consent,
    register_a_participant,
    served_demo,
    sign_in,
    sign_out,
)

from portal.domain.calendar import local_today

browser, page = test_browser.browser, test_browser.page  # the fixtures

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with served_demo(tmp_path_factory.mktemp("dead-ends")) as (app, portal):
        yield app, portal


def free_number(app) -> str:
    """A test personnummer no participant has yet (each test registers its own person)."""
    from portal.demo import data as demo
    from portal.extensions import db

    with app.app_context():
        (number,) = demo.free_test_numbers(db.session, app.extensions["portal.vault"], count=1)
        db.session.remove()
    return number


def unserved_municipality(app, region_code: str = "fyrbodal") -> str:
    """A municipality of the region that none of the demo's supervisors serves."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Municipality, Region
    from portal.models.directory import supervisor_municipality

    with app.app_context():
        served = select(supervisor_municipality.c.municipality_id)
        names = db.session.scalars(
            select(Municipality.name)
            .join(Region)
            .where(Region.code == region_code, Municipality.id.not_in(served))
            .order_by(Municipality.name)
        ).all()
        db.session.remove()
    assert names, "every municipality of the region is served: the demo changed"
    return names[0]


def consent_and_submit_a_referral(page, choices: tuple[str, ...] = ()) -> str:
    """On a new participant's page: consent recorded, a referral written and submitted; its address."""
    record_consent(page)
    referral_url = draft_a_referral(page, choices)
    page.locator("form[action$='/act/submit'] button[type=submit]").click()
    return referral_url


def test_a_referral_nobody_can_take_says_why_and_is_widened_to_the_region(page, served):
    app, portal = served
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    register_a_participant(page, portal, free_number(app), ("Nora", "Ek"), municipality=unserved_municipality(app))
    referral_url = consent_and_submit_a_referral(page)
    state = page.locator(".state").inner_text()

    offer = page.locator("section[aria-labelledby=offer-heading]")
    expect(offer.locator("#why-none")).to_be_visible()  # says why: the filters, most first
    expect(offer.locator("ul[aria-labelledby=why-none] li").first).to_contain_text(":")
    expect(offer.locator("input[name=supervisor_id]")).to_have_count(0)
    assert_accessible_at_both_widths(page)

    widen = offer.locator("form[action$='/widen']")
    with page.expect_response(lambda answer: answer.url.endswith("/widen")) as answer:
        widen.get_by_role("button").click()
    assert answer.value.status == 303  # not the edit form's 409
    expect(page).to_have_url(referral_url)
    expect(page.locator(".state")).to_have_text(state)  # still waiting for an offer, now in the whole region
    expect(offer.locator("input[name=supervisor_id]").first).to_be_visible()
    expect(offer.locator("form[action$='/widen']")).to_have_count(0)
    assert_accessible_at_both_widths(page)


def test_withdrawing_a_consent_needs_the_box_ticked(page, served):
    app, portal = served
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    register_a_participant(page, portal, free_number(app), ("Tove", "Lund"))
    record_consent(page)
    withdraw = page.locator("form[action*='/consents/']")
    box = withdraw.locator("input[type=checkbox]")
    withdraw.locator("button[type=submit]").click()
    assert box.evaluate("box => box.validity.valueMissing")  # the browser asks first (no script needed)
    expect(page.locator("form[action*='/consents/']")).to_have_count(1)  # nothing happened

    withdraw.evaluate("form => { form.noValidate = true }")  # a browser that does not check: the portal does
    withdraw.locator("button[type=submit]").click()
    withdraw = page.locator("form[action*='/consents/']")
    expect(withdraw.locator(".error").last).to_be_visible()
    expect(withdraw.locator("input[type=checkbox][aria-invalid=true]")).to_have_count(1)  # the error is at the box
    assert_accessible_at_both_widths(page)
    withdraw.locator("input[type=date]").fill(local_today().isoformat())
    withdraw.locator("input[type=checkbox]").check()
    withdraw.locator("button[type=submit]").click()
    expect(page.locator("form[action*='/consents/']")).to_have_count(0)  # withdrawn: nothing left to withdraw
    expect(page.locator("section[aria-labelledby=consent-heading] strong")).to_be_visible()


def switch_form(page, change: str):
    return page.locator(f"form[action='/admin/plugins/fyrbodal/fyrbodal/{change}']")


def test_fyrbodals_required_note_is_answered_at_its_field_and_turning_it_off_is_asked_first(page, served):
    app, portal = served
    sign_in(page, portal, portal.logins["admin"], portal.password)
    page.goto(f"{portal.url}/admin/plugins")
    switch_form(page, "enable").locator("button").click()  # made for Fyrbodal: no question
    expect(switch_form(page, "disable")).to_have_count(1)
    sign_out(page)

    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    register_a_participant(page, portal, free_number(app), ("Ida", "Berg"))
    referral_url = consent_and_submit_a_referral(page, choices=("cooperation_team",))  # Fyrbodal's question
    sign_out(page)

    sign_in(page, portal, portal.logins["coordinator"], portal.password)
    work = page.locator(f"#main a[href='{referral_url.removeprefix(portal.url)}']")  # point 4: a work list, not a count
    expect(work.first).to_be_visible()
    assert_accessible_at_both_widths(page)
    work.first.click()
    expect(page).to_have_url(referral_url)
    state = page.locator(".state").inner_text()
    give_back = page.locator("form[action$='/act/return']")
    note = give_back.locator("#return-note")
    expect(give_back.locator("label[for=return-note]")).not_to_contain_text("frivillig")  # not "(optional)"
    expect(note).to_have_attribute("required", "")  # but required, in words and for the browser
    give_back.locator("button[type=submit]").click()
    give_back = page.locator("form[action$='/act/return']")
    expect(give_back.locator("#return-note-error")).to_be_visible()  # the error is at the field
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".state")).to_have_text(state)  # nothing happened
    assert_accessible_at_both_widths(page)
    note.fill("Fyll i kontaktperson.")
    give_back.locator("button[type=submit]").click()
    expect(page.locator(".state")).not_to_have_text(state)
    expect(page.locator(".timeline")).to_contain_text("Fyll i kontaktperson.")
    sign_out(page)

    sign_in(page, portal, portal.logins["admin"], portal.password)
    page.goto(f"{portal.url}/admin/plugins")
    switch_form(page, "disable").locator("button").click()
    expect(page.get_by_role("alert")).to_be_visible()  # asked first, on a page of its own
    expect(page.locator("input[type=hidden][name=confirm]")).to_have_count(1)
    assert_accessible_at_both_widths(page)
    page.locator("main form a[href='/admin/plugins']").click()  # cancel: still on
    expect(switch_form(page, "disable")).to_have_count(1)
    switch_form(page, "disable").locator("button").click()
    page.locator("main form button[type=submit]").click()
    expect(switch_form(page, "enable")).to_have_count(1)
    assert_accessible_at_both_widths(page)
