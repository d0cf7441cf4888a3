"""Words: every template, in Swedish and in English, speaks its page's language, and the
timeline tells what happened, in the past tense, not the command that did it.

In each language the portal is the demo's (each regional plugin on in its region, as
`make demo` shows it, and one meeting booked, which the demo has none of). The walk signs
in as each demo login, follows every link of the portal's own from the home page, then
sends each form page it found empty (the forms' errors). Then what no link reaches:
the pages before signing in (a wrong password, a forgotten one, choosing a password from
the mail's link, two-factor sign-in and its recovery codes), a new account's empty pages,
a plugin change to confirm and one refused, and the error pages (404, 403, 405, 409, and
400, 429, 500 and 503 from a page of the test's own that fails the way the database or the
server can). The mails are read too: every notification, and each mail the run sent
with what a calendar shows of its invitation.

Each page's visible text is read: text nodes and the attributes people hear or see
(`aria-label`, `title`, `placeholder`, `alt`), leaving out what is marked as another
language (`lang`), code and scripts. A Swedish page must hold none of a list of common
English words, an English page none of common Swedish ones. Names (of people,
cooperatives, places, and the demo's texts) are not in those lists, so they pass; so do
CSV, PDF, XLSX, ESF. Every template file of core and of the bundled plugins must have
been rendered (Flask's `template_rendered` names a page's template; what it extends,
includes or imports is rendered with it): a template added later that no walk reaches
fails the test by name until a step here reaches it.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import replace
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from flask import template_rendered
from flask_babel import force_locale
from flask_wtf.csrf import CSRFError
from jinja2 import meta
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, TooManyRequests

from portal.builtin.default_workflow import DEFAULT
from portal.demo import data as demo
from portal.demo import regions
from portal.domain.calendar import local_today
from portal.domain.notifications import inbox
from portal.models import Authority, Meeting, OutboxMessage, Placement, PlacementState, Referral, User
from portal.models.base import utcnow
from portal.testing.helpers import sign_in

# Words do not depend on the database: SQLite only, to keep the run short.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
ROOT = Path(__file__).parents[1]

# Common English words and the portal's own that are not Swedish words too ("in", "by",
# "all", "for", "plan", "plans", "start", "status", "region", "total", "fast", "be",
# "must", "sent", "last", "still", "just" are both, and "it" is Swedish IT: they pass).
ENGLISH = frozenset(
    """the and of to is not with your you this that these those are was were has have had
    from which what when where who will would should could can cannot there their them they
    page save cancel back next previous search edit delete remove add new show hide more
    less open yes none nothing here please sign password email referral referrals supervisor
    supervisors participant participants caseworker caseworkers coordinator coordinators
    report reports download upload settings account language home help list lists error
    required optional submit accept decline offer offers withdraw complete completed draft
    week weeks month months year years day days hours date name notes message messages
    workflow plugin plugins hook hooks about before after between without because only
    also than then each every any some other on at or an if no yet into out up down how why
    may our we us me its off see read write send change enter case cases meeting meetings
    training cohort placement placements authority authorities consent invite invited user users
    role active inactive cooperative cooperatives directory notification notifications unread
    code codes link links file files number municipality goal goals review approved approve
    returned reason outcome attendance absence statement progress started today tomorrow now
    first saved changed chosen choose""".split()
)
# Common Swedish words and the portal's own that are not English words too ("under",
# "fin", "dag", "man", "men", "vid", "in" pass).
SWEDISH = frozenset(
    """och att inte för med som är på av till har ett eller inga ingen inget sparad spara
    avbryt remiss remisser handledare handläggare deltagare samordnare sidan datum vecka
    månad veckor dagar timmar ladda ned visa sök ändra ta bort ny nytt nya ja nej vad vem
    när där här också bara efter innan utan mellan alla varje denna detta dessa hos om så kan
    ska får måste finns sedan genom mot över upp nu då samtycke placering placeringar kooperativ
    kommun anvisning möte möten närvaro frånvaro lägesrapport slutrapport utbildning notiser
    meddelanden lösenord logga skicka sparat godkänn orsak utfall mål planen delregion myndighet
    kvinna ålder""".split()
) - {"ta", "bort", "ned", "ny", "ja"}  # short enough to be parts of names
SKIPPED = ("/sign-out", "/static/", "/reports/run", "/export")
PAGES_PER_SHAPE = 2  # /referrals/12 and /referrals/13 are the same page with other data


class VisibleText(HTMLParser):
    """The text a person sees or hears in a page, outside other languages and code."""

    HIDDEN = {"script", "style", "code", "template", "noscript"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_lang = None
        self.stack: list[tuple[str, bool]] = []  # (tag, whether text inside is left out)
        self.parts: list[str] = []
        self.links: list[str] = []

    def _left_out(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_lang = attrs.get("lang")
            return
        lang = attrs.get("lang")
        left_out = self._left_out() or tag in self.HIDDEN or (lang is not None and lang != self.page_lang)
        if not left_out:
            self.parts.extend(attrs[name] for name in self.SPOKEN if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag not in ("br", "hr", "img", "input", "meta", "link", "wbr", "source", "col"):
            self.stack.append((tag, left_out))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._left_out():
            self.parts.append(data)


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


def demo_texts() -> list[str]:
    """What the demo's people wrote (goals, notes) and named (cooperatives, places): text
    of several words in the demo's modules, longest first. Data, not the interface's
    words, so it is taken out of a page before its words are counted."""
    found = set()
    for module in Path(demo.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip():
                found.add(node.value.strip())
    return sorted(found, key=len, reverse=True)


DEMO_TEXTS = demo_texts()


def words_of(text: str) -> set[str]:
    """The words of `text`, leaving out the demo's own texts, addresses and dotted names."""
    for written in DEMO_TEXTS:
        text = text.replace(written, " ")
    text = re.sub(r"\S*[@.]\w\S*", " ", text)
    return {word.lower() for word in re.findall(r"[^\W\d_]+", text)}


