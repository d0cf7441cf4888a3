"""Who sees which referrals, participants, offers and timeline steps, and who follows a
placement and takes part in its conversation.
"""

from __future__ import annotations

import enum

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from portal.models import (
    Municipality,
    Offer,
    OfferState,
    Participant,
    Placement,
    Referral,
    Role,
    Supervisor,
    User,
)


def _own_supervisor_id(user: User):
    return select(Supervisor.id).where(Supervisor.user_id == user.id).scalar_subquery()


def referrals_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Referral` for the referrals `user` may see."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Referral.region_id == user.region_id
    if user.role == Role.CASEWORKER:
        return Referral.authority_id == user.authority_id
    if user.role == Role.SUPERVISOR:
        supervisor_id = _own_supervisor_id(user)
        offered = select(Offer.referral_id).where(
            Offer.supervisor_id == supervisor_id, Offer.state.in_([OfferState.OPEN, OfferState.ACCEPTED])
        )
        placed = select(Placement.referral_id).where(Placement.supervisor_id == supervisor_id)
        return or_(Referral.id.in_(offered), Referral.id.in_(placed))
    return false()


def participants_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Participant`: those registered by, or referred within, what `user` sees."""
    if user.role == Role.ADMIN:
        return true()
    referred = select(Referral.participant_id).where(referrals_visible_to(user))
    if user.role == Role.CASEWORKER:
        return or_(Participant.registered_by_authority_id == user.authority_id, Participant.id.in_(referred))
    if user.role == Role.COORDINATOR:
        in_region = select(Municipality.id).where(Municipality.region_id == user.region_id)
        return or_(Participant.municipality_id.in_(in_region), Participant.id.in_(referred))
    return Participant.id.in_(referred)


class ParticipantAction(enum.StrEnum):
    """What can be done with a participant one may see."""

    VIEW = "view"  # the participant page: name, municipality, needs
    IDENTITY_NUMBER = "identity_number"  # the personnummer in clear, and the ESF details
    CONSENT = "consent"  # record or withdraw a consent (withdrawal stops their referrals)
    CORRECT = "correct"  # correct the details recorded at registration (not the identity number)
    WRITE_REFERRAL = "write_referral"
    REMOVE = "remove"  # remove a registration made by mistake, while `removable_by` allows it


PARTICIPANT_ACTIONS: dict[str, frozenset[ParticipantAction]] = {
    Role.CASEWORKER: frozenset(ParticipantAction),
    Role.COORDINATOR: frozenset({ParticipantAction.VIEW, ParticipantAction.IDENTITY_NUMBER}),
    Role.ADMIN: frozenset({ParticipantAction.VIEW, ParticipantAction.IDENTITY_NUMBER}),
    Role.SUPERVISOR: frozenset({ParticipantAction.VIEW}),
}


def may_on_participant(user: User, action: ParticipantAction) -> bool:
    """Whether `user`'s role may do `action` with a participant they see
    (`participants_visible_to` decides which ones they see). Consent and corrections are
    the caseworkers' alone: only the authority that registered or refers the person
    records or withdraws consent and corrects what is recorded about them."""
    return action in PARTICIPANT_ACTIONS.get(user.role, frozenset())


def removable_by(user: User) -> ColumnElement[bool]:
    """Condition on `Participant`: the registrations `user` may remove as made by mistake
    (a mistyped identity number is another person, and the portal may not keep a record
    of them). Those of a caseworker's own authority, the one that answers for the
    registration, while none of the person's referrals has been submitted: until then
    nobody outside the authority has seen the person; after, the case belongs to the
    workflow and to retention."""
    if not may_on_participant(user, ParticipantAction.REMOVE):
        return false()
    submitted = exists().where(Referral.participant_id == Participant.id, Referral.submitted_at.is_not(None))
    return and_(Participant.registered_by_authority_id == user.authority_id, ~submitted)


def participant_actions(user: User) -> frozenset[ParticipantAction]:
    """Every action `user` may do with a participant they see (for a page to offer)."""
    return PARTICIPANT_ACTIONS.get(user.role, frozenset())


def may_see_duplicates(user: User) -> bool:
    """The list of people registered at several authorities: the offices', who coordinate
    the authorities (each only among the participants of their region)."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def may_see_offer(user: User, offer: Offer) -> bool:
    """Within a referral one sees: a supervisor sees only the offers made to themselves,
    not who else was asked or why they declined; everyone else sees every offer."""
    return user.role != Role.SUPERVISOR or offer.supervisor.user_id == user.id


