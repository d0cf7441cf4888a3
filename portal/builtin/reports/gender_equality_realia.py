"""Realia, the third R of the 3R report: sentences on the differences between women and
men the portal finds in the tables already built (each with the sizes of the groups it
compares, so that it is left out of a download when a group is small; every number in
them formatted for the reader's language), and the regional office's written analysis.
"""

from __future__ import annotations

from portal.domain.reports import realia
from portal.domain.reports.interface import Paragraph, Text
from portal.i18n import lazy_gettext as _

from .common import in_words

REALIA = _("Realia")
NOTABLE = 10  # per cent (relative) or percentage points: a difference worth a sentence


def observations(tables, params) -> tuple[Paragraph, ...]:
    """Sentences on the differences of `NOTABLE` or more between women and men, each with
    the group sizes it compares."""
    place = params["region"].name if params.get("region") is not None else str(_("all regions"))
    when = str(params["period"])
    representation, placements, supervision, waiting, offers = (table.rows for table in tables)
    found = []

    for rows, column, sentence in ((waiting, 2, _waited), (placements, 4, _ran)):
        women, men = rows[0], rows[1]
        if difference := _relative(women[column], men[column]):
            percent, women_more = difference
            numbers = {"women": in_words(women[column]), "men": in_words(men[column])}
            text = sentence(women_more, percent=percent, place=place, period=when, **numbers)
            found.append(Paragraph(text, (women[1], men[1])))

    referred, placed, active = representation[0], representation[1], representation[5]
    if _apart(referred[5], placed[5]):
        sentence = _(
            "Women were %(referred)s%% of the participants referred but %(placed)s%% of those placed.",
            referred=in_words(referred[5], 0),
            placed=in_words(placed[5], 0),
        )
        found.append(Paragraph(sentence, (referred[1], referred[2], placed[1], placed[2])))
    if _apart(active[5], placed[5]):
        sentence = _(
            "Women were %(supervisors)s%% of the active supervisors and %(participants)s%% of the participants placed.",
            supervisors=in_words(active[5], 0),
            participants=in_words(placed[5], 0),
        )
        found.append(Paragraph(sentence, (active[1], active[2], placed[1], placed[2])))

    women, men = offers[0], offers[1]
    if _apart(women[4], men[4]):
        sentence = _(
            "Offers for women were declined in %(women)s%% of cases, offers for men in %(men)s%%.",
            women=in_words(women[4], 0),
            men=in_words(men[4], 0),
        )
        found.append(Paragraph(sentence, (women[1], men[1], women[2], men[2])))

    if not found:
        found.append(
            Paragraph(
                _(
                    "No difference of %(notable)d%% or more between women and men was found in "
                    "%(place)s in %(period)s.",
                    notable=NOTABLE,
                    place=place,
                    period=when,
                )
            )
        )
    return tuple(found)


def _waited(women_more: bool, **values):
    if women_more:
        return _(
            "Women waited %(percent)d%% longer for a placement than men in %(place)s in %(period)s "
            "(%(women)s against %(men)s days on average).",
            **values,
        )
    return _(
        "Men waited %(percent)d%% longer for a placement than women in %(place)s in %(period)s "
        "(%(men)s against %(women)s days on average).",
        **values,
    )


def _ran(women_more: bool, **values):
    if women_more:
        return _(
            "Women's placements ran %(percent)d%% more days in the period than men's (%(women)s "
            "against %(men)s days per placement).",
            **values,
        )
    return _(
        "Men's placements ran %(percent)d%% more days in the period than women's (%(men)s "
        "against %(women)s days per placement).",
        **values,
    )


def _relative(women, men) -> tuple[int, bool] | None:
    """How many per cent the larger of two averages exceeds the smaller, and whether it is
    the women's; None when either is missing or zero, or the difference is below NOTABLE."""
    if not women or not men:
        return None
    percent = round((max(women, men) / min(women, men) - 1) * 100)
    return (percent, women >= men) if percent >= NOTABLE else None


def _apart(first, second) -> bool:
    """Two shares NOTABLE percentage points or more apart (neither missing)."""
    return first is not None and second is not None and abs(first - second) >= NOTABLE


def analysis(session, region, period) -> Text:
    """The latest version of the coordinator's written analysis of the region's period."""
    from flask_babel import format_date

    current = realia.latest(session, region.id, period.code)
    if current is None:
        paragraphs = (Paragraph(_("The regional office has not written an analysis for this period yet.")),)
    else:
        paragraphs = (
            Paragraph(current.text),
            Paragraph(
                _(
                    "Version %(version)d, written by %(author)s on %(date)s.",
                    version=current.version,
                    author=current.author.name if current.author else "–",
                    date=format_date(current.written_at),
                )
            ),
        )
    return Text(_("The regional office's analysis"), paragraphs, section=REALIA)
