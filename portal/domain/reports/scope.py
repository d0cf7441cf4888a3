"""Every report is built held to the viewer's scope by core, whatever its code asks for.

A report (core's or a plugin's) gets a session in which every ORM statement is limited to
the rows of the viewer's scope (`access.report_scope`): a coordinator's region, a
caseworker's authority. The limits are SQLAlchemy's `with_loader_criteria`, added to
each statement (its joins and subqueries included) while the report builds, so a report
that forgets its region parameter, or names another region outright, still finds only
the viewer's rows. A statement the limits cannot reach — raw SQL text, or a Core
statement on the portal's own tables — is refused while a scoped report builds: reports
use ORM statements (`select(Referral…)`), as core's do.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import Select, TextClause

from portal.domain.access import ReportScope
from portal.models import (
    Authority,
    Cohort,
    Consent,
    Cooperative,
    Module,
    ModuleCompletion,
    Municipality,
    Offer,
    Participant,
    Placement,
    RealiaAnalysis,
    Referral,
    ReferralFieldValue,
    Region,
    Supervisor,
    Transition,
)

KEY = "portal.report_scope"

_referral = Referral.__table__  # Core tables inside the criteria, so that they are not limited again
_participant = Participant.__table__
_municipality = Municipality.__table__
_cooperative = Cooperative.__table__
_cohort = Cohort.__table__
_module = Module.__table__
_authority = Authority.__table__


class ScopeError(RuntimeError):
    """A report ran a statement the portal cannot hold to the viewer's scope."""


def _limits(scope: ReportScope) -> list:
    if scope.region_id is not None:
        referrals = select(_referral.c.id).where(_referral.c.region_id == scope.region_id)
        municipalities = select(_municipality.c.id).where(_municipality.c.region_id == scope.region_id)
        participants = select(_participant.c.id).where(
            or_(
                _participant.c.municipality_id.in_(municipalities),
                _participant.c.id.in_(
                    select(_referral.c.participant_id).where(_referral.c.region_id == scope.region_id)
                ),
            )
        )
        cooperatives = select(_cooperative.c.id).where(_cooperative.c.municipality_id.in_(municipalities))
        cohorts = select(_cohort.c.id).where(_cohort.c.region_id == scope.region_id)
        limits = {
            Referral: Referral.region_id == scope.region_id,
            Region: Region.id == scope.region_id,
            Municipality: Municipality.region_id == scope.region_id,
            Authority: or_(
                Authority.municipality_id.in_(municipalities),
                Authority.id.in_(select(_referral.c.authority_id).where(_referral.c.region_id == scope.region_id)),
            ),
            Cooperative: Cooperative.municipality_id.in_(municipalities),
            Supervisor: Supervisor.cooperative_id.in_(cooperatives),
            Cohort: Cohort.region_id == scope.region_id,
            Module: Module.cohort_id.in_(cohorts),
            ModuleCompletion: ModuleCompletion.module_id.in_(
                select(_module.c.id).where(_module.c.cohort_id.in_(cohorts))
            ),
            RealiaAnalysis: RealiaAnalysis.region_id == scope.region_id,
        }
    elif scope.authority_id is not None:
        referrals = select(_referral.c.id).where(_referral.c.authority_id == scope.authority_id)
        participants = select(_participant.c.id).where(
            or_(
                _participant.c.registered_by_authority_id == scope.authority_id,
                _participant.c.id.in_(
                    select(_referral.c.participant_id).where(_referral.c.authority_id == scope.authority_id)
                ),
            )
        )
        limits = {Referral: Referral.authority_id == scope.authority_id}
    else:
        return []
    limits |= {
        Participant: Participant.id.in_(participants),
        Consent: Consent.participant_id.in_(participants),
        Offer: Offer.referral_id.in_(referrals),
        Placement: Placement.referral_id.in_(referrals),
        Transition: Transition.referral_id.in_(referrals),
        ReferralFieldValue: ReferralFieldValue.referral_id.in_(referrals),
    }
    return [with_loader_criteria(entity, condition, include_aliases=True) for entity, condition in limits.items()]


def _limit(state: ORMExecuteState) -> None:
    limits = state.session.info.get(KEY)
    if not limits:
        return
    if isinstance(state.statement, TextClause) or (isinstance(state.statement, Select) and not state.is_orm_statement):
        raise ScopeError("a report must use ORM statements (select(Referral …)), which the portal can scope")
    if state.is_select:
        state.statement = state.statement.options(*limits)


@contextmanager
def held_to(session: Session, scope: ReportScope | None):
    """Within the block, every ORM statement `session` runs sees only `scope`'s rows."""
    limits = _limits(scope) if scope is not None else []
    if not limits:
        yield
        return
    if not event.contains(Session, "do_orm_execute", _limit):
        event.listen(Session, "do_orm_execute", _limit)
    session.info[KEY] = limits
    try:
        yield
    finally:
        session.info.pop(KEY, None)
