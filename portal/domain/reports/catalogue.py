"""Core's reporting on top of `domain.reports.interface`: the catalogue of what plugins offer,
periods, and parameters held to what the user may see.

A report is built once per request with the user's parameters. What leaves the portal
(every download, in every format) passes `suppression.suppress` first, before any format
sees it, and only for the fixed grid of periods and regions `grid` allows: a format
plugin never gets a count it could leak. Coordinators and admins see exact figures on
screen; everyone else sees the suppressed report there too. `suppress`, `is_small`,
`marker` and `HIDDEN` are re-exported here for the callers that found them here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import access
from portal.domain.referrals.transitions import Refused
from portal.domain.reports import kept
from portal.domain.reports.interface import BuiltReport, Report, ReportFormat, ReportParameter
from portal.domain.reports.scope import ScopeError, held_to
from portal.domain.reports.suppression import HIDDEN, is_small, marker, suppress  # noqa: F401  (re-exported)
from portal.i18n import lazy_gettext as _
from portal.models import Authority, Region, User

KINDS = frozenset({"date", "period", "region", "authority", "choice", "text", "number"})
IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


# The catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Offered:
    """A report and the plugin that offers it (built-ins are on in every region)."""

    report: Report
    plugin: str
    builtin: bool


@dataclass(frozen=True)
class Catalogue:
    reports: dict[str, Offered] = field(default_factory=dict)
    formats: dict[str, ReportFormat] = field(default_factory=dict)


def collect(manager) -> Catalogue:
    """Every report and format the installed plugins offer, checked: a malformed one or a
    duplicate identifier stops start-up with a `PluginError` naming the plugin."""
    from portal.plugins import PluginError, checked

    catalogue = Catalogue()
    for plugin, answers in checked(manager.hook.portal_reports, "reports"):
        for report in answers:
            problem = _report_problem(report) or _taken(report, catalogue.reports)
            if problem:
                raise PluginError(f"plugin {plugin!r} offers an invalid report: {problem}")
            catalogue.reports[report.identifier] = Offered(report, plugin, manager.portal_info[plugin].builtin)
    for plugin, answers in checked(manager.hook.portal_report_formats, "report formats"):
        for report_format in answers:
            problem = _format_problem(report_format) or _taken(report_format, catalogue.formats)
            if problem:
                raise PluginError(f"plugin {plugin!r} offers an invalid report format: {problem}")
            catalogue.formats[report_format.identifier] = report_format
    return catalogue


def _report_problem(report) -> str | None:
    if problem := _shape_problem(report, Report, "identifier, title, parameters or build()"):
        return problem
    for parameter in report.parameters:
        if not isinstance(parameter, ReportParameter) or parameter.kind not in KINDS:
            return f"{report.identifier}: parameter {parameter!r} is not a ReportParameter of a known kind"
    return None


def _format_problem(report_format) -> str | None:
    return _shape_problem(report_format, ReportFormat, "identifier, name, media_type or render()")


def _shape_problem(offered, protocol, members: str) -> str | None:
    """What a report or a format lacks against its protocol, or an identifier that
    addresses and file names cannot carry."""
    if not isinstance(offered, protocol):
        return f"{offered!r} lacks {members}"
    if not isinstance(offered.identifier, str) or not IDENTIFIER.match(offered.identifier):
        return f"identifier {offered.identifier!r} is not lower-case letters, digits and hyphens"
    return None


def _taken(offered, known: Mapping) -> str | None:
    return f"identifier {offered.identifier!r} is already taken" if offered.identifier in known else None


def available(session: Session, catalogue: Catalogue, user: User) -> list[Offered]:
    """The reports `user` may run, in the catalogue's order. A plugin's report is there
    for an office's staff only where the plugin is enabled (admins see every one)."""
    from portal.domain.region_plugins import enabled_plugins

    region = _home_region(session, user)
    enabled = enabled_plugins(session, region.code) if region is not None else frozenset()
    return [
        offered
        for offered in catalogue.reports.values()
        if access.report_scope(user, _roles(offered.report)) is not None
        and (offered.builtin or user.role == "admin" or offered.plugin in enabled)
    ]


def find(session: Session, catalogue: Catalogue, user: User, identifier: str) -> tuple[Offered, access.ReportScope]:
    """The report and the scope `user` runs it in; unknown or out of reach: Refused(404)."""
    for offered in available(session, catalogue, user):
        if offered.report.identifier == identifier:
            return offered, access.report_scope(user, _roles(offered.report))
    raise Refused(_("There is no such report, or it is not yours to run."), 404)


def _roles(report: Report) -> frozenset[str]:
    return frozenset(getattr(report, "roles", access.REPORT_ROLES))


def _home_region(session: Session, user: User) -> Region | None:
    if user.region_id is not None:
        return session.get(Region, user.region_id)
    if user.authority_id is not None:
        authority = session.get(Authority, user.authority_id)
        return authority.municipality.region
    return None


# Periods ---------------------------------------------------------------------------------

