"""Removing a registration made by mistake in a real browser: the caseworker registers a
person with a draft, forgets the box (the error at the box), removes them, is taken to
the list with a message, and registers the person again. axe (WCAG 2.1 and 2.2 AA)
checks the participant page with the form and with its error, at both widths."""

from __future__ import annotations

import pytest
import test_browser as ui
from playwright.sync_api import expect

browser, page, portal = ui.browser, ui.page, ui.portal  # the demo portal's fixtures

pytestmark = pytest.mark.browser


def test_a_caseworker_removes_a_mistaken_registration_and_registers_again(page, portal):
    ui.sign_in(page, portal, portal.logins["caseworker"], portal.password)
    ui.register_a_participant(page, portal, portal.free_number, ("Fel", "Nummersson"))
    ui.record_consent(page)
    ui.draft_a_referral(page)
    page.get_by_role("link", name="Fel Nummersson").first.click()
    expect(page.get_by_role("heading", name="Registrerad av misstag?")).to_be_visible()
    ui.assert_accessible_at_both_widths(page)

    page.get_by_role("button", name="Ta bort registreringen").click()
    expect(page.get_by_text("Kryssa i rutan för att bekräfta.")).to_be_visible()
    ui.assert_accessible_at_both_widths(page)

    page.get_by_label("Ja, ta bort registreringen: personen registrerades av misstag.").check()
    page.get_by_role("button", name="Ta bort registreringen").click()
    expect(page.get_by_text("Registreringen har tagits bort.")).to_be_visible()
    assert page.url.endswith("/participants")
    expect(page.get_by_text("Fel Nummersson")).to_have_count(0)

    ui.register_a_participant(page, portal, portal.free_number, ("Rätt", "Nummersson"))
