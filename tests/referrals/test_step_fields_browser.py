"""A step's own fields (`Transition.fields`) in a real browser: the form asks for them,
a missing date is answered at its field with the rest of the input kept, and the
timeline shows the answers; axe (WCAG 2.1 and 2.2 AA) checks each page at desktop
width and at 320 px."""

from __future__ import annotations

import re
import threading

import pytest
import test_browser
from playwright.sync_api import expect
from referrals.test_step_fields import app, in_review  # noqa: F401 (fixtures: the review plugin's portal)
from test_browser import assert_accessible_at_both_widths

from portal.testing import PASSWORD

browser, page = test_browser.browser, test_browser.page

pytestmark = pytest.mark.browser


@pytest.fixture
def live(app):  # noqa: F811
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_the_step_asks_for_its_fields_answers_at_them_and_the_timeline_shows_them(
    page,
    live,
    session,
    world,
    in_review,  # noqa: F811
):
    page.goto(f"{live}/sign-in")
    page.get_by_label("E-postadress").fill(world.coordinator.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{live}/referrals/{in_review.id}")

    approve = page.locator("form[action$='/act/approve']")
    approve.get_by_label("Priority").select_option("high")
    approve.get_by_label("Hours a week").fill("12")
    approve.get_by_label(re.compile("Anteckning")).fill("Brådskande")
    approve.locator("button[type=submit]").click()
    approve = page.locator("form[action$='/act/approve']")
    expect(approve.locator("#approve-reviewed_on-error")).to_have_text("Besvara frågan.")
    expect(approve.get_by_label("Date of the review")).to_have_attribute("aria-invalid", "true")
    expect(approve.get_by_label("Priority")).to_have_value("high")  # the input is kept
    expect(approve.get_by_label(re.compile("Anteckning"))).to_have_value("Brådskande")
    assert_accessible_at_both_widths(page)

    approve.get_by_label("Date of the review").fill("2099-01-02")
    approve.locator("button[type=submit]").click()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Date of the review")
    expect(timeline).to_contain_text("2 jan. 2099")
    assert_accessible_at_both_widths(page)
