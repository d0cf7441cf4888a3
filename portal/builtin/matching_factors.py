"""Core's matching factors, declared through the same hook plugins use.

Each factor is a value in [0, 1] from a few set operations on what `domain.matching.filters`
loaded, and a sentence that says why in the reader's language. A factor with nothing
to compare (the participant stated no needs, say) scores 0 for everyone, so it does not
change the order. Default weights put the participant's needs first, as the careful
selection of supervisors asks; `PORTAL_MATCHING_WEIGHTS` changes them.
"""

from __future__ import annotations

from portal.domain.matching.factors import Candidate, Factor, Labels, Match
from portal.domain.vocabulary import ACCESSIBILITY, LANGUAGES, NEEDS, TRADES
from portal.hookspecs import hookimpl
from portal.i18n import lazy_gettext as _

SWEDISH = frozenset({"sv"})
CONTINUITY_ENOUGH = 3  # completed placements for the same authority that count as a track record


def _share(shared: frozenset, wanted: frozenset) -> float:
    return len(shared) / len(wanted) if wanted else 0.0


# Needs ↔ specialties -------------------------------------------------------------------


def needs_score(candidate: Candidate, match: Match) -> float:
    return _share(candidate.shared_specialties, match.needs)


def needs_explain(candidate: Candidate, match: Match):
    if not match.needs:
        return _("The participant has stated no support needs.")
    if not candidate.shared_specialties:
        return _("Has none of the participant's support needs among their specialties.")
    missing = match.needs - candidate.shared_specialties
    if missing:
        return _(
            "Experienced with %(needs)s; not with %(missing)s.",
            needs=Labels(NEEDS, candidate.shared_specialties),
            missing=Labels(NEEDS, missing),
        )
    return _("Experienced with %(needs)s, as the participant needs.", needs=Labels(NEEDS, candidate.shared_specialties))


# Language ------------------------------------------------------------------------------


def language_score(candidate: Candidate, match: Match) -> float:
    """A language besides Swedish counts fully; Swedish alone, when the participant also
    speaks another language, counts half."""
    shared = candidate.shared_languages
    if not shared:
        return 0.0
    return 1.0 if shared - SWEDISH or match.languages <= SWEDISH else 0.5


def language_explain(candidate: Candidate, match: Match):
    shared = candidate.shared_languages
    if not match.languages:
        return _("The participant has stated no language.")
    if not shared:
        return _(
            "Speaks none of the participant's languages (%(languages)s).",
            languages=Labels(LANGUAGES, match.languages, proper_names=True),
        )
    if shared - SWEDISH or match.languages <= SWEDISH:
        return _(
            "Speaks %(languages)s, as the participant does.",
            languages=Labels(LANGUAGES, (shared - SWEDISH) or shared, proper_names=True),
        )
    return _(
        "Speaks Swedish with the participant, but not %(languages)s.",
        languages=Labels(LANGUAGES, match.languages - SWEDISH, proper_names=True),
    )


# Interests ↔ trades --------------------------------------------------------------------


def interests_score(candidate: Candidate, match: Match) -> float:
    return _share(candidate.shared_trades, match.interests)


def interests_explain(candidate: Candidate, match: Match):
    if not match.interests:
        return _("The participant has stated no interests.")
    if not candidate.shared_trades:
        return _(
            "The cooperative works in none of the participant's interests (%(interests)s).",
            interests=Labels(TRADES, match.interests),
        )
    return _(
        "The cooperative works in %(trades)s, which interests the participant.",
        trades=Labels(TRADES, candidate.shared_trades),
    )


# Accessibility -------------------------------------------------------------------------


def _offered(candidate: Candidate) -> frozenset:
    """The participant's accessibility needs met by the premises or by the supervisor."""
    return candidate.shared_accessibility | candidate.supervisor_accessibility


def accessibility_score(candidate: Candidate, match: Match) -> float:
    return _share(_offered(candidate), match.accessibility_needs)


