"""The differencing attack (issue 11, point 10): a coordinator and an admin make every
download they can, subtract every pair and every declared row and column sum across
them, and recover no suppressed count exactly.

Each download covers a set of (month, region) cells. A suppressed count in download C
is recovered when a download A with the same cell shown covers C's months and regions
and the rest of A is tiled exactly by downloads whose same cell is shown too: then
A − B − … gives C's count (year − half-year, half-year − quarter, all regions − the
others), and a running total covers every month up to its period's end (this quarter's
"certified" minus the last one's gives "certified in the period"). Within one download,
a declared `Sum` with exactly one hidden cell gives it.
The same attack on the downloads made before the grid, or with running totals left in
them, recovers counts, so the attack is real. Every format renders the same suppressed report; CSV is what is parsed here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import report_data
from conftest import sign_in

from portal.domain import access
from portal.domain.calendar import local_today
from portal.domain.reports import catalogue as reports
from portal.domain.reports import grid
from portal.models import Authority, Region

HIDDEN_MARKS = ("<5", "..")
RUNNING_TOTAL_OF = {"Certified": "Certified in the period", "Trained (every module)": "Trained in the period"}
PERIODS = [p for p in reports.period_choices(date(2026, 11, 28)) if p.start.year >= 2025]  # 2024 holds nothing


@pytest.fixture
def app(make_app):
    return make_app(DEFAULT_LOCALE="en")


@pytest.fixture
def data(session, world):
    made = report_data.build(session, world)
    report_data.generate(session, world, made)
    report_data.generate_training(session, world, made)
    return made


def _months(period, since=None) -> frozenset[str]:
    """The months of `period`, or of everything from `since` (a year) to its end."""
    first = date(since, 1, 1) if since else period.start
    return frozenset(
        f"{year}-{month:02d}"
        for year in range(first.year, period.end.year + 1)
        for month in range(1, 13)
        if first <= date(year, month, 1) <= period.end
    )


def _facts(built, exact, months, running_months) -> list[dict]:
    """Every count of a download, with what it covers: the download's months, or for a
    running total everything up to the period's end, as the figure "in the period" it
    accumulates (the attacker knows what the columns mean)."""
    found = []
    for table, exact_table in zip(built.tables, exact.tables, strict=True):
        figures = table.count_columns | {column for column, _source in table.derived_columns}
        running = exact_table.running_cells()
        for r, row in enumerate(table.rows):
            label = " / ".join(
                str(value) for index, value in enumerate(row) if index not in figures and _number(value) is None
            )
            for column in table.count_columns:
                heading = str(table.columns[column])
                is_running = (r, column) in running
                found.append(
                    {
                        "key": (
                            str(table.title),
                            label,
                            RUNNING_TOTAL_OF.get(heading, heading) if is_running else heading,
                        ),
                        "months": running_months if is_running else months,
                        "shown": row[column],
                        "exact": exact_table.rows[r][column],
                    }
                )
    return found


def _combinations(session, offered, scope, periods):
    """Every parameter combination the report's form offers the user, for `periods`."""
    regions = [None, *session.query(Region).order_by(Region.code)] if scope.region_id is None else [None]
    authorities = [None, *session.query(Authority).order_by(Authority.id)]
    for period in periods:
        for region in regions:
            for authority in authorities:
                raw = {}
                for parameter in offered.report.parameters:
                    if parameter.kind == "period":
                        raw[parameter.name] = period.code
                    elif parameter.kind == "region" and region is not None:
                        raw[parameter.name] = region.code
                    elif parameter.kind == "authority" and authority is not None:
                        raw[parameter.name] = str(authority.id)
                if any(p.kind == "authority" for p in offered.report.parameters) or authority is None:
                    yield raw


def _without_running_totals(report):
    """The report as it was before running totals were declared (for the attack's proof)."""
    tables = tuple(replace(table, running_columns=frozenset(), running_rows=frozenset()) for table in report.tables)
    return replace(report, tables=tables)


def _downloads(app, session, client, user, through_grid: bool, periods=None, keep_running=False) -> list[dict]:
    """Every download `user` can make (through the pages), or, without the grid, every
    suppressed report the parameters could give: coverage, facts shown and exact."""
    scope = access.report_scope(user)
    catalogue = app.extensions["portal.reports"]
    made = []
    with app.test_request_context():
        for offered in reports.available(session, catalogue, user):
            scope = access.report_scope(user, reports._roles(offered.report))
            seen = set()
            for raw in _combinations(session, offered, scope, periods or PERIODS):
                values, errors = reports.parse(session, offered.report, raw, scope, local_today())
                key = (offered.report.identifier, tuple(sorted(raw.items())))
                if errors or key in seen:
                    continue
                seen.add(key)
                if through_grid:
                    on_grid = grid.allowed(offered.report, values, scope, local_today(), "quarter")
                    if on_grid or len(seen) % 7 == 0:  # the page refuses what the grid does (a sample)
                        query = "&".join(f"{name}={value}" for name, value in raw.items())
                        response = client.get(f"/reports/{offered.report.identifier}/download/csv?{query}")
                        assert response.status_code == (200 if on_grid else 303), (key, response.status_code)
                    if not on_grid:
                        continue
                exact = reports.build(session, offered, values)
                safe = reports.suppress(_without_running_totals(exact) if keep_running else exact, 5)
                region = values.get("region")
                period = next(v for v in values.values() if isinstance(v, reports.Period))
                made.append(
                    {
                        "report": offered.report.identifier,
                        "authority": values.get("authority"),
                        "regions": frozenset(
                            [region.code] if region else ["fyrbodal", "goteborg", "sjuharad", "skaraborg"]
                        ),
                        "facts": _facts(safe, exact, _months(period), _months(period, since=2020)),
                        "safe": safe,
                    }
                )
    return made


