"""The directory and the training registry in a real browser, as the demo coordinator
meets them: a cooperative added, a supervisor invited (the invitation read from a real
SMTP server, its link sets the password, the new supervisor signs in), a cohort recorded
with its modules put in order, attendance and completion of every module, the
supervisor certified, and then offered on a match page. Axe checks every new page.
The coordinator's sentences are checked in English."""

from __future__ import annotations

from datetime import timedelta

import browser_mail
import pytest
import test_browser
from browser_mail import NEW_PASSWORD, choose_password, deliver
from matching.test_match_browser import open_a_ranking
from playwright.sync_api import expect
from test_browser import assert_no_accessibility_violations, sign_in

from portal.domain.calendar import local_today

browser, page = test_browser.browser, test_browser.page
mail_server, served = browser_mail.mail_server, browser_mail.served  # the demo portal with real SMTP

pytestmark = pytest.mark.browser

NAME = "Tove Testsson"
EMAIL = "tove.testsson@example.se"
COOPERATIVE = "Lysekils Djurgård"
MODULES = (("Bemötande och förhållningssätt", "8"), ("Arbetsmiljö", "6"))


def as_coordinator_in_english(page, portal) -> None:
    sign_in(page, portal, portal.logins["coordinator"], portal.password)
    page.get_by_role("button", name="English").click()


def add_a_cooperative(page, portal) -> None:
    page.goto(f"{portal.url}/directory/cooperatives")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Add a cooperative").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Name", exact=True).fill(COOPERATIVE)
    page.get_by_label("Organisation number").fill("769612-3450")
    page.get_by_label("Municipality").select_option(label="Lysekil")
    page.get_by_label("Animal care").check()
    page.get_by_label("Step-free access").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#organisation_number-error")).to_contain_text("check digit")
    assert_no_accessibility_violations(page)
    page.get_by_label("Organisation number").fill("769612-3459")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("table")).to_contain_text(COOPERATIVE)
    assert_no_accessibility_violations(page)


def invite_a_supervisor(page, portal) -> None:
    page.goto(f"{portal.url}/directory/supervisors")
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Invite a supervisor").click()
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Cooperative").select_option(label=COOPERATIVE)
    page.get_by_label("Capacity").fill("0")
    served = page.get_by_role("group", name="Municipalities served")
    for box in served.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("group", name="Languages").get_by_label("Swedish", exact=True).check()
    page.get_by_role("button", name="Invite").click()
    expect(page.locator("#capacity-error")).to_contain_text("from 1 to 10")
    assert_no_accessibility_violations(page)
    page.get_by_label("Capacity").fill("2")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("table")).to_contain_text(NAME)
    page.get_by_role("button", name="Svenska").click()  # leave the demo user as it was
    page.get_by_role("button", name="Logga ut").click()


def the_supervisor_accepts_the_invitation(page, app, portal, mail_server) -> None:
    link = deliver(app, mail_server)
    assert mail_server.inbox.messages[-1]["To"] == EMAIL
    choose_password(page, portal.url + link)
    sign_in(page, portal, EMAIL, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina erbjudanden och placeringar")
    page.get_by_role("link", name="Min profil").click()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Logga ut").click()


def train_and_certify(page, portal) -> None:
    page.goto(f"{portal.url}/training/cohorts")
    expect(page.get_by_role("heading", name="Towards 26 trained supervisors")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_role("link", name="Record a cohort").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Name").fill("Handledarutbildning Fyrbodal, testomgång")
    page.get_by_label("First day").fill((local_today() - timedelta(days=30)).isoformat())
    page.get_by_label("Last day").fill((local_today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save").click()
    for title, hours in reversed(MODULES):  # added in the wrong order, then put right
        page.get_by_label("Module", exact=True).fill(title)
        page.get_by_label("Hours", exact=True).fill(hours)
        page.get_by_role("button", name="Add the module").click()
    page.get_by_role("button", name=f"Move {MODULES[0][0]} up").click()
    expect(page.locator(".notice-success")).to_contain_text(f"{MODULES[0][0]} is now number 1")
    expect(page.get_by_role("table").first.locator("tbody tr").first).to_contain_text(MODULES[0][0])
    page.get_by_label("Person to enrol").select_option(label=NAME)
    page.get_by_role("button", name="Enrol").click()
    assert_no_accessibility_violations(page)
    for title, _hours in MODULES:
        page.get_by_role("link", name=f"Record for {title}").click()
        assert_no_accessibility_violations(page)
        page.get_by_label(f"{NAME} attended").check()
        page.get_by_label(f"{NAME} completed").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".notice-success")).to_contain_text("Attendance and completion have been saved")
    page.get_by_role("link", name=f"Certify {NAME}").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Grounds for the decision").fill("Alla moment genomförda, god närvaro.")
    page.get_by_role("button", name="Certify", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=NAME)).to_contain_text("Certified on")
    page.get_by_role("button", name="Svenska").click()  # leave the demo user as it was
    page.get_by_role("button", name="Logga ut").click()


def test_a_coordinator_brings_a_new_supervisor_from_the_directory_through_training_to_a_match(
    page, served, mail_server
):
    app, portal = served
    as_coordinator_in_english(page, portal)
    add_a_cooperative(page, portal)
    invite_a_supervisor(page, portal)
    the_supervisor_accepts_the_invitation(page, app, portal, mail_server)
    as_coordinator_in_english(page, portal)
    train_and_certify(page, portal)

    open_a_ranking(page, portal)
    page.get_by_label("The cooperative's municipality").select_option(label="Lysekil")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.ranking")).to_contain_text(NAME)
    page.get_by_role("button", name="Svenska").click()


def test_a_supervisor_pauses_from_their_profile_page(page, served):
    _app, portal = served
    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="My profile").click()
    assert_no_accessibility_violations(page)
    page.get_by_label("Takes no offers up to and including").fill((local_today() - timedelta(days=1)).isoformat())
    page.get_by_label("Reason").fill("Semester")
    page.get_by_role("button", name="Pause offers").click()
    expect(page.locator("#until-error")).to_contain_text("cannot end in the past")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Svenska").click()