def accessibility_explain(candidate: Candidate, match: Match):
    if not match.accessibility_needs:
        return _("The participant has stated no accessibility needs.")
    has, lacks = _offered(candidate), match.accessibility_needs - _offered(candidate)
    if candidate.supervisor_accessibility - candidate.shared_accessibility:
        if not lacks:
            return _(
                "Between them, the cooperative and the supervisor offer %(features)s, as the participant needs.",
                features=Labels(ACCESSIBILITY, has),
            )
        return _(
            "Between them, the cooperative and the supervisor offer %(features)s but not %(missing)s.",
            features=Labels(ACCESSIBILITY, has),
            missing=Labels(ACCESSIBILITY, lacks),
        )
    if not lacks:
        return _("The cooperative has %(features)s, as the participant needs.", features=Labels(ACCESSIBILITY, has))
    if not has:
        return _(
            "The cooperative lacks %(features)s, which the participant needs.", features=Labels(ACCESSIBILITY, lacks)
        )
    return _(
        "The cooperative has %(features)s but lacks %(missing)s.",
        features=Labels(ACCESSIBILITY, has),
        missing=Labels(ACCESSIBILITY, lacks),
    )


# Travel --------------------------------------------------------------------------------


def travel_score(candidate: Candidate, match: Match) -> float:
    if candidate.municipality_id == match.municipality_id:
        return 1.0
    return 0.5 if candidate.region_id == match.region_id else 0.0


def travel_explain(candidate: Candidate, match: Match):
    if candidate.municipality_id == match.municipality_id:
        return _(
            "The cooperative is in %(municipality)s, where the participant lives.",
            municipality=candidate.municipality_name,
        )
    if candidate.region_id == match.region_id:
        return _(
            "The cooperative is in %(municipality)s, in the participant's region.",
            municipality=candidate.municipality_name,
        )
    return _(
        "The cooperative is in %(municipality)s, outside the participant's region.",
        municipality=candidate.municipality_name,
    )


# Current load --------------------------------------------------------------------------


def load_score(candidate: Candidate, match: Match) -> float:
    """The share of places still free, counting offers not yet answered: spreads the work."""
    return candidate.free_places / candidate.capacity if candidate.capacity else 0.0


def load_explain(candidate: Candidate, match: Match):
    if not candidate.open_offers:
        return _("Free places: %(free)d of %(capacity)d.", free=candidate.free_places, capacity=candidate.capacity)
    return _(
        "Free places: %(free)d of %(capacity)d, after unanswered offers (%(waiting)d).",
        free=candidate.free_places,
        capacity=candidate.capacity,
        waiting=candidate.open_offers,
    )


# Continuity ----------------------------------------------------------------------------


def continuity_score(candidate: Candidate, match: Match) -> float:
    return min(candidate.completed_with_authority, CONTINUITY_ENOUGH) / CONTINUITY_ENOUGH


def continuity_explain(candidate: Candidate, match: Match):
    if not candidate.completed_with_authority:
        return _("No completed placements for %(authority)s yet.", authority=match.authority_name)
    return _(
        "Placements completed for %(authority)s before: %(count)d.",
        authority=match.authority_name,
        count=candidate.completed_with_authority,
    )


CORE_FACTORS = (
    Factor("needs", _("Support needs"), 3.0, needs_score, needs_explain),
    Factor("language", _("Language"), 2.0, language_score, language_explain),
    Factor("interests", _("Interests"), 2.0, interests_score, interests_explain),
    Factor("accessibility", _("Accessibility"), 2.0, accessibility_score, accessibility_explain),
    Factor("travel", _("Travel"), 1.5, travel_score, travel_explain),
    Factor("load", _("Free places"), 1.0, load_score, load_explain),
    Factor("continuity", _("Continuity"), 1.0, continuity_score, continuity_explain),
)


@hookimpl(trylast=True)
def portal_matching_factors(region_code):
    """Core's factors, declared first (trylast) so that any plugin's factor of the same name replaces them."""
    return list(CORE_FACTORS)
