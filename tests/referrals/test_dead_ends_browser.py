"""No dead ends, in a real browser (issue 12, points 1, 3, 4 and 6): a referral nobody can
take says why and is widened to the whole region from the referral page while it waits
(no 409 on the way); a referral in Fyrbodal's review is linked from the coordinator's home
page; the note Fyrbodal's "return" step requires is marked required and an empty one is
answered at its field; withdrawing a consent or a referral, completing or discontinuing
a placement and turning a plugin off in a region are asked about first, without
JavaScript (completing is walked whole in tests/follow_up/test_follow_up_browser.py). axe (WCAG 2.1 and 2.2 AA) checks
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


def refused_until_the_box_is_ticked(page, selector: str) -> None:
    """The form at `selector`, sent with its confirmation box empty and without the
    browser's own check (no script needed either way), is answered at the box and nothing
    happens. axe checks the page with the error."""
    state = page.locator(".state").all_inner_texts()
    form = page.locator(selector)
    form.evaluate("form => { form.noValidate = true }")  # a browser that does not check: the portal does
    form.locator("button[type=submit]").click()
    form = page.locator(selector)
    expect(form.locator(".error").last).to_be_visible()
    expect(form.locator("input[type=checkbox][aria-invalid=true]")).to_have_count(1)  # the error is at the box
    assert page.locator(".state").all_inner_texts() == state  # nothing happened
    assert_accessible_at_both_widths(page)


def test_withdrawing_a_consent_needs_the_box_ticked(page, served):
    app, portal = served
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    register_a_participant(page, portal, free_number(app), ("Tove", "Lund"))
    record_consent(page)
    withdraw = page.locator("form[action*='/consents/']")
    withdraw.locator("button[type=submit]").click()
    assert withdraw.locator("input[type=checkbox]").evaluate("box => box.validity.valueMissing")  # the browser asks
    expect(page.locator("form[action*='/consents/']")).to_have_count(1)  # nothing happened
    refused_until_the_box_is_ticked(page, "form[action*='/consents/']")
    withdraw = page.locator("form[action*='/consents/']")
    withdraw.locator("input[type=date]").fill(local_today().isoformat())
    withdraw.locator("input[type=checkbox]").check()
    withdraw.locator("button[type=submit]").click()
    expect(page.locator("form[action*='/consents/']")).to_have_count(0)  # withdrawn: nothing left to withdraw
    expect(page.locator("section[aria-labelledby=consent-heading] strong")).to_be_visible()


def test_withdrawing_a_referral_needs_the_box_ticked(page, served):
    app, portal = served
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    register_a_participant(page, portal, free_number(app), ("Alva", "Holm"))
    referral_url = consent_and_submit_a_referral(page)
    refused_until_the_box_is_ticked(page, "form[action$='/act/withdraw']")
    withdraw = page.locator("form[action$='/act/withdraw']")
    withdraw.locator("input[type=checkbox]").check()
    withdraw.locator("button[type=submit]").click()
    expect(page).to_have_url(referral_url)
    expect(page.locator(".state")).to_have_text("Återtagen")
    expect(page.locator("form[action$='/act/withdraw']")).to_have_count(0)
    assert_accessible_at_both_widths(page)


def a_running_placement(app, portal) -> str:
    """The address of a demo referral whose placement runs, supervised by the demo supervisor."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Placement, Referral, Supervisor, User

    with app.app_context():
        number = db.session.scalar(
            select(Referral.id)
            .join(Placement, Placement.referral_id == Referral.id)
            .join(Supervisor, Supervisor.id == Placement.supervisor_id)
            .join(User, User.id == Supervisor.user_id)
            .where(User.email == portal.logins["supervisor"], Referral.state == "active")
            .order_by(Referral.id)
        )
        db.session.remove()
    assert number, "the demo supervisor has no running placement: the demo changed"
    return f"{portal.url}/referrals/{number}"


def test_ending_a_placement_needs_the_box_ticked_and_discontinuing_asks_for_the_end_date(page, served):
    app, portal = served
    referral_url = a_running_placement(app, portal)
    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    page.goto(referral_url)
    page.locator("form[action$='/act/discontinue'] a[href$='/end-report']").click()  # the end report comes first
    for group in page.locator("main form fieldset").all():
        group.locator("input[type=radio]").first.check()
    page.locator("main form textarea").first.fill("Klarar enklare uppgifter på egen hand.")
    page.locator("main form select").first.select_option(index=1)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#report-heading")).to_be_visible()
    page.goto(referral_url)

    expect(page.locator("form[action$='/act/complete'] input[type=checkbox][required]")).to_have_count(1)
    discontinue = "form[action$='/act/discontinue']"
    page.locator(f"{discontinue} input[type=date]").fill(local_today().isoformat())
    refused_until_the_box_is_ticked(page, discontinue)
    form = page.locator(discontinue)
    form.locator("input[type=date]").fill("2000-01-01")  # before the start: refused at the field
    form.locator("input[type=checkbox]").check()
    form.locator("button[type=submit]").click()
    form = page.locator(discontinue)
    expect(form.locator("input[type=date][aria-invalid=true]")).to_have_count(1)
    expect(page.locator(".state")).to_have_text("Placering pågår")
    assert_accessible_at_both_widths(page)
    form.locator("input[type=date]").fill(local_today().isoformat())
    form.locator("input[type=checkbox]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".state")).to_have_text("Avbruten")
    expect(page.locator("section[aria-labelledby=placement-heading] dt", has_text="Slut")).to_be_visible()
    assert_accessible_at_both_widths(page)


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
