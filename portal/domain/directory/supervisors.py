"""The supervisors of the directory: inviting a person as a supervisor of a cooperative,
their capacity, the municipalities they serve, what they offer, active or not, and a
pause ("takes no offers until …") which the supervisor may also set themselves.

Matching reads these columns directly (`portal.domain.matching.filters`): an inactive,
paused or uncertified supervisor, or one whose cooperative is deactivated, is never a
candidate. A coordinator keeps the supervisors of their region's cooperatives, an admin
every region's. Every change writes an audit event; bad input changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.domain import access, audit, vocabulary
from portal.domain.accounts import invitations, users
from portal.domain.errors import InvalidInput
from portal.domain.pagination import Page, paginate, searched
from portal.domain.referrals.transitions import Refused, found
from portal.domain.transactions import begin_write, locked
from portal.i18n import lazy_gettext as _
from portal.models import Cooperative, Gender, Municipality, Role, Supervisor, User
from portal.models.directory import SupervisorLanguage, SupervisorSpecialty, supervisor_municipality
from portal.models.training import Cohort

MIN_CAPACITY, MAX_CAPACITY = 1, 10  # placements at once; more than ten is not supervision
PAUSE_REASON_LENGTH = 200


@dataclass
class SupervisorDetails:
    """What the supervisor form holds; validated by `save`."""

    cooperative_id: int | None = None
    gender: str = Gender.NOT_STATED
    capacity: int | None = 2
    municipality_ids: set[int] = field(default_factory=set)
    specialties: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    accessibility: set[str] = field(default_factory=set)
    active: bool = True


@dataclass(frozen=True)
class SupervisorFilters:
    text: str = ""  # part of the name, e-mail or cooperative's name
    municipality_id: int | None = None  # serves it
    language: str | None = None
    specialty: str | None = None
    status: str = "active"  # "active", "inactive", "paused", "" (all)


def listing(session: Session, user: User, filters: SupervisorFilters, page: int, per_page: int, today: date) -> Page:
    """The supervisors `user` may see in the directory, searched and filtered, by name."""
    query = (
        select(Supervisor)
        .join(User, User.id == Supervisor.user_id)
        .join(Cooperative, Cooperative.id == Supervisor.cooperative_id)
        .where(access.supervisors_in_directory(user))
        .options(
            joinedload(Supervisor.user),
            joinedload(Supervisor.cooperative).joinedload(Cooperative.municipality),
            selectinload(Supervisor._language_rows),
            selectinload(Supervisor._specialty_rows),
            selectinload(Supervisor._accessibility_rows),
        )
        .order_by(User.name, Supervisor.id)
    )
    query = searched(query, filters.text, User.name, User.email, Cooperative.name)
    if filters.municipality_id:
        serves = supervisor_municipality.c
        query = query.where(
            Supervisor.id.in_(select(serves.supervisor_id).where(serves.municipality_id == filters.municipality_id))
        )
    if filters.language:
        query = query.where(Supervisor.id.in_(SupervisorLanguage.owners_with(filters.language)))
    if filters.specialty:
        query = query.where(Supervisor.id.in_(SupervisorSpecialty.owners_with(filters.specialty)))
    paused = Supervisor.paused_until.is_not(None) & (Supervisor.paused_until >= today)
    status = {"active": Supervisor.active.is_(True), "inactive": Supervisor.active.is_(False), "paused": paused}
    if filters.status in status:
        query = query.where(status[filters.status])
    return paginate(session, query, page, per_page)


def region_of(supervisor: Supervisor) -> int:
    return supervisor.cooperative.municipality.region_id


def for_change(session: Session, actor: User, supervisor_id: int) -> Supervisor:
    """The supervisor, if `actor` may change their record (404 none, 403 another region's)."""
    supervisor = found(session.get(Supervisor, supervisor_id), _("There is no such supervisor."))
    if not access.may_act_for_region(actor, region_of(supervisor)):
        raise Refused(_("You may change only the supervisors of your own region's cooperatives."), 403)
    return supervisor


def own_profile(session: Session, user: User) -> Supervisor:
    return found(
        session.scalar(select(Supervisor).where(Supervisor.user_id == user.id)), _("You have no supervisor profile.")
    )


def invite(
    session: Session, actor: User, name: str, email: str, details: SupervisorDetails, cohort_id: int | None = None
) -> Supervisor:
    """A new person as a supervisor: their account (no password yet), the invitation mail
    with its one-time link to set one (`accounts.invitations`), and their supervisor
    record, optionally enrolled in a training cohort; all in the caller's transaction."""
    errors: dict[str, object] = {}
    email, name = users.checked_person(session, email, name, errors)
    cohort = session.get(Cohort, cohort_id) if cohort_id else None
    if cohort_id and (cohort is None or not access.may_act_for_region(actor, cohort.region_id)):
        errors["cohort_id"] = _("Choose a cohort of your own region.")
    try:
        values = _validated(session, actor, details)
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name, role=Role.SUPERVISOR, gender=details.gender, password_hash="")
    supervisor = Supervisor(user=user, cohort=cohort)
    session.add(supervisor)
    _apply(supervisor, details, values)
    session.flush()
    audit.record_change(session, actor_id=actor.id, action="supervisor.invite", detail=f"supervisor={supervisor.id}")
    invitations.send(session, actor, user)
    return supervisor


