"""What happened in the training: attendance at each module's session, completion of
modules, and the coordinator's certification decision.

Attendance and completion are recorded together, one module session at a time, for
everyone enrolled: absence does not stop a person completing the module by catching up.
Certification needs every module of the cohort completed (`definitions.is_trained`) and
records who decided, when and on what grounds; it is what lets matching offer the
supervisor referrals. Every change writes an audit event; bad input changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.errors import InvalidInput
from portal.domain.referrals.transitions import Refused, found
from portal.domain.training import cohorts
from portal.domain.training.definitions import is_trained
from portal.i18n import lazy_gettext as _
from portal.models import Attendance, Module, ModuleCompletion, Supervisor, User
from portal.models.base import utcnow

GROUNDS_LENGTH = 500


@dataclass(frozen=True)
class SheetRow:
    supervisor: Supervisor
    attended: bool | None  # None: not recorded yet
    completed_on: date | None


def module_for_change(session: Session, actor: User, module_id: int) -> Module:
    module = found(session.get(Module, module_id), _("There is no such module."))
    cohorts.for_change(session, actor, module.cohort_id)
    return module


def sheet(session: Session, module: Module) -> list[SheetRow]:
    """The module session's register: everyone enrolled, with what is recorded."""
    attendance = dict(
        session.execute(
            select(Attendance.supervisor_id, Attendance.attended).where(Attendance.module_id == module.id)
        ).all()
    )
    completed = dict(
        session.execute(
            select(ModuleCompletion.supervisor_id, ModuleCompletion.completed_on).where(
                ModuleCompletion.module_id == module.id
            )
        ).all()
    )
    return [
        SheetRow(person.supervisor, attendance.get(person.supervisor.id), completed.get(person.supervisor.id))
        for person in cohorts.people(session, module.cohort)
    ]


def record_session(
    session: Session, actor: User, module: Module, attended: set[int], completed: set[int], today: date
) -> None:
    """Record who attended and who has completed the module, for everyone enrolled.

    Completion is dated the session's day (today if it has none); a session not yet held
    cannot be completed, and a certified supervisor's completion is not taken back.
    """
    rows = sheet(session, module)
    enrolled = {row.supervisor.id for row in rows}
    errors: dict[str, object] = {}
    if (attended | completed) - enrolled:
        errors["form"] = _("Record only people enrolled in the cohort.")
    if completed and module.held_on is not None and module.held_on > today:
        errors["form"] = _("The session is on %(day)s; record completion once it has been held.", day=module.held_on)
    taken_back = [row for row in rows if row.completed_on and row.supervisor.id not in completed]
    if any(row.supervisor.certified for row in taken_back):
        errors["form"] = _(
            "A certified supervisor's completed module cannot be taken back; revoke the certification first."
        )
    if errors:
        raise InvalidInput(errors)
    now = utcnow()
    session.execute(delete(Attendance).where(Attendance.module_id == module.id))
    session.add_all(
        Attendance(
            supervisor_id=row.supervisor.id,
            module_id=module.id,
            attended=row.supervisor.id in attended,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
        for row in rows
    )
    if taken_back:
        session.execute(
            delete(ModuleCompletion).where(
                ModuleCompletion.module_id == module.id,
                ModuleCompletion.supervisor_id.in_([row.supervisor.id for row in taken_back]),
            )
        )
    day = module.held_on or today
    session.add_all(
        ModuleCompletion(supervisor_id=row.supervisor.id, module_id=module.id, completed_on=day)
        for row in rows
        if row.supervisor.id in completed and row.completed_on is None
    )
    audit.record_change(
        session,
        actor_id=actor.id,
        action="training.session",
        detail=f"module={module.id} attended={len(attended)} completed={len(completed)}",
    )


def supervisor_for_certification(session: Session, actor: User, supervisor_id: int) -> Supervisor:
    supervisor = session.get(Supervisor, supervisor_id)
    if supervisor is None or supervisor.cohort_id is None:
        raise Refused(_("There is no such person in a cohort."), 404)
    cohorts.for_change(session, actor, supervisor.cohort_id)
    return supervisor


def certify(session: Session, actor: User, supervisor: Supervisor, grounds: str, today: date) -> None:
    """The coordinator's decision that a trained supervisor may take placements."""
    if not access.may_act_for_region(actor, supervisor.cohort.region_id):
        raise Refused(_("You may change only your own region's cohorts."), 403)
    errors: dict[str, object] = {}
    grounds = (grounds or "").strip()
    if not grounds or len(grounds) > GROUNDS_LENGTH:
        errors["grounds"] = _(
            "State the grounds for the decision (at most %(count)d characters).", count=GROUNDS_LENGTH
        )
    if not is_trained(session, supervisor.id):
        errors["form"] = _("Only someone who has completed every module of their cohort can be certified.")
    if supervisor.certified:
        errors["form"] = _("Already certified.")
    if errors:
        raise InvalidInput(errors)
    supervisor.certified_on, supervisor.certified_by_id, supervisor.certification_grounds = today, actor.id, grounds
    audit.record_change(session, actor_id=actor.id, action="training.certify", detail=f"supervisor={supervisor.id}")


def revoke(session: Session, actor: User, supervisor: Supervisor, grounds: str) -> None:
    """Take a certification back (the supervisor leaves matching), with the grounds."""
    if not access.may_act_for_region(actor, supervisor.cohort.region_id):
        raise Refused(_("You may change only your own region's cohorts."), 403)
    grounds = (grounds or "").strip()
    if not grounds or len(grounds) > GROUNDS_LENGTH:
        raise InvalidInput(
            {"grounds": _("State the grounds for the decision (at most %(count)d characters).", count=GROUNDS_LENGTH)}
        )
    supervisor.certified_on, supervisor.certified_by_id = None, actor.id
    supervisor.certification_grounds = grounds
    audit.record_change(session, actor_id=actor.id, action="training.revoke", detail=f"supervisor={supervisor.id}")