def _number(text):
    return text if isinstance(text, int | float) and not isinstance(text, bool) else None


def _recovered(downloads) -> list:
    """Every hidden count the attacker works out exactly, with how: a shown figure
    covering the hidden one's months and regions, minus shown figures of the same
    quantity that tile the rest exactly (year − half-year, all regions − the others,
    this quarter's running total − the last one's)."""
    shown: dict[tuple, list] = {}
    for download in downloads:
        for fact in download["facts"]:
            if _number(fact["shown"]) is not None:
                quantity = (download["report"], download["authority"], fact["key"])
                shown.setdefault(quantity, []).append((fact["months"], download["regions"], fact["shown"]))
    found = []
    for download in downloads:
        for fact in download["facts"]:
            if fact["shown"] not in HIDDEN_MARKS:
                continue
            covered = {(m, r) for m in fact["months"] for r in download["regions"]}
            candidates = shown.get((download["report"], download["authority"], fact["key"]), [])
            for months, regions, value in candidates:
                whole = {(m, r) for m in months for r in regions}
                if not covered <= whole or covered == whole:
                    continue
                rest = whole - covered
                for part_months, part_regions, part_value in sorted(candidates, key=lambda c: -len(c[0]) * len(c[1])):
                    part = {(m, r) for m in part_months for r in part_regions}
                    if part and part <= rest:
                        rest -= part
                        value -= part_value
                if not rest and value == fact["exact"]:
                    found.append((download["report"], fact["key"], fact["exact"], "difference"))
                    break
        for declared in download["safe"].sums:
            cells = [download["safe"].tables[t].rows[r][c] for t, r, c in (declared.total, *declared.parts)]
            if sum(value in HIDDEN_MARKS for value in cells) == 1:
                found.append((download["report"], declared, None, "sum"))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_no_suppressed_count_is_recovered_from_every_download_a_user_can_make(app, session, client, world, data, role):
    user = getattr(world, role)
    sign_in(client, user.email)
    downloads = _downloads(app, session, client, user, through_grid=True)
    assert len(downloads) >= (28 if role == "coordinator" else 112)  # 7 ended quarters × regions × 4 reports
    hidden = sum(fact["shown"] in HIDDEN_MARKS for d in downloads for fact in d["facts"])
    assert hidden > 100  # small cells there are
    assert _recovered(downloads) == []


@pytest.mark.slow
def test_the_same_attack_recovers_counts_from_the_downloads_before_the_grid(app, session, client, world, data):
    periods = [reports.Period.parse(code) for code in ("2026", "2026-H1", "2026-H2", "2026-Q1", "2026-Q2", "2026-Q3")]
    downloads = _downloads(app, session, client, world.admin, through_grid=False, periods=periods)
    downloads = [d for d in downloads if d["authority"] is None]
    assert len(_recovered(downloads)) > 10


@pytest.mark.slow
def test_the_attack_recovers_counts_from_running_totals_left_in_downloads(app, session, client, world, data):
    """This quarter's "certified" minus the last one's is "certified in the period":
    left in the downloads, running totals give small counts away on the grid itself."""
    sign_in(client, world.coordinator.email)
    downloads = _downloads(app, session, client, world.coordinator, through_grid=True, keep_running=True)
    assert any(report == "training" and how == "difference" for report, *_rest, how in _recovered(downloads))


@pytest.mark.parametrize(
    ("role", "query", "message"),
    [
        ("coordinator", "period=2026", "Downloads are by quarter"),
        ("coordinator", f"period={local_today().year}-Q{(local_today().month - 1) // 3 + 1}", "has ended"),
        ("admin", "period=2026-Q2", "one region at a time"),
        ("admin", "period=2026-Q2&region=fyrbodal&authority={fk}", "leave the authority empty"),
        ("caseworker", "period=2026-Q2&region=fyrbodal", "leave the region empty"),
    ],
)
def test_a_download_off_the_grid_is_refused_with_a_message_on_the_reports_page(client, world, role, query, message):
    sign_in(client, getattr(world, role).email)
    query = query.format(fk=world.fk.id)
    response = client.get(f"/reports/lead-times/download/csv?{query}")
    assert response.status_code == 303 and "/reports/lead-times?" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert message in page and "/download/csv" not in page


def test_a_caseworkers_screen_follows_the_grid_too(client, world, data):
    sign_in(client, world.caseworker.email)
    page = client.get("/reports/lead-times?period=2026").get_data(as_text=True)
    assert "Downloads are by quarter" in page and "Each step" not in page
    page = client.get("/reports/lead-times?period=2026-Q2").get_data(as_text=True)
    assert "Each step" in page and "/reports/lead-times/download/csv?period=2026-Q2" in page
