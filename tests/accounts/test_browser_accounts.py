"""People and accounts in a real Chromium, with axe on every new page: an admin invites a
caseworker (the mail is read from a real SMTP server, its link sets the password, they
sign in), a user resets a forgotten password, a coordinator turns on two-factor sign-in
and signs in with a code; and the lists, people, authority and audit pages pass axe."""

from __future__ import annotations

import re
import time

import browser_mail
import pyotp
import pytest
from browser_mail import NEW_PASSWORD, choose_password, deliver
from playwright.sync_api import expect
from test_browser import assert_no_accessibility_violations, sign_in

pytestmark = pytest.mark.browser

mail_server, served = browser_mail.mail_server, browser_mail.served  # the demo portal with real SMTP


def test_an_admin_invites_a_caseworker_who_chooses_a_password_and_signs_in(page, served, mail_server):
    app, portal = served
    sign_in(page, portal, portal.logins["admin"], portal.password)
    for path in ("/admin/users", "/admin/authorities", "/audit", "/referrals", "/participants", "/account"):
        page.goto(portal.url + path)
        assert_no_accessibility_violations(page)
    page.goto(portal.url + "/admin/users/invite")
    assert_no_accessibility_violations(page)
    page.get_by_label("Namn").fill("Nora Nyström")
    page.get_by_label("E-postadress").fill("nora.nystrom@example.se")
    page.get_by_label("Roll").select_option("caseworker")
    page.get_by_label("Myndighet").select_option(index=1)
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nora Nyström")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Logga ut").click()

    link = deliver(app, mail_server)
    assert mail_server.inbox.messages[-1]["To"] == "nora.nystrom@example.se"
    choose_password(page, portal.url + link)
    sign_in(page, portal, "nora.nystrom@example.se", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina remisser")
    page.goto(portal.url + link)
    expect(page.get_by_role("alert")).to_contain_text("redan använts")


def test_a_user_resets_a_forgotten_password(page, served, mail_server):
    app, portal = served
    page.goto(portal.url + "/sign-in")
    page.get_by_role("link", name="Glömt ditt lösenord?").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("E-postadress").fill(portal.logins["supervisor"])
    page.get_by_role("button", name="Skicka länken").click()
    expect(page.get_by_role("status")).to_contain_text("Om adressen hör till ett konto")
    assert_no_accessibility_violations(page)
    choose_password(page, portal.url + deliver(app, mail_server))
    sign_in(page, portal, portal.logins["supervisor"], NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina erbjudanden och placeringar")


def test_a_coordinator_turns_on_two_factor_sign_in_and_signs_in_with_a_code(page, served):
    _app, portal = served
    sign_in(page, portal, portal.logins["coordinator"], portal.password)
    page.goto(portal.url + "/account")
    page.get_by_role("link", name="Slå på tvåstegsinloggning").click()
    assert_no_accessibility_violations(page)
    secret = page.locator("#totp-key").inner_text()
    page.get_by_label("Kod från appen").fill("000000")
    page.get_by_role("button", name="Slå på").click()
    expect(page.locator(".field-invalid .error")).to_contain_text("Koden är fel")
    secret = page.locator("#totp-key").inner_text()  # a wrong code shows the same key again
    page.get_by_label("Kod från appen").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Slå på").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsinloggning är på")
    assert len(re.findall(r"[0-9a-f]{8}-[0-9a-f]{8}", page.locator(".recovery-codes").inner_text())) == 10
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Logga ut").click()

    sign_in(page, portal, portal.logins["coordinator"], portal.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kod från din app")
    assert_no_accessibility_violations(page)
    page.get_by_label("Kod från appen").fill(pyotp.TOTP(secret).at(time.time() + 30))  # now's turned it on
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Översikt")
