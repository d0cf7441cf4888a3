"""What the factors compare, loaded for every candidate in one query whatever their number.

The query is the bare fetch (`matching.conditions`) with the scoring data added as
correlated subqueries, each an index lookup per row: the supervisor's planned and active
placements and unanswered offers, the codes the supervisor and the cooperative share
with the participant (only those, far fewer than all), and the placements the
supervisor completed for the referral's authority (an index-only count: the placement
carries its authority, see `bench/README.md`).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import ARRAY, Select, String, any_, bindparam, func, select
from sqlalchemy.orm import Session

from portal.domain.eligibility import has_free_place
from portal.domain.matching.factors import EMPTY, Candidate, Match
from portal.domain.matching.filters import MatchFilters, conditions, parameters, running_placements
from portal.models import (
    Cooperative,
    Municipality,
    Offer,
    OfferState,
    Placement,
    PlacementState,
    Referral,
    Supervisor,
    User,
)
from portal.models.directory import (
    CooperativeAccessibility,
    CooperativeTrade,
    SupervisorAccessibility,
    SupervisorLanguage,
    SupervisorSpecialty,
)


def _shared(model, owner_column, owner, codes: str, arrays: bool):
    """The owner's codes among the participant's `codes`, comma-separated. With `arrays`
    (PostgreSQL) the codes are one array parameter, so that the statement's text is the
    same for every referral and the driver prepares it once (no planning per ranking);
    elsewhere an expanding IN list."""
    among = (
        model.code == any_(bindparam(codes, type_=ARRAY(String)))
        if arrays
        else model.code.in_(bindparam(codes, expanding=True))
    )
    return select(func.aggregate_strings(model.code, ",")).where(owner_column == owner, among).scalar_subquery()


@lru_cache(maxsize=16)
def _statement(region_wide: bool, shape: tuple[bool, bool, bool], arrays: bool = False) -> Select:
    """The candidates first, as a materialised CTE with their running placements, then
    the scoring data for those rows only.

    Region-wide, the CTE applies every hard filter but the free place, which the outer
    query applies to the running count the CTE computed: one count per supervisor
    instead of two (the filter's and the factor's), for hundreds of candidates. For a
    municipality's referral the CTE applies every filter, as the bare fetch does: without
    the free place's correlated count among its conditions PostgreSQL's planner scans all
    supervisors instead of starting from the municipality's (measured in bench/README.md)."""
    apart = "free_place" if region_wide else None
    candidate = (
        select(
            Supervisor.id,
            Supervisor.user_id,
            Supervisor.gender,
            Supervisor.capacity,
            Supervisor.cooperative_id,
            running_placements().label("running"),
        )
        .where(*conditions(region_wide, shape, but=apart))
        .cte("candidate")
        .prefix_with("MATERIALIZED")
    )
    open_offers = (
        select(func.count())
        .where(Offer.supervisor_id == candidate.c.id, Offer.state == OfferState.OPEN)
        .scalar_subquery()
    )
    completed_for_authority = (
        select(func.count())
        .where(
            Placement.supervisor_id == candidate.c.id,
            Placement.state == PlacementState.COMPLETED,
            Placement.authority_id == bindparam("authority_id"),
        )
        .scalar_subquery()
    )
    statement = (
        select(
            candidate.c.id,
            select(User.name).where(User.id == candidate.c.user_id).scalar_subquery(),  # a key lookup, not a join
            candidate.c.gender,
            candidate.c.capacity,
            candidate.c.running,
            open_offers,
            Cooperative.id,
            Cooperative.name,
            Cooperative.municipality_id,
            Municipality.name,
            Municipality.region_id,
            _shared(SupervisorSpecialty, SupervisorSpecialty.supervisor_id, candidate.c.id, "needs", arrays),
            _shared(SupervisorLanguage, SupervisorLanguage.supervisor_id, candidate.c.id, "languages", arrays),
            _shared(CooperativeTrade, CooperativeTrade.cooperative_id, Cooperative.id, "interests", arrays),
            _shared(
                CooperativeAccessibility,
                CooperativeAccessibility.cooperative_id,
                Cooperative.id,
                "accessibility_needs",
                arrays,
            ),
            completed_for_authority,
            _shared(
                SupervisorAccessibility,
                SupervisorAccessibility.supervisor_id,
                candidate.c.id,
                "accessibility_needs",
                arrays,
            ),
        )
        .select_from(candidate)
        .join(Cooperative, Cooperative.id == candidate.c.cooperative_id)
        .join(Municipality, Municipality.id == Cooperative.municipality_id)
    )
    return statement.where(has_free_place(candidate.c.running, candidate.c.capacity)) if apart else statement


def load_candidates(
    session: Session, referral: Referral, match: Match, filters: MatchFilters = MatchFilters()
) -> list[Candidate]:
    values = {
        **parameters(referral, filters),
        "needs": sorted(match.needs),
        "languages": sorted(match.languages),
        "interests": sorted(match.interests),
        "accessibility_needs": sorted(match.accessibility_needs),
        "authority_id": match.authority_id,
    }
    # The session's connection, not `session.execute`: the statement is Core, and the ORM's
    # handling of its rows cost 0.3-0.7 ms per ranking (bench/README.md).
    connection = session.connection()
    return [
        Candidate(
            *columns,
            _codes(specialties),
            _codes(languages),
            _codes(trades),
            _codes(features),
            completed,
            supervisor_accessibility=_codes(offered),
        )
        for *columns, specialties, languages, trades, features, completed, offered in connection.execute(
            _statement(referral.region_wide, filters.shape, connection.dialect.name == "postgresql"), values
        )
    ]


@lru_cache(maxsize=1024)
def _codes(joined: str | None) -> frozenset[str]:
    """The codes of a comma-separated list, one set per distinct list: the lists are
    subsets of the participant's few codes, so hundreds of candidates share a handful of
    sets instead of allocating five each (fewer objects for the garbage collector too)."""
    return frozenset(joined.split(",")) if joined else EMPTY