def save(session: Session, actor: User, supervisor: Supervisor, details: SupervisorDetails) -> None:
    """Change a supervisor's record; InvalidInput names each bad field.

    The row is locked and read again first (`domain.transactions`), so that two people
    saving at once take turns: the second's save replaces the first's whole, and the
    code rows and the copies matching reads (`models.base.keep_code_copies`) agree."""
    begin_write(session)
    supervisor = locked(session, Supervisor, supervisor.id, keys_kept=True)
    if not access.may_act_for_region(actor, region_of(supervisor)):
        raise Refused(_("You may change only the supervisors of your own region's cooperatives."), 403)
    _apply(supervisor, details, _validated(session, actor, details, kept=served_elsewhere(actor, supervisor)))
    session.flush()
    audit.record_change(session, actor_id=actor.id, action="supervisor.change", detail=f"supervisor={supervisor.id}")


def served_elsewhere(actor: User, supervisor: Supervisor) -> list[Municipality]:
    """The municipalities the supervisor serves outside the regions `actor` keeps: shown,
    not changed, so that a coordinator's save keeps a neighbouring region's municipality."""
    return sorted(
        (m for m in supervisor.municipalities if not access.may_act_for_region(actor, m.region_id)),
        key=lambda municipality: municipality.name,
    )


def _apply(supervisor: Supervisor, details: SupervisorDetails, values: dict) -> None:
    supervisor.cooperative_id = details.cooperative_id
    supervisor.gender = details.gender
    supervisor.user.gender = details.gender
    supervisor.capacity = details.capacity
    supervisor.active = details.active
    supervisor.municipalities = values["municipalities"]
    supervisor.specialties = set(details.specialties)
    supervisor.languages = set(details.languages)
    supervisor.accessibility = set(details.accessibility)


def _validated(session: Session, actor: User, details: SupervisorDetails, kept: Iterable[Municipality] = ()) -> dict:
    """The checked values; `kept`: municipalities served that `actor` cannot change."""
    errors: dict[str, object] = {}
    cooperative = session.get(Cooperative, details.cooperative_id) if details.cooperative_id else None
    if cooperative is None:
        errors["cooperative_id"] = _("Choose the supervisor's cooperative.")
    elif not access.may_act_for_region(actor, cooperative.municipality.region_id):
        errors["cooperative_id"] = _("Choose a cooperative of your own region.")
    if details.capacity is None or not MIN_CAPACITY <= details.capacity <= MAX_CAPACITY:
        errors["capacity"] = _(
            "Enter how many placements at once, from %(low)d to %(high)d.", low=MIN_CAPACITY, high=MAX_CAPACITY
        )
    if details.gender not in set(Gender):
        errors["gender"] = _("Choose from the list.")
    municipalities = set(
        session.scalars(select(Municipality).where(Municipality.id.in_(details.municipality_ids or [0])))
    )
    if len(municipalities) != len(details.municipality_ids) or not municipalities | set(kept):
        errors["municipality_ids"] = _("Choose at least one municipality the supervisor serves.")
    elif any(not access.may_act_for_region(actor, municipality.region_id) for municipality in municipalities):
        errors["municipality_ids"] = _("Choose municipalities of your own region.")
    for name, codes, known in (
        ("specialties", details.specialties, vocabulary.NEEDS),
        ("languages", details.languages, vocabulary.LANGUAGES),
        ("accessibility", details.accessibility, vocabulary.ACCESSIBILITY),
    ):
        if set(codes) - set(known):
            errors[name] = _("Choose from the list.")
    if errors:
        raise InvalidInput(errors)
    return {"municipalities": municipalities | set(kept)}


# Pauses ------------------------------------------------------------------------------


def _may_pause(actor: User, supervisor: Supervisor) -> bool:
    return supervisor.user_id == actor.id or access.may_act_for_region(actor, region_of(supervisor))


def pause(session: Session, actor: User, supervisor: Supervisor, until: date | None, reason: str, today: date) -> None:
    """No offers up to and including `until` (today or later), for a stated reason."""
    if not _may_pause(actor, supervisor):
        raise Refused(_("You may pause only yourself or your own region's supervisors."), 403)
    errors: dict[str, object] = {}
    if until is None:
        errors["until"] = _("Enter the last day of the pause.")
    elif until < today:
        errors["until"] = _("The pause cannot end in the past: enter today or a later day.")
    reason = (reason or "").strip()
    if not reason or len(reason) > PAUSE_REASON_LENGTH:
        errors["reason"] = _("Say briefly why (at most %(count)d characters).", count=PAUSE_REASON_LENGTH)
    if errors:
        raise InvalidInput(errors)
    supervisor.paused_until, supervisor.pause_reason = until, reason
    audit.record_change(
        session, actor_id=actor.id, action="supervisor.pause", detail=f"supervisor={supervisor.id} until={until}"
    )


def end_pause(session: Session, actor: User, supervisor: Supervisor) -> None:
    if not _may_pause(actor, supervisor):
        raise Refused(_("You may pause only yourself or your own region's supervisors."), 403)
    supervisor.paused_until, supervisor.pause_reason = None, None
    audit.record_change(session, actor_id=actor.id, action="supervisor.resume", detail=f"supervisor={supervisor.id}")