PERIOD_CODE = re.compile(r"^(\d{4})(?:-(?:(H[12])|(Q[1-4])|(0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    """A calendar year, half-year, quarter or month: `start` and `end` both included.
    `code` ("2026", "2026-H1", "2026-Q2", "2026-05") goes in addresses and file names.
    Its days are those of `zone`: `starts_at` and `ends_before` are the UTC moments to
    compare timestamps with."""

    code: str
    start: date
    end: date
    zone: str = "Europe/Stockholm"

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(), ZoneInfo(self.zone)).astimezone(UTC)

    @property
    def ends_before(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(), ZoneInfo(self.zone)).astimezone(UTC)

    @classmethod
    def parse(cls, code: str, zone: str = "Europe/Stockholm") -> Period:
        found = PERIOD_CODE.match(code or "")
        if not found:
            raise ValueError(code)
        year = int(found.group(1))
        half, quarter, month = found.group(2), found.group(3), found.group(4)
        if half:
            first, months = 1 + 6 * (int(half[1]) - 1), 6
        elif quarter:
            first, months = 1 + 3 * (int(quarter[1]) - 1), 3
        elif month:
            first, months = int(month), 1
        else:
            first, months = 1, 12
        start = date(year, first, 1)
        after = date(year + (first + months - 1) // 12, (first + months - 1) % 12 + 1, 1)
        return cls(code, start, after - timedelta(days=1), zone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        year, _dash, part = self.code.partition("-")
        if not part:
            return year
        if part[0] == "H":
            half = _("first half of %(year)s", year=year) if part == "H1" else _("second half of %(year)s", year=year)
            return str(half)
        if part[0] == "Q":
            return str(_("Q%(quarter)s %(year)s", quarter=part[1], year=year))
        return format_date(self.start, "LLLL yyyy")


def period_choices(today: date, years: int = 3) -> list[Period]:
    """This year and the `years` - 1 before it, each whole, by half, by quarter and by month,
    newest first; periods that have not begun are left out."""
    periods = []
    for year in range(today.year, today.year - years, -1):
        codes = [
            str(year),
            f"{year}-H2",
            f"{year}-H1",
            *(f"{year}-Q{q}" for q in (4, 3, 2, 1)),
            *(f"{year}-{m:02d}" for m in range(12, 0, -1)),
        ]
        periods += [period for period in map(Period.parse, codes) if period.start <= today]
    return periods


def default_period(today: date, zone: str = "Europe/Stockholm") -> Period:
    return Period.parse(str(today.year), zone)


# Parameters ------------------------------------------------------------------------------


def parse(
    session: Session,
    report: Report,
    raw: Mapping[str, str],
    scope: access.ReportScope,
    today: date,
    zone: str = "Europe/Stockholm",
) -> tuple[dict[str, object], dict[str, object]]:
    """The report's parameters from `raw` (GET arguments: codes and dates only), held to
    `scope`; answers (values by name, error messages by name). Periods' days are `zone`'s."""
    values: dict[str, object] = {}
    errors: dict[str, object] = {}
    for parameter in report.parameters:
        text = (raw.get(parameter.name) or "").strip()
        try:
            values[parameter.name] = _parse_one(session, parameter, text, scope, today, zone)
        except ValueError as error:
            errors[parameter.name] = (
                error.args[0] if error.args and not isinstance(error.args[0], str) else _("Not a valid value.")
            )
        if parameter.required and values.get(parameter.name) is None and parameter.name not in errors:
            errors[parameter.name] = _("Required.")
    return values, errors


def _parse_one(
    session: Session, parameter: ReportParameter, text: str, scope: access.ReportScope, today: date, zone: str
):
    kind = parameter.kind
    if kind == "period":
        return Period.parse(text, zone) if text else parameter.default or default_period(today, zone)
    if kind == "region":
        if scope.region_id is not None:
            return session.get(Region, scope.region_id)
        if not text:
            return None
        region = session.scalar(select(Region).where(Region.code == text))
        if region is None:
            raise ValueError(_("Choose a region from the list."))
        return region
    if kind == "authority":
        if scope.authority_id is not None:
            return session.get(Authority, scope.authority_id)
        if not text:
            return None
        authority = session.get(Authority, int(text)) if text.isdigit() and len(text) <= 9 else None
        if authority is None:
            raise ValueError(_("Choose an authority from the list."))
        return authority
    if not text:
        return parameter.default
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "number":
        number = int(text)
        if abs(number) >= 2**31:
            raise ValueError(text)
        if parameter.minimum is not None and number < parameter.minimum:
            raise ValueError(_("At least %(minimum)d.", minimum=parameter.minimum))
        return number
    if kind == "choice" and text not in {code for code, _label in parameter.choices}:
        raise ValueError(_("Choose one of the options."))
    return text[:200]


def file_stem(report: Report, values: Mapping[str, object]) -> str:
    """The report's identifier and its parameters' codes, in their order: `3r-2026-Q2-fyrbodal`."""
    parts = [report.identifier]
    for parameter in report.parameters:
        value = values.get(parameter.name)
        code = getattr(value, "code", None) or (f"authority{value.id}" if isinstance(value, Authority) else None)
        if code is None and isinstance(value, date | int):
            code = str(value)
        if code:
            parts.append(str(code))
    return re.sub(r"[^A-Za-z0-9-]+", "-", "-".join(parts)).strip("-")


def build(
    session: Session, offered: Offered, values: Mapping[str, object], scope: access.ReportScope | None = None
) -> BuiltReport:
    """Build the report held to `scope` (`reports.scope`: whatever the report's code asks
    for, it finds only the viewer's rows), and give it a file name from its codes if it
    did not name itself. A closed period's figures are stored, and the report is kept
    in step with the data for the next reader (`reports.kept`, `reports.refresh`)."""
    with held_to(session, scope), kept.reading(session, kept.build_of(offered.report, values, scope)):
        try:
            built = offered.report.build(session, values)
        except ScopeError:
            raise Refused(
                _("This report cannot be held to what you may see. Tell an administrator which report it was."), 409
            ) from None
    if built.file_stem == "report":
        built = replace(built, file_stem=file_stem(offered.report, values))
    return built