def may_see_step_details(user: User, referral: Referral, step) -> bool:
    """Whether the timeline shows who took a step of `referral` and their note. A
    supervisor sees them only for their own steps and for others' steps since the
    referral was first offered to them, never another supervisor's (an earlier decline
    and its reason); everyone else sees all."""
    if user.role != Role.SUPERVISOR or step.actor_id == user.id:
        return True
    if step.actor is not None and step.actor.role == Role.SUPERVISOR:
        return False
    mine = [offer.offered_at for offer in referral.offers if offer.supervisor.user_id == user.id]
    return bool(mine) and step.occurred_at >= min(mine)


class FollowUpAction(enum.StrEnum):
    """What can be done in the follow-up of a placement one may see (`follow_up_visible_to`)."""

    READ = "read"  # the plan, meetings and end report
    WRITE_PLAN = "write_plan"  # draft the plan and send it to the caseworker
    DECIDE_PLAN = "decide_plan"  # approve the plan or send it back
    MEETINGS = "meetings"  # book, change, cancel and record meetings
    END_REPORT = "end_report"  # write the end report
    REPORT = "report"  # record attendance and write progress reports (on one's own placements)


FOLLOW_UP_ACTIONS: dict[str, frozenset[FollowUpAction]] = {
    Role.SUPERVISOR: frozenset(FollowUpAction) - {FollowUpAction.DECIDE_PLAN},
    Role.CASEWORKER: frozenset({FollowUpAction.READ, FollowUpAction.DECIDE_PLAN, FollowUpAction.MEETINGS}),
    Role.COORDINATOR: frozenset({FollowUpAction.READ}),
    Role.ADMIN: frozenset({FollowUpAction.READ}),
}


def follow_up_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Referral` for the placements whose follow-up `user` sees: a supervisor
    only their own placements (not what is merely offered to them), everyone else what
    `referrals_visible_to` gives (caseworkers their authority's, coordinators their region's)."""
    if user.role == Role.SUPERVISOR:
        placed = select(Placement.referral_id).where(Placement.supervisor_id == _own_supervisor_id(user))
        return Referral.id.in_(placed)
    return referrals_visible_to(user)


def conversations_of(user: User) -> ColumnElement[bool]:
    """Condition on `Referral`: the conversations `user` reads and writes in. One
    conversation per referral, between its caseworker, the supervisor of its placement and
    its region's coordinators; messages may be about the person's health, so the
    authority's other caseworkers and the admins take no part."""
    if user.role == Role.CASEWORKER:
        return Referral.caseworker_id == user.id
    if user.role in (Role.SUPERVISOR, Role.COORDINATOR):
        return follow_up_visible_to(user)
    return false()


def takes_part_in_conversation(user: User, referral: Referral) -> bool:
    """`conversations_of` for one loaded referral: whether its page offers the conversation."""
    if user.role == Role.CASEWORKER:
        return referral.caseworker_id == user.id
    if user.role == Role.COORDINATOR:
        return referral.region_id == user.region_id
    placement = referral.placement
    return user.role == Role.SUPERVISOR and placement is not None and placement.supervisor.user_id == user.id


def may_on_follow_up(user: User, action: FollowUpAction) -> bool:
    """Whether `user`'s role may do `action` in the follow-up of a placement they see."""
    return action in FOLLOW_UP_ACTIONS.get(user.role, frozenset())


def may_list_participants(user: User) -> bool:
    """The participants' list: everyone but supervisors, who see only their own placements."""
    return user.role in (Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER)