def in_context(text: str, word: str) -> str:
    """The word with some of the text around it, so that a failure says where it is."""
    at = re.search(rf"(?i)(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text)
    return text[max(at.start() - 30, 0) : at.end() + 30] if at else word


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


class Reading:
    """What one language's run read: the foreign words found, by place, and the
    templates Flask rendered."""

    def __init__(self, app, language: str):
        self.language = language
        self.foreign = ENGLISH if language == "sv" else SWEDISH
        self.found: dict[str, set[str]] = {}
        self.rendered: set[str] = set()
        template_rendered.connect(self._note, app)

    def _note(self, sender, template, context, **extra):
        self.rendered.add(template.name)

    def page(self, where: str, response) -> VisibleText | None:
        """Read an answer in HTML (not a redirect or a download): its words, and its links."""
        if response.mimetype != "text/html" or response.status_code in range(300, 400):
            return None
        page = read(response.get_data(as_text=True))
        assert page.page_lang == self.language, where
        self.text(where, " ".join(page.parts))
        return page

    def text(self, where: str, text: str) -> None:
        text = " ".join(text.split())
        odd = words_of(text) & self.foreign
        if odd:
            self.found.setdefault(where, set()).update(in_context(text, word) for word in sorted(odd))


def walk(client, reading: Reading, suffix: str = "", starts=("/", "/referrals")) -> list[str]:
    """Read every HTML page reachable by the portal's own links (noted with `suffix`); their paths."""
    queue, seen, shapes, visited = deque(starts), set(starts), {}, []
    while queue:
        path = queue.popleft()
        response = client.get(path)
        page = reading.page(path + suffix, response) if response.status_code == 200 else None
        if page is None:
            continue
        visited.append(path)
        for href in page.links:
            link = urlsplit(href)
            if link.netloc or not link.path.startswith("/") or link.path.startswith(SKIPPED):
                continue
            target = link.path + (f"?{link.query}" if link.query else "")
            key = shape(link.path)
            if target in seen or shapes.get(key, 0) >= PAGES_PER_SHAPE or link.query and link.path in seen:
                continue
            seen.add(target)
            shapes[key] = shapes.get(key, 0) + 1
            queue.append(target)
    return visited


def template_files() -> set[str]:
    """Every template of core (`templates/`) and of the bundled plugins
    (`plugins/*/portal_*/templates/`), by the name Jinja loads it under."""
    folders = [ROOT / "templates", *ROOT.glob("plugins/*/portal_*/templates")]
    return {path.relative_to(folder).as_posix() for folder in folders for path in folder.rglob("*") if path.is_file()}


def with_their_parts(env, names: set[str]) -> set[str]:
    """`names` and every template they extend, include or import, however deep."""
    found, todo = set(names), list(names)
    while todo:
        source = env.loader.get_source(env, todo.pop())[0]
        for name in meta.find_referenced_templates(env.parse(source)):
            if name is not None and name not in found:
                found.add(name)
                todo.append(name)
    return found


# What no request of the portal's own fails with on demand: the error pages they show.
FAILURES = {
    "database": lambda: OperationalError("SELECT 1", {}, ConnectionError("the database went away")),  # 503
    "server": InternalServerError,  # 500
    "expired-form": CSRFError,  # 400
    "too-many": TooManyRequests,  # 429
}


def fail(cause: str):
    raise FAILURES[cause]()


@pytest.fixture(params=["sv", "en"])
def language(request):
    return request.param


@pytest.fixture
def app(make_app, language):
    """The portal in `language` for whoever has not chosen one (signed out, new accounts
    and their mail), with the failing page of `FAILURES` added."""
    app = make_app(DEFAULT_LOCALE=language)
    app.add_url_rule("/words-test/fail/<cause>", "words_test_fail", fail)
    return app


@pytest.fixture
def demo_client(app, session, client):
    """A client on the demo's data, each regional plugin on in its own region."""
    workflows = [workflow.key for workflow in app.extensions["portal.engine"].registry]
    demo.load(session, app.extensions["portal.vault"], workflows=workflows)
    session.commit()
    for _enabled in regions.enable_regional_plugins(session, app.extensions["portal.plugins"]):
        session.commit()
    return client


def role_pages(client, session, reading: Reading, email: str) -> int:
    """Every page `email` reaches by links, then each form page sent empty; how many pages."""
    session.execute(update(User).where(User.email == email).values(locale=reading.language))
    session.commit()
    assert sign_in(client, email, demo.DEMO_PASSWORD).status_code in (302, 303)
    adapter, forms = client.application.url_map.bind("localhost"), {}
    pages = walk(client, reading)
    for path in pages:
        try:
            endpoint, _arguments = adapter.match(urlsplit(path).path, method="POST")
        except HTTPException:
            continue
        forms.setdefault(endpoint, urlsplit(path).path)
    for path in forms.values():
        reading.page(f"{path} sent empty", client.post(path, data={}))
    client.post("/sign-out")
    return len(pages)


def the_link_in(session, email: str, since: int) -> str:
    """The portal's path in the last mail `email` got after outbox id `since`."""
    body = session.scalar(
        select(OutboxMessage.body_text)
        .where(OutboxMessage.recipient == email, OutboxMessage.id > since)
        .order_by(OutboxMessage.id.desc())
    )
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def signed_out_pages(app, session, reading: Reading) -> None:
    """Signing in (a wrong password), a forgotten password and choosing a new one."""
    client, email, since = app.test_client(), demo.LOGINS["caseworker"], last_mail(session)
    reading.page("/sign-in", client.get("/sign-in"))
    reading.page("/sign-in, wrong password", client.post("/sign-in", data={"email": email, "password": "fel"}))
    reading.page("/sign-in/forgot", client.get("/sign-in/forgot"))
    reading.page("/sign-in/forgot sent empty", client.post("/sign-in/forgot", data={}))
    reading.page("/sign-in/forgot, sent", client.post("/sign-in/forgot", data={"email": email}))
    link = the_link_in(session, email, since)
    reading.page("the reset link", client.get(link))
    reading.page("the reset link, passwords differ", client.post(link, data={"password": "a", "repeated": "b"}))


def two_factor_pages(app, reading: Reading) -> None:
    """Turning two-factor sign-in on (the recovery codes), and the code at sign-in, wrong."""
    client, email = app.test_client(), demo.LOGINS["coordinator"]
    sign_in(client, email, demo.DEMO_PASSWORD)
    secret = re.search(r'id="totp-key">([A-Z2-7]+)<', client.get("/account/two-factor").get_data(as_text=True))
    turned_on = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret.group(1)).now()})
    reading.page("/account/two-factor, turned on", turned_on)
    client.post("/sign-out")
    assert sign_in(client, email, demo.DEMO_PASSWORD).location == "/sign-in/code"
    reading.page("/sign-in/code", client.get("/sign-in/code"))
    reading.page("/sign-in/code, wrong", client.post("/sign-in/code", data={"code": "000000"}))


