"""Training cohorts (utbildningsomgångar) per region, their modules in order with hours,
who is enrolled, and the cohort's evaluation note.

A coordinator runs their region's cohorts, an admin every region's
(`access.may_act_for_region`). A person may be enrolled before their supervisor record
is active: enrolment is the supervisor record's cohort, whatever its state. Every change
writes an audit event; bad input changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, audit
from portal.domain.errors import InvalidInput
from portal.domain.referrals.transitions import Refused, found
from portal.domain.training.definitions import modules_completed, trained_supervisors_condition
from portal.i18n import lazy_gettext as _
from portal.models import Cohort, Cooperative, Module, Municipality, Region, Supervisor, User

MAX_MODULE_HOURS = 200


@dataclass
class CohortDetails:
    region_id: int | None = None
    name: str = ""
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class CohortRow:
    cohort: Cohort
    modules: int
    hours: int
    enrolled: int
    trained: int
    certified: int


@dataclass(frozen=True)
class Person:
    """An enrolled person as the cohort page shows them."""

    supervisor: Supervisor
    completed: int
    trained: bool


def listing(session: Session, user: User) -> list[CohortRow]:
    """The cohorts `user` may see, newest first, with their figures: two queries in all."""
    modules = (
        select(Module.cohort_id, func.count().label("modules"), func.sum(Module.hours).label("hours"))
        .group_by(Module.cohort_id)
        .subquery()
    )
    people = (
        select(
            Supervisor.cohort_id,
            func.count().label("enrolled"),
            func.count(Supervisor.id).filter(trained_supervisors_condition()).label("trained"),
            func.count(Supervisor.certified_on).label("certified"),
        )
        .group_by(Supervisor.cohort_id)
        .subquery()
    )
    rows = session.execute(
        select(Cohort, modules.c.modules, modules.c.hours, people.c.enrolled, people.c.trained, people.c.certified)
        .outerjoin(modules, modules.c.cohort_id == Cohort.id)
        .outerjoin(people, people.c.cohort_id == Cohort.id)
        .where(access.cohorts_visible_to(user))
        .options(joinedload(Cohort.region))
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    return [CohortRow(cohort, *(value or 0 for value in figures)) for cohort, *figures in rows]


def for_reading(session: Session, actor: User, cohort_id: int) -> Cohort:
    return found(
        session.scalar(select(Cohort).where(Cohort.id == cohort_id, access.cohorts_visible_to(actor))),
        _("There is no such cohort, or you do not have access to it."),
    )


def for_change(session: Session, actor: User, cohort_id: int) -> Cohort:
    cohort = for_reading(session, actor, cohort_id)
    if not access.may_act_for_region(actor, cohort.region_id):
        raise Refused(_("You may change only your own region's cohorts."), 403)
    return cohort


def people(session: Session, cohort: Cohort) -> list[Person]:
    """Everyone enrolled in the cohort with the modules they have completed, by name."""
    rows = session.execute(
        select(Supervisor, modules_completed(), trained_supervisors_condition())
        .join(User, User.id == Supervisor.user_id)
        .where(Supervisor.cohort_id == cohort.id)
        .options(joinedload(Supervisor.user), joinedload(Supervisor.cooperative))
        .order_by(User.name, Supervisor.id)
    )
    return [Person(supervisor, completed, bool(trained)) for supervisor, completed, trained in rows]


def not_enrolled(session: Session, cohort: Cohort) -> list[Supervisor]:
    """The supervisors of the cohort's region in no cohort yet: who may be enrolled."""
    in_region = select(Cooperative.id).join(Municipality).where(Municipality.region_id == cohort.region_id)
    return list(
        session.scalars(
            select(Supervisor)
            .join(User, User.id == Supervisor.user_id)
            .where(Supervisor.cohort_id.is_(None), Supervisor.cooperative_id.in_(in_region))
            .options(joinedload(Supervisor.user))
            .order_by(User.name)
        )
    )


