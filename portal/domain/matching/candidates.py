"""What the factors compare, loaded for every candidate in one query whatever their number.

The query is the bare fetch (`matching.conditions`) with the scoring data added: the
codes of the supervisor and the cooperative from the copies on their own rows
(`models.base.keep_code_copies`: no lookup per code set and candidate), and as
correlated subqueries, each an index lookup per row, the supervisor's planned and
active placements and unanswered offers and the placements the supervisor completed
for the referral's authority (an index-only count: the placement carries its authority,
see `bench/README.md`). Which of the codes the participant shares is worked out here,
the same on every database.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Select, any_, bindparam, func, select
from sqlalchemy.orm import Session

from portal.domain.eligibility import has_free_place, serving_the_participant
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
from portal.models.base import CODE_SEPARATOR


@lru_cache(maxsize=16)
def _statement(region_wide: bool, shape: tuple[bool, bool, bool], arrays: bool = False) -> Select:
    """The candidates first, as a materialised CTE with their running placements, then
    the scoring data for those rows only.

    Region-wide, the CTE applies every hard filter but the free place, which the outer
    query applies to the running count the CTE computed: one count per supervisor
    instead of two (the filter's and the factor's). For a municipality's referral the
    same on PostgreSQL (`arrays`), with the area filter's set of supervisors tested as an
    array (`= ANY(ARRAY(…))`): PostgreSQL's planner then fetches the municipality's
    supervisors by key, where with the `IN` and no correlated count among the conditions
    it scans all supervisors instead (measured in bench/README.md). Elsewhere a
    municipality's CTE applies every filter, as the bare fetch does."""
    apart, area = (), ()
    if region_wide:
        apart = ("free_place",)
    elif arrays:
        apart = ("free_place", "area")
        area = (Supervisor.id == any_(func.array(serving_the_participant().scalar_subquery())),)
    candidate = (
        select(
            Supervisor.id,
            Supervisor.user_id,
            Supervisor.gender,
            Supervisor.capacity,
            Supervisor.cooperative_id,
            Supervisor.specialty_codes,
            Supervisor.language_codes,
            Supervisor.accessibility_codes,
            running_placements().label("running"),
        )
        .where(*conditions(region_wide, shape, but=apart), *area)
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
            candidate.c.specialty_codes,
            candidate.c.language_codes,
            Cooperative.trade_codes,
            Cooperative.accessibility_codes,
            completed_for_authority,
            candidate.c.accessibility_codes,
        )
        .select_from(candidate)
        .join(Cooperative, Cooperative.id == candidate.c.cooperative_id)
        .join(Municipality, Municipality.id == Cooperative.municipality_id)
    )
    return statement.where(has_free_place(candidate.c.running, candidate.c.capacity)) if apart else statement


def load_candidates(
    session: Session, referral: Referral, match: Match, filters: MatchFilters = MatchFilters()
) -> list[Candidate]:
    values = {**parameters(referral, filters), "authority_id": match.authority_id}
    # The session's connection, not `session.execute`: the statement is Core, and the ORM's
    # handling of its rows cost 0.3-0.7 ms per ranking (bench/README.md). Rows fetched at
    # once, not one by one (0.05 ms of CPU for a municipality's, 0.2 ms region-wide).
    connection = session.connection()
    return [
        Candidate(
            *columns,
            _shared(specialties, match.needs),
            _shared(languages, match.languages),
            _shared(trades, match.interests),
            _shared(features, match.accessibility_needs),
            completed,
            supervisor_accessibility=_shared(offered, match.accessibility_needs),
        )
        for *columns, specialties, languages, trades, features, completed, offered in connection.execute(
            _statement(referral.region_wide, filters.shape, connection.dialect.name == "postgresql"), values
        ).all()
    ]


@lru_cache(maxsize=4096)
def _shared(joined: str | None, wanted: frozenset[str]) -> frozenset[str]:
    """The codes of a copy column (`models.base.joined_codes`) that the participant also
    has, one set per distinct pair: candidates share a handful of code lists, so hundreds
    of them share a few sets instead of allocating five each (fewer objects for the
    garbage collector too)."""
    return frozenset(joined.split(CODE_SEPARATOR)) & wanted if joined else EMPTY
