"""Every page each demo role can reach by following links, in a real Chromium (issue 12,
point 10): axe with the WCAG 2.0, 2.1 and 2.2 A and AA rules finds nothing at desktop
width (1280 px) and at 320 px, and at 320 px no page is wider than the window: every
table scrolls inside a region of its own that the keyboard reaches, named by its caption
(macros/tables.html).

The walk starts at each role's home page and follows the links it finds, and checks one
page per kind (endpoint, and non-numeric arguments such as the report's name) and role,
and a referral's page once per state, so that pages added later are walked without
changing this test. Downloads are not pages: only answers of type text/html are visited.
"""

from __future__ import annotations

from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import expect
from test_browser import browser, served_demo, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# axe's best practices (unique landmarks, heading order) do not change with the width: desktop only.
AXE_TAGS = {1280: [*WCAG_AA, "best-practice"], 320: WCAG_AA}
WIDTHS = (1280, 320)
ROLES = ("caseworker", "supervisor", "coordinator", "admin")
# Links that leave the signed-in session or its language as they were: not pages to check.
NOT_WALKED = {"auth.sign_out", "locale.choose", "static", "health.health"}
MOST_PAGES_PER_ROLE = 60  # a guard against a walk that never ends (e.g. endless pagination)
VISITS_PER_KIND = 4


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with served_demo(tmp_path_factory.mktemp("every-page")) as (app, portal):
        yield app, portal


def kind_of(app, path: str):
    """(endpoint, its non-numeric arguments) for a path of the portal, or None if it has none."""
    from werkzeug.exceptions import HTTPException

    try:
        endpoint, arguments = app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return None
    return endpoint, tuple(sorted((name, value) for name, value in arguments.items() if not isinstance(value, int)))


def links_on(page, origin: str) -> list[str]:
    """The page's links to paths of the same portal, without fragments, in document order."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        if url.startswith(origin + "/"):
            found.append(url)
    return found


# Tables not in a scrolling region the keyboard reaches, named by their caption (macros/tables.html).
UNWRAPPED_TABLES = """() => [...document.querySelectorAll("main table")].filter(table => {
    const region = table.parentElement, caption = table.querySelector(":scope > caption");
    return !(region.matches(".table-scroll[role=region][tabindex='0']") && caption
             && region.getAttribute("aria-labelledby") === caption.id);
}).map(table => `table ${table.id || "without id"} is not in its scrolling region`)"""


def problems_on(page, url: str) -> list[str]:
    """What is wrong with the page at each width: axe's violations, and sideways overflow at 320 px."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(Axe().axe_script)  # once per page, for both widths
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS[width],
        )
        for violation in results["violations"]:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            problems.append(f"{url} at {width} px: axe {violation['id']} ({len(violation['nodes'])}): {targets}")
        if width == WIDTHS[0]:
            problems += [f"{url}: {table}" for table in page.evaluate(UNWRAPPED_TABLES)]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{url} at {width} px is {scroll_width} px wide")
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    return problems


def walk(page, app, portal) -> tuple[list[str], list[str]]:
    """Check one page of each kind reachable from the home page, and a referral's page in
    each state it is found in: (the pages checked, their problems). Up to
    VISITS_PER_KIND pages of a kind are opened to find links (a referral's plan is linked
    from an accepted referral, not an offered one)."""
    queue, opened, visits, checked, problems = deque([portal.url + "/"]), set(), Counter(), {}, []
    while queue and len(checked) < MOST_PAGES_PER_ROLE:
        url = queue.popleft()
        kind = kind_of(app, urlsplit(url).path)
        if kind is None or kind[0] in NOT_WALKED or url in opened or visits[kind] >= VISITS_PER_KIND:
            continue
        opened.add(url)
        visits[kind] += 1
        answer = page.request.get(url)  # downloads (CSV, PDF, XLSX, HTML to save) are files, not pages
        is_page = answer.headers.get("content-type", "").startswith("text/html")
        if not answer.ok or not is_page or "attachment" in answer.headers.get("content-disposition", ""):
            if not answer.ok:
                problems.append(f"{url} answers {answer.status}")
            continue
        page.goto(url)
        state = page.evaluate("document.querySelector('main .state')?.textContent.trim() ?? ''")
        if (kind, state) not in checked:
            checked[kind, state] = urlsplit(url).path
            problems += problems_on(page, url)
        queue.extend(links_on(page, portal.url))
    return list(checked.values()), problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_is_accessible_and_fits_320_px(browser, served, role):  # noqa: F811
    app, portal = served
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, portal, portal.logins[role], portal.password)
        expect(page).to_have_url(portal.url + "/")
        visited, problems = walk(page, app, portal)
    finally:
        context.close()

    assert len(visited) >= 5, visited  # the walk got past the home page
    assert not problems, "\n\n".join(problems)