def save(session: Session, actor: User, details: CohortDetails, cohort: Cohort | None = None) -> Cohort:
    """Create a cohort (`cohort` None) or change its name and dates."""
    errors: dict[str, object] = {}
    region = session.get(Region, details.region_id) if details.region_id else None
    if region is None or not access.may_act_for_region(actor, region.id):
        errors["region_id"] = _("Choose your own region.")
    name = (details.name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("Enter the cohort's name (at most 200 characters).")
    if details.starts_on is None:
        errors["starts_on"] = _("Enter the first day.")
    if details.ends_on is None:
        errors["ends_on"] = _("Enter the last day.")
    elif details.starts_on is not None and details.ends_on < details.starts_on:
        errors["ends_on"] = _("The last day cannot come before the first.")
    if errors:
        raise InvalidInput(errors)
    created, cohort = cohort is None, cohort or Cohort()
    session.add(cohort)
    cohort.region_id, cohort.name = region.id, name
    cohort.starts_on, cohort.ends_on = details.starts_on, details.ends_on
    audit.record_saved(session, actor, cohort, created)
    return cohort


def add_module(
    session: Session, actor: User, cohort: Cohort, title: str, hours: int | None, held_on: date | None
) -> Module:
    """A module after the cohort's last one; its session day, if given, within the cohort's dates."""
    if not access.may_act_for_region(actor, cohort.region_id):
        raise Refused(_("You may change only your own region's cohorts."), 403)
    errors: dict[str, object] = {}
    title = (title or "").strip()
    if not title or len(title) > 200:
        errors["title"] = _("Enter the module's title (at most 200 characters).")
    if hours is None or not 1 <= hours <= MAX_MODULE_HOURS:
        errors["hours"] = _("Enter the hours, from 1 to %(most)d.", most=MAX_MODULE_HOURS)
    if held_on is not None and not cohort.starts_on <= held_on <= cohort.ends_on:
        errors["held_on"] = _("The session must be within the cohort's dates.")
    if errors:
        raise InvalidInput(errors)
    last = session.scalar(select(func.max(Module.position)).where(Module.cohort_id == cohort.id)) or 0
    module = Module(cohort_id=cohort.id, position=last + 1, title=title, hours=hours, held_on=held_on)
    session.add(module)
    session.flush()
    audit.record_change(
        session, actor_id=actor.id, action="cohort.module.add", detail=f"cohort={cohort.id} module={module.id}"
    )
    return module


def move_module(session: Session, actor: User, module: Module, earlier: bool) -> bool:
    """Swap the module with the one before it (`earlier`) or after it; False when it is
    already first or last (nothing changes, nothing is audited)."""
    if not access.may_act_for_region(actor, module.cohort.region_id):
        raise Refused(_("You may change only your own region's cohorts."), 403)
    modules = list(
        session.scalars(
            select(Module).where(Module.cohort_id == module.cohort_id).order_by(Module.position).with_for_update()
        )
    )
    index = modules.index(module)
    other = index - 1 if earlier else index + 1
    if not 0 <= other < len(modules):
        return False
    neighbour, positions = modules[other], (module.position, modules[other].position)
    module.position = 0  # free: positions start at 1, and (cohort, position) is unique
    session.flush()
    neighbour.position = positions[0]
    session.flush()
    module.position = positions[1]
    session.flush()
    session.expire(module.cohort, ["modules"])
    audit.record_change(
        session,
        actor_id=actor.id,
        action="cohort.module.move",
        detail=f"cohort={module.cohort_id} module={module.id} position={module.position}",
    )
    return True


def set_evaluation(session: Session, actor: User, cohort: Cohort, note: str) -> None:
    if not access.may_act_for_region(actor, cohort.region_id):
        raise Refused(_("You may change only your own region's cohorts."), 403)
    note = (note or "").strip()
    if len(note) > 5000:
        raise InvalidInput({"note": _("At most 5,000 characters.")})
    cohort.evaluation_note = note or None
    audit.record_change(session, actor_id=actor.id, action="cohort.evaluation", detail=f"cohort={cohort.id}")


def enrol(session: Session, actor: User, cohort: Cohort, supervisor_id: int | None) -> Supervisor:
    """Enrol a supervisor of the cohort's region who is in no cohort yet (active or not)."""
    if not access.may_act_for_region(actor, cohort.region_id):
        raise Refused(_("You may change only your own region's cohorts."), 403)
    candidates = {supervisor.id: supervisor for supervisor in not_enrolled(session, cohort)}
    supervisor = candidates.get(supervisor_id)
    if supervisor is None:
        raise InvalidInput({"supervisor_id": _("Choose a supervisor of the region who is in no cohort yet.")})
    supervisor.cohort_id = cohort.id
    audit.record_change(
        session, actor_id=actor.id, action="cohort.enrol", detail=f"cohort={cohort.id} supervisor={supervisor.id}"
    )
    return supervisor
