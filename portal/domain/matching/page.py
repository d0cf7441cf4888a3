"""Everything the match page shows, in a fixed number of queries whatever the data size.

The page is for whoever may offer the referral now (the workflow's "offer" transition
decides: caseworker or coordinator in the default workflow): the ranked candidates
with each factor's contribution, narrowed by the page's filters, and on request the
reasons one supervisor of the region is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, eligibility
from portal.domain.matching.filters import MatchFilters, why_not_listed
from portal.domain.matching.ranking import Ranked, Ranking, rank
from portal.domain.notifications import inbox
from portal.domain.referrals.actions import shown
from portal.domain.referrals.transitions import Engine, Refused, allowed
from portal.domain.referrals.workflow import Workflow
from portal.i18n import lazy_gettext as _
from portal.models import Cooperative, Municipality, Referral, Supervisor, User


@dataclass(frozen=True)
class SupervisorChoice:
    """A supervisor as the "why isn't X listed?" choice shows them."""

    id: int
    name: str
    cooperative_name: str


@dataclass
class Answer:
    """Why one supervisor is, or is not, in the list."""

    supervisor: SupervisorChoice
    reasons: list  # hard filters failed, in plain language; empty when none
    listed: Ranked | None  # their place in the list as filtered, when they are in it


@dataclass
class MatchPage:
    referral: Referral
    workflow: Workflow
    ranking: Ranking
    entries: list[Ranked]  # this page's rows
    page: int
    pages: int
    filters: MatchFilters
    municipalities: list[Municipality]  # the filter's choices: the referral's region
    others: list[SupervisorChoice]  # the region's supervisors not in the list, for "why isn't X listed?"
    answer: Answer | None

    @property
    def several(self) -> bool:
        return self.workflow.max_parallel_offers > 1


def referral_for_matching(session: Session, actor: User, referral_id: int) -> Referral:
    """The referral with everything ranking reads, if `actor` may see it (else 404)."""
    return shown(session, actor, referral_id, joinedload(Referral.region))


def require_offer_allowed(engine: Engine, referral: Referral, actor: User) -> Workflow:
    """Only those whose role may fire the workflow's "offer" now see the ranking."""
    workflow = engine.workflow_of(referral)
    offer = workflow.transition("offer")
    if offer is None or actor.role not in offer.roles:
        raise Refused(_("Your role may not offer referrals to supervisors."), 403)
    if not any(transition.name == "offer" for transition in allowed(engine, referral, actor)):
        state = workflow.state(referral.state)
        raise Refused(
            _("This cannot be done while the referral is “%(state)s”.", state=state.label if state else referral.state),
            409,
        )
    return workflow


def load(
    session: Session,
    engine: Engine,
    actor: User,
    referral_id: int,
    filters: MatchFilters,
    *,
    page: int = 1,
    per_page: int = 25,
    why: int | None = None,
) -> MatchPage:
    referral = referral_for_matching(session, actor, referral_id)
    workflow = require_offer_allowed(engine, referral, actor)
    ranking = rank(session, engine, referral, filters)
    pages = max(1, ceil(len(ranking) / per_page))
    page = min(max(1, page), pages)
    municipalities = list(
        session.scalars(
            select(Municipality).where(Municipality.region_id == referral.region_id).order_by(Municipality.name)
        )
    )
    region_supervisors = _region_supervisors(session, actor, referral)
    listed = {entry.candidate.supervisor_id for entry in ranking.entries}
    answer = None
    if why is not None and why in region_supervisors:
        answer = Answer(region_supervisors[why], why_not_listed(session, referral, why) or [], ranking.find(why))
    inbox.opened(session, actor, referral, "referral.match")
    return MatchPage(
        referral=referral,
        workflow=workflow,
        ranking=ranking,
        entries=ranking.entries[(page - 1) * per_page : page * per_page],
        page=page,
        pages=pages,
        filters=filters,
        municipalities=municipalities,
        others=[supervisor for supervisor_id, supervisor in region_supervisors.items() if supervisor_id not in listed],
        answer=answer,
    )


def _region_supervisors(session: Session, actor: User, referral: Referral) -> dict[int, SupervisorChoice]:
    """Supervisors the actor may see who work or serve in the referral's region, by name."""
    related = eligibility.in_region(referral.region_id)
    rows = session.execute(
        select(Supervisor.id, User.name, Cooperative.name)
        .join(User, User.id == Supervisor.user_id)
        .join(Cooperative, Cooperative.id == Supervisor.cooperative_id)
        .where(access.supervisors_visible_to(actor), related)
        .order_by(User.name, Supervisor.id)
    )
    return {row[0]: SupervisorChoice(*row) for row in rows}


PANEL_CANDIDATES = 5  # the best ranked shown beside the referral; the match page has them all


def panel(session: Session, engine: Engine, referral: Referral) -> list[Ranked]:
    """The best ranked candidates shown beside a referral whose user may offer it now."""
    return rank(session, engine, referral).top(PANEL_CANDIDATES)
