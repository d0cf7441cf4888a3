"""What core's reports share: their parameters, the words for what a report covers, and
gender columns."""

from __future__ import annotations

from collections.abc import Mapping

from portal.domain.reports.interface import ReportParameter
from portal.domain.vocabulary import GENDERS
from portal.i18n import lazy_gettext as _
from portal.models import Gender

PERIOD = ReportParameter("period", _("Period"), "period", required=True)
REGION = ReportParameter("region", _("Region"), "region")
AUTHORITY = ReportParameter("authority", _("Authority"), "authority")
GENDER_ORDER = (Gender.WOMAN, Gender.MAN, Gender.NOT_STATED)
STARTED_STATES = ("active", "completed", "discontinued")  # placements that have begun


def covers(params: Mapping[str, object]):
    """ "Fyrbodal, Q2 2026" or "All regions, Försäkringskassan Borås, 2026"."""
    region = params.get("region")
    parts = [region.name if region is not None else str(_("All regions"))]
    if params.get("authority") is not None:
        parts.append(params["authority"].name)
    parts.append(str(params["period"]))
    return ", ".join(parts)


def gender_label(code: str):
    return GENDERS.get(code, code)


def share(part, whole) -> float | None:
    """`part` as a percentage of `whole`, one decimal; None when there is no whole."""
    return round(100.0 * float(part or 0) / float(whole), 1) if whole else None


def in_words(value, digits: int = 1) -> str:
    """A figure for a sentence, in the locale's way ("18,5" in Swedish, "18.5" in English):
    every number in report text goes through here."""
    from flask_babel import format_decimal

    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")


def rounded(value, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)
