"""Registering participants and their consent, with every read and change audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.domain import access, audit, vocabulary
from portal.domain.calendar import local_today
from portal.domain.errors import InvalidInput
from portal.domain.pagination import Page, paginate
from portal.domain.participants import duplicates
from portal.domain.participants.privacy import InvalidPersonnummer, Vault, parse
from portal.domain.referrals.transitions import Refused, found
from portal.domain.transactions import begin_write, locked, locked_all
from portal.i18n import lazy_gettext as _
from portal.models import (
    Authority,
    Consent,
    ConsentMethod,
    ConsentScope,
    Gender,
    Municipality,
    Offer,
    Participant,
    Referral,
    Role,
    User,
)


@dataclass
class ParticipantDetails:
    """What a caseworker enters about a person. Codes come from `vocabulary`."""

    given_name: str
    family_name: str
    municipality_id: int | None
    gender: str = Gender.NOT_STATED
    labour_market_status: str | None = None
    education_level: str | None = None
    email: str | None = None
    phone: str | None = None
    needs: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    accessibility_needs: set[str] = field(default_factory=set)
    interests: set[str] = field(default_factory=set)


CODE_FIELDS = {
    "needs": vocabulary.NEEDS,
    "languages": vocabulary.LANGUAGES,
    "accessibility_needs": vocabulary.ACCESSIBILITY,
    "interests": vocabulary.TRADES,
}


def _validate(session: Session, details: ParticipantDetails) -> dict[str, object]:
    errors: dict[str, object] = {}
    for name in ("given_name", "family_name"):
        value = (getattr(details, name) or "").strip()
        if not value:
            errors[name] = _("Enter the name.")
        elif len(value) > 100:
            errors[name] = _("At most 100 characters.")
    if details.municipality_id is None or session.get(Municipality, details.municipality_id) is None:
        errors["municipality_id"] = _("Choose the municipality the person lives in.")
    if details.gender not in set(Gender):
        errors["gender"] = _("Choose woman, man or not stated.")
    if details.labour_market_status and details.labour_market_status not in vocabulary.LABOUR_MARKET_STATUSES:
        errors["labour_market_status"] = _("Choose one of the options.")
    if details.education_level and details.education_level not in vocabulary.EDUCATION_LEVELS:
        errors["education_level"] = _("Choose one of the options.")
    for name, known in CODE_FIELDS.items():
        unknown = set(getattr(details, name)) - set(known)
        if unknown:
            errors[name] = _("Unknown choices: %(codes)s.", codes=", ".join(sorted(unknown)))
    return errors


def _apply(participant: Participant, details: ParticipantDetails) -> None:
    participant.given_name = details.given_name.strip()
    participant.family_name = details.family_name.strip()
    participant.municipality_id = details.municipality_id
    participant.gender = details.gender
    participant.labour_market_status = details.labour_market_status or None
    participant.education_level = details.education_level or None
    participant.email = (details.email or "").strip() or None
    participant.phone = (details.phone or "").strip() or None
    for name in CODE_FIELDS:
        target = getattr(participant, name)
        target.clear()
        target.update(getattr(details, name))


def register(
    session: Session,
    vault: Vault,
    actor: User,
    personnummer: str,
    details: ParticipantDetails,
    *,
    today: date | None = None,
) -> Participant:
    """Create a participant at the caseworker's authority; the identity number is kept
    only encrypted and as a blind index. A number the authority has registered before
    raises `duplicates.AlreadyRegistered` (see `duplicates` for the choice)."""
    if actor.role != Role.CASEWORKER:
        raise Refused(_("Only caseworkers register participants."), 403)
    errors = _validate(session, details)
    try:
        number = parse(personnummer, today=today)
    except InvalidPersonnummer as error:
        errors["personnummer"] = str(error)
    if errors:
        raise InvalidInput(errors)
    index = vault.blind_index(number)
    begin_write(session)  # the check and the insert are one step, under the authority's lock:
    locked(session, Authority, actor.authority_id)  # the same number posted twice at once is one person
    duplicates.check_own_authority(session, actor, index)
    participant = Participant(
        personnummer_ciphertext=vault.encrypt(number),
        personnummer_index=index,
        birth_date=number.birth_date,
        registered_by_authority_id=actor.authority_id,
    )
    _apply(participant, details)
    session.add(participant)
    session.flush()
    audit.record(session, actor_id=actor.id, action="participant.create", participant_ids=[participant.id])
    return participant


def update(session: Session, actor: User, participant: Participant, details: ParticipantDetails) -> None:
    """Correct what is recorded about a person. Their referrals and offers carry a copy
    of their gender (the 3R report counts by it), corrected with it in the same
    transaction: their referrals are locked first, in the order of
    `domain.transactions`, then the person, then the copies are written. The identity
    number is not among the details: a different number is a different person (the
    blind index that finds duplicates stays as registered)."""
    _require(actor, access.ParticipantAction.CORRECT)
    errors = _validate(session, details)
    if errors:
        raise InvalidInput(errors)
    begin_write(session)
    referrals = [
        referral.id
        for referral in locked_all(
            session, Referral, session.scalars(select(Referral.id).where(Referral.participant_id == participant.id))
        )
    ]
    locked(session, Participant, participant.id, keys_kept=True)  # the same object, read again under the lock
    _apply(participant, details)
    for model, of_referrals in ((Referral, Referral.id), (Offer, Offer.referral_id)):
        session.execute(
            sql_update(model).where(of_referrals.in_(referrals)).values(participant_gender=participant.gender)
        )
    audit.record(session, actor_id=actor.id, action="participant.update", participant_ids=[participant.id])


def view(
    session: Session,
    actor: User,
    participant_id: int,
    purpose: str = "participant.view",
    action: access.ParticipantAction = access.ParticipantAction.VIEW,
) -> Participant:
    """The participant if `actor` may see them and do `action` with them, with the read
    audited; else Refused: 404 when they may not see the person — one outside one's
    access is indistinguishable from one who does not exist — and 403 when their role may
    not do `action` (`access.may_on_participant`)."""
    participant = found(
        session.scalar(
            select(Participant)
            .where(Participant.id == participant_id, access.participants_visible_to(actor))
            .options(selectinload(Participant.consents))
        ),
        _("There is no such participant, or you do not have access to them."),
    )
    _require(actor, action)
    audit.record(session, actor_id=actor.id, action=purpose, participant_ids=[participant.id])
    return participant


_REFUSALS = {
    access.ParticipantAction.CONSENT: _(
        "Only a caseworker at an authority that refers the person records or withdraws their consent."
    ),
    access.ParticipantAction.CORRECT: _(
        "Only a caseworker at an authority that registered or refers the person corrects their details."
    ),
}


def _require(actor: User, action: access.ParticipantAction) -> None:
    if not access.may_on_participant(actor, action):
        raise Refused(_REFUSALS.get(action) or _("Your role may not do this with a participant."), 403)


def listing(session: Session, actor: User, page: int, per_page: int) -> Page:
    """The participants `actor` may see, by name, with the listed ones audited as read."""
    query = (
        select(Participant)
        .where(access.participants_visible_to(actor))
        .options(joinedload(Participant.municipality))
        .order_by(Participant.family_name, Participant.given_name, Participant.id)
    )
    result = paginate(session, query, page, per_page)
    audit.record(
        session,
        actor_id=actor.id,
        action="participant.list",
        participant_ids=[p.id for p in result.items],
        detail="participants.index",
    )
    return result


def find_by_number(session: Session, vault: Vault, actor: User, raw: str) -> Participant | None:
    """The participant with this identity number among those `actor` may see (blind index;
    nothing is decrypted). Raises InvalidInput for a malformed number."""
    try:
        number = parse(raw)
    except InvalidPersonnummer as error:
        raise InvalidInput({"personnummer": error}) from None
    participant = session.scalar(
        select(Participant)
        .where(Participant.personnummer_index == vault.blind_index(number), access.participants_visible_to(actor))
        .order_by(Participant.id)
        .limit(1)
    )
    if participant is not None:
        audit.record(session, actor_id=actor.id, action="participant.find", participant_ids=[participant.id])
    return participant


def record_consent(
    session: Session,
    actor: User,
    participant: Participant,
    *,
    scope: str,
    method: str,
    given_on: date | None,
    today: date | None = None,
) -> Consent:
    _require(actor, access.ParticipantAction.CONSENT)
    today = today or local_today()
    errors: dict[str, object] = {}
    if scope not in set(ConsentScope):
        errors["scope"] = _("Choose what the consent covers.")
    if method not in set(ConsentMethod):
        errors["method"] = _("Choose how the consent was given.")
    if given_on is None:
        errors["given_on"] = _("Enter the date the consent was given.")
    elif given_on > today:
        errors["given_on"] = _("The date cannot be in the future.")
    if errors:
        raise InvalidInput(errors)
    consent = Consent(participant=participant, scope=scope, method=method, given_on=given_on, recorded_by=actor)
    session.add(consent)
    audit.record(session, actor_id=actor.id, action="consent.record", participant_ids=[participant.id])
    return consent


def withdrawn_consent(session: Session, actor: User, consent: Consent, on: date) -> None:
    """Mark the consent withdrawn; the caller then withdraws the person's open referrals."""
    _require(actor, access.ParticipantAction.CONSENT)
    if consent.withdrawn_on is not None:
        raise Refused(_("The consent has already been withdrawn."), 409)
    if on < consent.given_on:
        raise InvalidInput({"withdrawn_on": _("The consent cannot be withdrawn before it was given.")})
    consent.withdrawn_on = on
    audit.record(session, actor_id=actor.id, action="consent.withdraw", participant_ids=[consent.participant_id])


def identity_number(vault: Vault, actor: User, participant: Participant) -> str | None:
    """The number in clear, for the participant page of those allowed to see it."""
    if participant.personnummer_ciphertext is None or not access.may_on_participant(
        actor, access.ParticipantAction.IDENTITY_NUMBER
    ):
        return None
    digits = vault.decrypt(participant.personnummer_ciphertext)
    return f"{digits[:8]}-{digits[8:]}"
