"""The interface as a person meets it: a real headless Chromium against a served portal.

Signs in as each demo user, switches language, checks accessibility with axe and the
keyboard path in. The interface is what is under test here, so SQLite is enough.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# As root, without the sandbox; no calls home, which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

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

    def __init__(self, url: str, logins: dict[str, str], password: str, free_number: str):
        self.url = url
        self.logins = logins
        self.password = password
        self.free_number = free_number  # a test personnummer no demo participant has


def _read_whole(app):
    """`app` with each response read whole and closed before it is sent. Werkzeug's
    development server skips a response's `close()` when the browser drops the connection
    in the middle of it (its clean-up reads the dropped socket first, and that raises): a
    static file Chromium stopped loading was left open, and its ResourceWarning failed
    whichever test the garbage collector found it in."""

    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return serve


@contextmanager
def served_demo(folder: Path, **settings):
    """The demo portal served from `folder` on a free port, with `settings` added: (app, Portal)."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from portal import create_app
    from portal.demo import data as demo
    from portal.extensions import db

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "browser-test-secret-key",
            "DATA_KEY": Fernet.generate_key().decode(),
            "REQUIRE_TWO_FACTOR": False,  # as in `portal demo`; tests/accounts/test_browser_accounts.py turns it on
            **settings,
        }
    )
    with app.app_context():
        upgrade()
        logins = demo.load(db.session, app.extensions["portal.vault"])
        db.session.commit()
        (free_number,) = demo.free_test_numbers(db.session, app.extensions["portal.vault"], count=1)
        db.session.remove()

    server = make_server("127.0.0.1", 0, _read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, Portal(f"http://127.0.0.1:{server.server_port}", logins, demo.DEMO_PASSWORD, free_number)
    server.shutdown()
    thread.join()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with served_demo(tmp_path_factory.mktemp("browser")) as (_app, served):
        yield served


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


# WCAG 2.0, 2.1 and 2.2 A and AA (2.2's target size is off in axe unless asked for by its
# tag), and axe's best practices, which its default run has too.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE_WIDTH = 320  # WCAG 1.4.10: content reflows without scrolling sideways at 320 CSS px


def assert_no_accessibility_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_accessible_at_both_widths(page) -> None:
    """axe with the WCAG 2.1 and 2.2 AA rules finds nothing at desktop width and at 320 px,
    and at 320 px the page does not scroll sideways (its tables scroll in their own region)."""
    from axe_playwright_python.sync_playwright import Axe

    for width in (1280, PHONE_WIDTH):
        page.set_viewport_size({"width": width, "height": 900})
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        assert results.violations_count == 0, f"{page.url} at {width} px\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, f"{page.url} scrolls sideways"
    page.set_viewport_size({"width": 1280, "height": 900})


def register_a_participant(page, portal, number: str, name: tuple[str, str], municipality: str = "Trollhättan") -> None:
    """Signed in as a caseworker: registers a woman living in `municipality`. Ends on her page."""
    first_name, last_name = name
    page.goto(f"{portal.url}/participants/new")
    page.get_by_label("Personnummer").fill(number)
    page.get_by_label("Förnamn").fill(first_name)
    page.get_by_label("Efternamn").fill(last_name)
    page.get_by_label("Hemkommun").select_option(label=municipality)
    page.get_by_label("Kvinna").check()
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{first_name} {last_name}")


def record_consent(page) -> None:
    """On a participant's page: written consent to referral and placement."""
    page.get_by_label("Remiss och placering").check()
    page.get_by_label("Skriftligt").check()
    page.get_by_role("button", name="Registrera samtycke").click()


def draft_a_referral(page, choices: tuple[str, ...] = ()) -> str:
    """On a participant's page: saves a draft referral, with the first option of each named
    choice a region's plugin adds (e.g. "cooperation_team"); returns its address."""
    page.get_by_role("link", name="Skriv en remiss").click()
    page.get_by_label("Mål med placeringen").fill("Arbetsträning i kafé.")
    page.get_by_label("Timmar per vecka").fill("20")
    for name in choices:
        page.locator(f"input[type=radio][name$='{name}']").first.check()
    page.get_by_role("button", name="Spara utkastet").click()
    return page.url


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


def sign_out(page) -> None:
    page.get_by_role("button", name="Logga ut").click()


def write_plan_send_back_and_approve(page, portal, referral_url) -> None:
    """From the referral page, signed in as its supervisor: the plan is refused without a
    goal, drafted and sent; the caseworker sends it back with a comment; the supervisor
    changes it; the caseworker approves it. Ends on the referral page as the supervisor."""
    page.get_by_role("link", name="Genomförandeplanen").click()
    page.get_by_label("Mål", exact=True).fill("")
    page.get_by_label("Aktiviteter").fill("Servering och disk i kaféet")
    page.get_by_role("button", name="Skicka till handläggaren för godkännande").click()
    expect(page.get_by_text("Skriv minst ett mål, ett per rad.")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Mål", exact=True).fill("Arbeta fyra timmar om dagen")
    page.get_by_role("button", name="Skicka till handläggaren för godkännande").click()
    expect(page.get_by_text("Väntar på godkännande")).to_be_visible()
    plan_url = page.url
    sign_out(page)
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    page.goto(plan_url)
    page.get_by_label("Kommentar").fill("Lägg till ett mål om resor.")
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Skicka tillbaka till handledaren").click()
    expect(page.get_by_text("Planen har skickats tillbaka.")).to_be_visible()
    sign_out(page)
    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    page.goto(plan_url)
    expect(page.get_by_text("Lägg till ett mål om resor.")).to_be_visible()
    page.get_by_label("Mål", exact=True).fill("Arbeta fyra timmar om dagen\nResa själv med buss")
    page.get_by_role("button", name="Skicka till handläggaren för godkännande").click()
    sign_out(page)
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    page.goto(plan_url)
    page.get_by_role("button", name="Godkänn planen").click()
    expect(page.get_by_role("heading", name=re.compile("Version 2"))).to_contain_text("Godkänd")
    assert_no_accessibility_violations(page)
    sign_out(page)
    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    page.goto(referral_url)


def write_the_end_report(page, referral_url) -> None:
    """From the referral page, as its supervisor: the end report is refused without the
    goals' results, then written. Ends on the referral page."""
    page.get_by_role("link", name="Slutrapporten").click()
    page.get_by_role("button", name="Spara slutrapporten").click()
    expect(page.get_by_text("Ange om målet uppnåddes.").first).to_be_visible()
    assert_no_accessibility_violations(page)
    for goal in ("Arbeta fyra timmar om dagen", "Resa själv med buss"):
        page.get_by_role("group", name=goal).get_by_label("Uppnått", exact=True).check()
    page.get_by_label("Vad personen kan göra nu").fill("Arbetar självständigt i kaféet.")
    page.get_by_label("Arbete", exact=True).check()
    page.get_by_label("Resultat vid avslut").select_option(label="I arbete")
    page.get_by_role("button", name="Spara slutrapporten").click()
    expect(page.get_by_text("Slutrapporten har sparats.")).to_be_visible()
    assert_no_accessibility_violations(page)
    page.goto(referral_url)


def test_a_referral_goes_round_the_whole_loop_in_the_browser(page, portal):
    """A caseworker registers a person, records consent, writes and submits a referral and
    offers it; the supervisor accepts, and the caseworker is told. Every page on the way is
    checked with axe. The placement from there on (plan, meetings, attendance, reports,
    messages, end report, completion) is tests/follow_up/test_follow_up_browser.py."""
    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    page.get_by_role("link", name="Registrera en deltagare").click()
    page.get_by_role("button", name="Registrera").click()  # empty form: field messages
    expect(page.get_by_text("Skriv namnet.").first).to_be_visible()
    assert_no_accessibility_violations(page)
    page.get_by_label("Personnummer").fill(portal.free_number)
    page.get_by_label("Förnamn").fill("Sara")
    page.get_by_label("Efternamn").fill("Lind")
    page.get_by_label("Hemkommun").select_option(label="Trollhättan")
    page.get_by_label("Kvinna").check()
    page.get_by_label("Psykisk ohälsa").check()
    page.get_by_label("Kafé och restaurang").check()
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sara Lind")
    assert portal.free_number[-4:] not in page.url
    assert_no_accessibility_violations(page)

    page.get_by_label("Remiss och placering").check()
    page.get_by_label("Skriftligt").check()
    page.get_by_role("button", name="Registrera samtycke").click()
    page.get_by_role("link", name="Skriv en remiss").click()
    page.get_by_label("Mål med placeringen").fill("Arbetsträning i kafé, på sikt anställning.")
    page.get_by_label("Timmar per vecka").fill("20")
    page.get_by_role("button", name="Spara utkastet").click()
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator(".state")).to_have_text("Matchning")
    assert_no_accessibility_violations(page)
    page.get_by_label(re.compile("Kooperativet Älvstranden")).check()
    page.get_by_role("button", name="Skicka erbjudandet").click()
    expect(page.locator(".state")).to_have_text("Erbjuden")
    referral_url = page.url
    sign_out(page)

    sign_in(page, portal, portal.logins["supervisor"], portal.password)
    page.get_by_role("link", name="Sara").first.click()
    expect(page.get_by_role("heading", name="Ditt svar")).to_be_visible()
    assert "Lind" not in page.content() and portal.free_number[:8] not in page.content()
    assert_no_accessibility_violations(page)
    page.get_by_role("button", name="Acceptera").click()
    expect(page.locator(".state")).to_have_text("Accepterad")
    assert page.url == referral_url
    timeline = page.locator(".timeline")
    for step in (  # events as they happened, not the commands that made them (issue 12, point 11)
        "Skapad",
        "Inskickad",
        "Matchning påbörjad",
        "Erbjuden till en handledare",
        "Erbjudandet antaget",
    ):
        expect(timeline).to_contain_text(step)
    assert_no_accessibility_violations(page)
    sign_out(page)

    sign_in(page, portal, portal.logins["caseworker"], portal.password)
    page.get_by_role("link", name=re.compile(r"Notiser")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notiser")
    expect(page.locator("main")).to_contain_text("antaget")
    assert_no_accessibility_violations(page)
