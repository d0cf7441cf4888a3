"""The demo's directory and training details, on top of what `portal.demo.data` built:
contact persons, what supervisors offer, a pause, module session days, attendance,
certification decisions with their grounds, evaluation notes, and a cohort under way.
Its own random generator, so the rest of the demo is dealt as before.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from portal.demo.names import MODULES
from portal.domain.vocabulary import ACCESSIBILITY
from portal.models import Attendance, Cohort, Module, ModuleCompletion

SEED = 26
UNDER_WAY_REGION = "skaraborg"
GROUNDS = "Alla moment genomförda; uppföljningssamtal med samordnaren visade god förståelse för uppdraget."
EVALUATION = "Deltagarna uppskattade de praktiska övningarna. Nästa omgång: mer tid för arbetsmiljö och bemötande."


def add(demo) -> None:
    """Called at the end of `portal.demo.data.load`, with its builder state."""
    rng = random.Random(SEED)
    for supervisor in demo.supervisors:
        cooperative = supervisor.cooperative
        cooperative.contact_name = cooperative.contact_name or supervisor.user.name
        supervisor.accessibility = set(rng.sample(sorted(ACCESSIBILITY), rng.randint(0, 2)))
        if supervisor.certified:
            supervisor.certified_by = demo.coordinators.get(supervisor.cohort.region.code)
            supervisor.certification_grounds = GROUNDS
    _record_sessions(demo, rng)
    _pause_one(demo)
    _cohort_under_way(demo)
    demo.session.flush()


def _record_sessions(demo, rng: random.Random) -> None:
    """Each finished cohort's session days, attendance (someone absent caught up) and evaluation."""
    for cohort in dict.fromkeys(supervisor.cohort for supervisor in demo.supervisors):  # in a fixed order
        cohort.evaluation_note = EVALUATION
        completed = set(
            demo.session.execute(
                select(ModuleCompletion.supervisor_id, ModuleCompletion.module_id)
                .join(Module)
                .where(Module.cohort_id == cohort.id)
            ).all()
        )
        enrolled = [supervisor for supervisor in demo.supervisors if supervisor.cohort_id == cohort.id]
        for module in cohort.modules:
            module.held_on = _day(cohort, module.position)
            for supervisor in enrolled:
                if (supervisor.id, module.id) in completed:
                    demo.session.add(
                        Attendance(
                            supervisor_id=supervisor.id,
                            module_id=module.id,
                            attended=rng.random() > 0.05,
                            recorded_by_id=demo.coordinators[cohort.region.code].id,
                        )
                    )


def _day(cohort: Cohort, position: int):
    length = (cohort.ends_on - cohort.starts_on).days
    return cohort.starts_on + timedelta(days=length * position // len(MODULES))


def _pause_one(demo) -> None:
    """A certified supervisor with nothing running takes no offers for six weeks."""
    idle = [s for s in demo.supervisors[1:] if s.certified and s.active and not demo.load[s]]
    if idle:
        idle[0].paused_until = demo.today + timedelta(days=42)
        idle[0].pause_reason = "Föräldraledig"


def _cohort_under_way(demo) -> None:
    """A cohort half-way through; the office enrols its people from the cohort's page."""
    region = demo.regions[UNDER_WAY_REGION]
    cohort = Cohort(
        region=region,
        name=f"Handledarutbildning {region.name} {demo.today.year} (pågår)",
        starts_on=demo.today - timedelta(days=60),
        ends_on=demo.today + timedelta(days=60),
    )
    modules = [Module(position=n, title=title, hours=hours) for n, (title, hours) in enumerate(MODULES, start=1)]
    cohort.modules = modules
    demo.session.add(cohort)
    for module in modules:
        module.held_on = _day(cohort, module.position)
