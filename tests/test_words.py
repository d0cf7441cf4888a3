"""Words: every page in Swedish speaks Swedish, every page in English English, and the
timeline tells what happened, in the past tense, not the command that did it.

The walk signs in as each demo login (the demo's data, with each regional plugin on in
its region, as `make demo` shows it), follows every link of the portal's own from the
home page, and reads each page's visible text: text nodes and the attributes people
hear or see (`aria-label`, `title`, `placeholder`, `alt`), leaving out what is marked as
another language (`lang`), code and scripts. A Swedish page must hold none of a list of
common English words, an English page none of common Swedish ones. Names (of people,
cooperatives, places) are not in those lists, so they pass; so do CSV, PDF, XLSX, ESF.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from portal.builtin.default_workflow import DEFAULT
from portal.demo import data as demo
from portal.demo import regions
from portal.models import User
from portal.testing.helpers import sign_in

# Common English words that are not Swedish words too ("in", "by", "all", "for", "plan",
# "start", "status", "region", "total", "fast" are both, and pass).
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
    also than then each every any some other""".split()
)
# Common Swedish words that are not English words too ("under", "fin", "dag", "man" pass).
SWEDISH = frozenset(
    """och att inte för med som är på av till har ett eller inga ingen inget sparad spara
    avbryt remiss remisser handledare handläggare deltagare samordnare sidan datum vecka
    månad veckor dagar timmar ladda ned visa sök ändra ta bort ny nytt nya ja nej vad vem
    när där här också bara efter innan utan mellan alla varje denna detta dessa""".split()
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


def walk(client, starts=("/", "/referrals")):
    """Yield (path, visible text) of every HTML page reachable by the portal's own links."""
    queue, seen, shapes = deque(starts), set(starts), {}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = read(response.get_data(as_text=True))
        yield path, page
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


@pytest.fixture
def demo_client(app, session, client):
    """A client on the demo's data, each regional plugin on in its own region."""
    workflows = [workflow.key for workflow in app.extensions["portal.engine"].registry]
    demo.load(session, app.extensions["portal.vault"], workflows=workflows)
    session.commit()
    for _enabled in regions.enable_regional_plugins(session, app.extensions["portal.plugins"]):
        session.commit()
    return client


def strangers(client, session, role: str, language: str, foreign: frozenset) -> dict[str, set[str]]:
    """{path: the words of `foreign` on it} for every page `role` reaches in `language`."""
    session.execute(update(User).where(User.email == demo.LOGINS[role]).values(locale=language))
    session.commit()
    assert sign_in(client, demo.LOGINS[role], demo.DEMO_PASSWORD).status_code in (302, 303)
    found, pages = {}, 0
    for path, page in walk(client):
        assert page.page_lang == language, path
        pages += 1
        text = " ".join(" ".join(page.parts).split())
        odd = words_of(text) & foreign
        if odd:
            found[path] = {in_context(text, word) for word in sorted(odd)}
    client.post("/sign-out")
    assert pages > 10  # the walk got past the home page
    return found


def report(found: dict) -> str:
    return "\n".join(f"{path}: {' | '.join(sorted(places))}" for path, places in sorted(found.items()))


@pytest.mark.parametrize("role", list(demo.LOGINS))
def test_swedish_pages_hold_no_english_words(demo_client, session, role):
    found = strangers(demo_client, session, role, "sv", ENGLISH)
    assert not found, report(found)


@pytest.mark.parametrize("role", list(demo.LOGINS))
def test_english_pages_hold_no_swedish_words(demo_client, session, role):
    found = strangers(demo_client, session, role, "en", SWEDISH)
    assert not found, report(found)


def test_the_word_lists_find_what_they_look_for():
    page = read('<html lang="sv"><p title="Save it">Spara</p><a lang="en" href="/x">English</a><code>the</code></html>')
    assert words_of(" ".join(page.parts)) & ENGLISH == {"save"}
    assert page.links == ["/x"]


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
