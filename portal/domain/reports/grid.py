"""Downloads on a fixed grid: why a download is not offered for some parameters.

Suppression protects one download on its own. Subtracting one download from another
undid it: a year minus its second half gave the first half's "<5"; all regions minus
the other three gave a region's. Statistical offices prevent that either by perturbing
every count (the cell key method) or by publishing on a fixed grid of non-overlapping
cells. The portal does the second (the README says why): a download covers

- exactly one period of one length (`REPORT_DOWNLOAD_PERIOD`, quarters by default), and
  only once it has ended, so that no two downloads' periods nest or overlap and a
  period's figures do not change between two downloads;
- exactly one region (never "all regions", which would contain the regions), with every
  authority in it; for a caseworker, whose reports are held to their authority, that
  authority in every region (never one region picked out of it);
- the report's other parameters at their defaults, except numbers, which set targets
  and never narrow what is counted.

Within one grid cell, declared sums and secondary suppression protect the rest. The
offices see every combination, exact, on screen; a caseworker's screen shows what a
download would, so it follows the grid too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from portal.domain import access
from portal.domain.reports.interface import Report
from portal.i18n import lazy_gettext as _

LEVELS = {
    "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
    "half": re.compile(r"^\d{4}-H[12]$"),
    "year": re.compile(r"^\d{4}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
}
CHOOSE = {
    "quarter": _("Downloads are by quarter: choose a quarter that has ended."),
    "half": _("Downloads are by half-year: choose a half-year that has ended."),
    "year": _("Downloads are by year: choose a year that has ended."),
    "month": _("Downloads are by month: choose a month that has ended."),
}


def problem(report: Report, values: Mapping[str, object], scope: access.ReportScope, today: date, level: str):
    """Why `values` are not a cell of the download grid (a message), or None."""
    for parameter in report.parameters:
        value = values.get(parameter.name)
        if parameter.kind == "period":
            if value is None or not LEVELS[level].match(value.code) or value.end >= today:
                return CHOOSE[level]
        elif parameter.kind == "region" and scope.authority_id is None:
            if value is None:
                return _("Downloads are for one region at a time: choose a region.")
        elif parameter.kind == "region":
            if value is not None:
                return _("Downloads cover every region of your authority: leave the region empty.")
        elif parameter.kind == "authority":
            if value is not None and scope.authority_id is None:
                return _("Downloads cover every authority of the region: leave the authority empty.")
        elif parameter.kind != "number" and value != parameter.default:
            return _("Downloads use the report's default for “%(parameter)s”.", parameter=parameter.label)
    return None


def allowed(report: Report, values: Mapping[str, object], scope: access.ReportScope, today: date, level: str):
    return problem(report, values, scope, today, level) is None