def office_pages(app, session, reading: Reading) -> None:
    """As the admin: a plugin change to confirm, one refused (409), the stranded referrals
    (none: the empty list), and a new caseworker invited; the invitation's link, and that
    caseworker's pages, where nothing is yet."""
    client, since = app.test_client(), last_mail(session)
    sign_in(client, demo.LOGINS["admin"], demo.DEMO_PASSWORD)
    reading.page("turning a plugin on outside its region", client.post("/admin/plugins/skaraborg/fyrbodal/enable"))
    refused = client.post("/admin/plugins/skaraborg/fyrbodal/enable", data={"confirm": "yes"})
    assert refused.status_code == 409  # Fyrbodal's workflow chooses the region's workflow already
    reading.page("a second workflow in a region", refused)
    reading.page("/admin/referrals/stranded", client.get("/admin/referrals/stranded"))
    authority = session.scalar(select(Authority.id).order_by(Authority.id))
    new = {"name": "Nova Nilsson", "email": "nova.nilsson@example.se", "role": "caseworker", "authority_id": authority}
    assert client.post("/admin/users/invite", data=new).status_code in (302, 303)
    client.post("/sign-out")
    link, password = the_link_in(session, new["email"], since), "Grön-kaffekopp-på-torsdag-1729"
    reading.page("the invitation's link", client.get(link))
    assert client.post(link, data={"password": password, "repeated": password}).status_code in (302, 303)
    assert sign_in(client, new["email"], password).status_code in (302, 303)
    assert len(walk(client, reading, " (a new caseworker)")) >= 3  # home, referrals, participants at least


