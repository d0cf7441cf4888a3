"""The coordinator's view of the programme: progress towards the target of trained
supervisors (by region and gender, counted with `definitions`, as the training report
counts), the cohorts under way, and who is one module short of being trained.

The figures are the whole programme's (the target is shared by the four regions); the
people and cohorts named are those `user` may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access
from portal.domain.training.definitions import modules_completed, modules_in_cohort, trained_supervisors_condition
from portal.models import Cohort, Module, ModuleCompletion, Region, Supervisor, User

TARGET = 26  # trained supervisors the ESF project set out to reach (seed document)


@dataclass(frozen=True)
class OneShort:
    supervisor: Supervisor
    missing: Module


@dataclass(frozen=True)
class Progress:
    target: int
    trained: int
    by_region: list[tuple[str, dict[str, int]]]  # region name, {gender: trained}
    under_way: list[Cohort]
    one_short: list[OneShort]


def progress(session: Session, user: User, today: date) -> Progress:
    counts = session.execute(
        select(Region.name, Supervisor.gender, func.count())
        .select_from(Supervisor)
        .join(Cohort, Cohort.id == Supervisor.cohort_id)
        .join(Region, Region.id == Cohort.region_id)
        .where(trained_supervisors_condition())
        .group_by(Region.name, Supervisor.gender)
    ).all()
    by_region = {name: {} for name in session.scalars(select(Region.name).order_by(Region.name))}
    for region, gender, count in counts:
        by_region[region][gender] = count
    under_way = session.scalars(
        select(Cohort)
        .where(access.cohorts_visible_to(user), Cohort.starts_on <= today, Cohort.ends_on >= today)
        .options(joinedload(Cohort.region))
        .order_by(Cohort.ends_on)
    ).all()
    return Progress(
        target=TARGET,
        trained=sum(count for _region, _gender, count in counts),
        by_region=list(by_region.items()),
        under_way=list(under_way),
        one_short=_one_short(session, user),
    )


def _one_short(session: Session, user: User) -> list[OneShort]:
    """Enrolled people with all but one module of their cohort completed, and which one."""
    short = session.scalars(
        select(Supervisor)
        .join(Cohort, Cohort.id == Supervisor.cohort_id)
        .join(User, User.id == Supervisor.user_id)
        .where(access.cohorts_visible_to(user), modules_completed() == modules_in_cohort() - 1)
        .options(joinedload(Supervisor.user), joinedload(Supervisor.cohort))
        .order_by(User.name)
    ).all()
    if not short:
        return []
    done = select(ModuleCompletion.module_id).where(ModuleCompletion.supervisor_id == Supervisor.id)
    missing = dict(
        session.execute(
            select(Supervisor.id, Module)
            .join(Module, Module.cohort_id == Supervisor.cohort_id)
            .where(Supervisor.id.in_([s.id for s in short]), Module.id.not_in(done.correlate(Supervisor)))
        ).all()
    )
    return [OneShort(supervisor, missing[supervisor.id]) for supervisor in short if supervisor.id in missing]
