"""Everything the referral page shows, loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.domain import access, vocabulary
from portal.domain.notifications import inbox
from portal.domain.referrals import fields as referral_fields
from portal.domain.referrals import stranded
from portal.domain.referrals.actions import lead_times, shown
from portal.domain.referrals.offer_timers import reminder_due
from portal.domain.referrals.transitions import Blocked, Engine, allowed, blocked
from portal.domain.referrals.workflow import Workflow
from portal.models import EndReport, Offer, OfferState, Referral, Role, Supervisor, Transition, User
from portal.models.base import utcnow

OFFER_TRANSITIONS = {"offer", "accept", "decline", "decline_one"}


@dataclass
class ReferralPage:
    referral: Referral
    workflow: Workflow
    actions: list  # workflow transitions the user may fire from here, other than offer answers
    can_offer: bool
    my_open_offer: Offer | None
    lead: dict
    now: datetime
    show_identity: bool
    answers: list = field(default_factory=list)  # the plugins' extra fields, `referral_fields.ShownAnswer`
    offers: list = field(default_factory=list)  # the offers the user may see (`access.may_see_offer`)
    timeline: list = field(default_factory=list)  # (step, whether who and the note are shown)
    stranded: bool = False  # its workflow version is not installed: shown, but nothing can be done
    blocked: dict[str, Blocked] = field(default_factory=dict)  # actions a guard refuses today, and why
    end_report: EndReport | None = None  # loaded when a step offered needs it (`reports_end`)

    def requires(self, transition, field_name: str) -> bool:
        """Whether one of the transition's guards requires the form field (`steps.input_required`)."""
        return any(getattr(guard, "field", None) == field_name for guard in transition.guards)

    def destructive(self, transition) -> bool:
        """The step ends the case (its target is an ended or terminal state): asked to be confirmed."""
        target = self.workflow.state(transition.target)
        return target is not None and (target.ended or target.terminal)

    def reports_end(self, transition) -> bool:
        """The step needs the end report first (a guard `steps.fixed_by("end_report")`):
        its form shows the report's result and links to it."""
        return any(getattr(guard, "fix", None) == "end_report" for guard in transition.guards)

    @property
    def end_report_outcome(self):
        """The end report's result at exit, as pages word it."""
        return vocabulary.OUTCOMES.get(self.end_report.outcome, self.end_report.outcome) if self.end_report else None

    def step_answers(self, entry: Transition) -> list:
        """The answers kept with a timeline entry (`Transition.fields`), labelled by the step
        of that name in the referral's workflow, as `referral_fields.ShownAnswer`s."""
        step = self.workflow.transition(entry.name)
        return referral_fields.shown_named(step.fields if step else (), entry.answers or {})

    def expiring_soon(self, offer: Offer) -> bool:
        return offer.state == OfferState.OPEN and reminder_due(offer, self.now)


def load_page(session: Session, engine: Engine, actor: User, referral_id: int) -> ReferralPage:
    referral = shown(
        session,
        actor,
        referral_id,
        joinedload(Referral.caseworker),
        joinedload(Referral.placement),
        selectinload(Referral.offers).joinedload(Offer.supervisor).joinedload(Supervisor.user),
        selectinload(Referral.offers).joinedload(Offer.supervisor).joinedload(Supervisor.cooperative),
        selectinload(Referral.transitions).joinedload(Transition.actor),
    )
    is_stranded = stranded.is_stranded(engine.registry, referral)
    workflow = stranded.stand_in(referral) if is_stranded else engine.workflow_of(referral)
    possible = [] if is_stranded else allowed(engine, referral, actor)
    can_offer = any(t.name == "offer" for t in possible)
    my_offer = next(
        (o for o in referral.offers if o.state == OfferState.OPEN and o.supervisor.user_id == actor.id), None
    )
    actions = [t for t in possible if t.name not in OFFER_TRANSITIONS and _applies(t.name, referral, actor)]
    refusals = {t.name: blocked(session, engine, referral, t, actor) for t in actions}
    reporting = any(getattr(guard, "fix", None) == "end_report" for t in actions for guard in t.guards)
    inbox.opened(session, actor, referral, "referral.view")
    return ReferralPage(
        referral=referral,
        workflow=workflow,
        actions=actions,
        blocked={name: refusal for name, refusal in refusals.items() if refusal},
        can_offer=can_offer,
        my_open_offer=my_offer,
        lead=lead_times(referral),
        now=utcnow(),
        show_identity=actor.role != Role.SUPERVISOR,
        answers=referral_fields.shown(session, engine, referral.id),
        stranded=is_stranded,
        offers=[offer for offer in referral.offers if access.may_see_offer(actor, offer)],
        timeline=[(step, access.may_see_step_details(actor, referral, step)) for step in referral.transitions],
        end_report=session.scalar(select(EndReport).where(EndReport.referral_id == referral.id)) if reporting else None,
    )


def _applies(name: str, referral: Referral, actor: User) -> bool:
    """A supervisor acts only on their own placement."""
    if actor.role == Role.SUPERVISOR and name in ("start", "complete", "discontinue"):
        return referral.placement is not None and referral.placement.supervisor.user_id == actor.id
    return True