def meeting_pages(app, session, reading: Reading) -> None:
    """A meeting booked on the demo caseworker's first running placement (the demo books
    none; its mail and invitation are read with the others): the page that changes it,
    and that page sent empty."""
    caseworker = session.scalar(select(User).where(User.email == demo.LOGINS["caseworker"]))
    running = session.scalar(
        select(Referral.id)
        .join(Placement, Placement.referral_id == Referral.id)
        .where(Referral.caseworker_id == caseworker.id, Placement.state == PlacementState.ACTIVE)
        .order_by(Referral.id)
    )
    client, day = app.test_client(), (local_today() + timedelta(days=7)).isoformat()
    sign_in(client, caseworker.email, demo.DEMO_PASSWORD)
    booking = {"kind": "follow_up", "day": day, "at": "10:00", "minutes": "60", "place": "Kaféet"}
    assert client.post(f"/referrals/{running}/meetings", data=booking).status_code in (302, 303)
    meeting = session.scalar(select(Meeting.id).where(Meeting.referral_id == running))
    path = f"/referrals/{running}/meetings/{meeting}/edit"
    reading.page(path, client.get(path))
    reading.page(f"{path} sent empty", client.post(path, data={}))


def error_pages(app, reading: Reading) -> None:
    """404, 403 and 405 as a caseworker asks for them, and `FAILURES`."""
    client = app.test_client()
    sign_in(client, demo.LOGINS["caseworker"], demo.DEMO_PASSWORD)
    answers = {
        "a page that does not exist": client.get("/no-such-page"),
        "an office's page": client.get("/admin/plugins"),
        "a form's address asked for as a page": client.get("/sign-out"),
    }
    answers |= {f"failing: {cause}": client.get(f"/words-test/fail/{cause}") for cause in FAILURES}
    assert sorted(answer.status_code for answer in answers.values()) == [400, 403, 404, 405, 429, 500, 503]
    for where, answer in answers.items():
        reading.page(where, answer)


