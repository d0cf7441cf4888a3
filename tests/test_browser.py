"""The interface as a person meets it: a real headless Chromium against a served portal.

Signs in as each demo user, switches language, checks accessibility with axe and the
keyboard path in. The interface is what is under test here, so SQLite is enough.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# As root, without the sandbox; no calls home, which this machine's closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# Each role's landing-page heading: (Swedish, English).
HEADINGS = {
    "caseworker": ("Mina remisser", "My referrals"),
    "supervisor": ("Mina erbjudanden och placeringar", "My offers and placements"),
    "coordinator": (re.compile(r"^Översikt: \w"), re.compile(r"^Regional overview: \w")),
    "admin": ("Administration", "Administration"),
}
ROLES = tuple(HEADINGS)


class Portal:
    """A served portal with demo data: its address, the demo logins and their password."""

    def __init__(self, url: str, logins: dict[str, str], password: str):
        self.url = url
        self.logins = logins
        self.password = password


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from portal import create_app
    from portal.domain import demo
    from portal.extensions import db

    folder = tmp_path_factory.mktemp("browser")
    app = create_app({
        "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        "INSTANCE_PATH": str(folder / "instance"),
        "SECRET_KEY": "browser-test-secret-key",
        "DATA_KEY": Fernet.generate_key().decode(),
    })
    with app.app_context():
        upgrade()
        logins = demo.load(db.session, app.extensions["portal.vault"])
        db.session.commit()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Portal(f"http://127.0.0.1:{server.server_port}", logins, demo.DEMO_PASSWORD)
    server.shutdown()
    thread.join()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (scripts/ensure-test-services installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page in a context of its own: no cookies from other tests."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def sign_in(page, portal: Portal, email: str, password: str) -> None:
    page.goto(f"{portal.url}/sign-in")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def assert_no_accessibility_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_to_its_own_page_in_swedish_then_english(page, portal, role):
    swedish, english = HEADINGS[role]
    heading = page.get_by_role("heading", level=1)

    sign_in(page, portal, portal.logins[role], portal.password)
    expect(page).to_have_url(f"{portal.url}/")
    expect(heading).to_have_text(swedish)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading).to_have_text(english)

    page.get_by_role("button", name="Svenska").click()  # leave the demo user as it was
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(f"{portal.url}/sign-in")
    expect(heading).to_have_text("Logga in")


def test_wrong_password_shows_the_error_in_swedish(page, portal):
    sign_in(page, portal, portal.logins["caseworker"], "not the password at all")

    expect(page.get_by_role("alert")).to_have_text("Fel e-postadress eller lösenord.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_sign_in_page_has_no_accessibility_violations(page, portal):
    page.goto(f"{portal.url}/sign-in")

    assert_no_accessibility_violations(page)


def test_sign_in_page_with_field_errors_has_no_accessibility_violations(page, portal):
    page.goto(f"{portal.url}/sign-in")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_be_visible()

    assert_no_accessibility_violations(page)


@pytest.mark.parametrize("role", ROLES)
def test_landing_page_has_no_accessibility_violations(page, portal, role):
    sign_in(page, portal, portal.logins[role], portal.password)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[role][0])

    assert_no_accessibility_violations(page)


def test_first_tab_focuses_the_skip_link_which_moves_focus_to_the_main_content(page, portal):
    page.goto(f"{portal.url}/sign-in")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip_link).to_be_focused()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