def last_mail(session) -> int:
    return session.scalar(select(func.max(OutboxMessage.id))) or 0


def mails(app, session, reading: Reading, since: int) -> None:
    """Every notification's mail about a demo referral, and every mail the run queued."""
    referral = session.scalar(select(Referral.id).order_by(Referral.id))
    with app.test_request_context(), force_locale(reading.language):
        for kind in inbox.KINDS:
            subject, body = inbox.render_email(
                kind,
                referral,
                "https://portal.example",
                answer_by=utcnow() + timedelta(days=5),
                locale=reading.language,
            )
            reading.text(f"the mail {kind}", f"{subject} {body}")
    for message in session.scalars(select(OutboxMessage).where(OutboxMessage.id > since)):
        shown = f"{message.subject} {message.body_text} {shown_in(message.calendar or '')}"
        reading.text(f"the mail '{message.subject}'", shown)


SHOWN_IN_CALENDARS = ("SUMMARY", "DESCRIPTION", "LOCATION")


def shown_in(calendar: str) -> str:
    """What a calendar program shows of an invitation (.ics): its summary, description and
    place, unfolded and unescaped; not its technical lines (PRODID, METHOD …)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", calendar)
    shown = [line.split(":", 1)[1] for line in unfolded.splitlines() if line.startswith(SHOWN_IN_CALENDARS)]
    return re.sub(r"\\[nN]", " ", " ".join(shown)).replace("\\", "")


@SQLITE_ONLY
def test_every_template_speaks_its_language(app, demo_client, session, language):
    reading, since = Reading(app, language), last_mail(session)
    for email in demo.LOGINS.values():
        assert role_pages(demo_client, session, reading, email) > 10  # the walk got past the home page
    signed_out_pages(app, session, reading)
    two_factor_pages(app, reading)
    office_pages(app, session, reading)
    meeting_pages(app, session, reading)
    error_pages(app, reading)
    mails(app, session, reading, since)

    assert not reading.found, report(reading.found)
    never = template_files() - with_their_parts(app.jinja_env, reading.rendered)
    assert not never, f"templates no step of this test renders: {', '.join(sorted(never))}"


def report(found: dict) -> str:
    return "\n".join(f"{path}: {' | '.join(sorted(places))}" for path, places in sorted(found.items()))


def test_the_word_lists_find_what_they_look_for():
    page = read('<html lang="sv"><p title="Save it">Spara</p><a lang="en" href="/x">English</a><code>the</code></html>')
    assert words_of(" ".join(page.parts)) & ENGLISH == {"save"}
    assert page.links == ["/x"]
    calendar = "PRODID:-//the portal//\r\nSUMMARY:Möte\r\nDESCRIPTION:Open it\\nhe\r\n re\r\n"
    assert words_of(shown_in(calendar)) & ENGLISH == {"open", "here"}


@SQLITE_ONLY
def test_the_timeline_words_each_step_as_an_event_and_falls_back_to_the_target_state(app):
    with app.test_request_context(), force_locale("sv"):
        assert str(DEFAULT.done_text("submit")) == "Inskickad"
        assert str(DEFAULT.transition("submit").label) == "Skicka in"  # the button stays a command
        assert str(DEFAULT.done_text("decline")) == "Erbjudandet avböjt"
        without = replace(DEFAULT, transitions=tuple(replace(t, done=None) for t in DEFAULT.transitions))
        assert str(without.done_text("start")) == "Flyttad till: Placering pågår"
        assert without.done_text("create") is None  # not a step: the page words it itself
    with app.test_request_context(), force_locale("en"):
        assert str(DEFAULT.done_text("submit")) == "Submitted"
