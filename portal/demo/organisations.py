"""The demo's staff, authorities, cooperatives, cohorts and supervisors: every office of
`names.AUTHORITIES` with a caseworker, every cooperative of `names.COOPERATIVES`, and
supervisors trained and certified in their region's cohort."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.demo.names import (
    AUTHORITIES,
    COOPERATIVES,
    MODULES,
)
from portal.demo.world import DEMO_AUTHORITY, DEMO_REGION, DOMAIN, LOGINS, Demo, add_user
from portal.domain.directory.organisation_number import check_digit
from portal.domain.geography import region_code as slug
from portal.domain.vocabulary import LANGUAGES, NEEDS
from portal.models import (
    Authority,
    AuthorityKind,
    Cohort,
    Cooperative,
    Gender,
    Module,
    ModuleCompletion,
    Role,
    Supervisor,
)

COHORT_ENDED_DAYS_AGO = 420  # well before the oldest demo offer, so certification precedes it
COHORT_DAYS = 150
HOURS_PER_WEEK = (8, 10, 12, 15, 20, 25, 30)


def add_staff(demo: Demo) -> None:
    """The administrator and one coordinator per regional office (Fyrbodal's is the demo login)."""
    add_user(demo, Role.ADMIN, "coompanion", email=LOGINS["admin"])
    for code, region in demo.regions.items():
        email = LOGINS["coordinator"] if code == DEMO_REGION else None
        demo.coordinators[code] = add_user(demo, Role.COORDINATOR, code, email=email, region=region)


def add_authorities(demo: Demo) -> None:
    """Every office in AUTHORITIES with one caseworker; regional health care refers from all regions."""
    for kind, name, town in AUTHORITIES:
        municipality = demo.municipality(town)
        authority = Authority(name=name, kind=kind, municipality=municipality)
        demo.session.add(authority)
        domain = {
            AuthorityKind.FORSAKRINGSKASSAN: "fk",
            AuthorityKind.ARBETSFORMEDLINGEN: "af",
            AuthorityKind.HEALTH_CARE: "vgr",
        }.get(kind, slug(town))
        email = LOGINS["caseworker"] if name == DEMO_AUTHORITY else None
        caseworker = add_user(demo, Role.CASEWORKER, domain, email=email, authority=authority)
        codes = demo.regions if kind == AuthorityKind.HEALTH_CARE else [municipality.region.code]
        for code in codes:
            demo.caseworkers[code].append(caseworker)


def add_cooperatives(demo: Demo) -> list[Cooperative]:
    """The cooperatives, each listed once per supervisor it employs."""
    rng, taken, seats = demo.rng, set(), []
    for name, town, trades, accessibility, supervisors in COOPERATIVES:
        cooperative = Cooperative(
            name=name,
            organisation_number=_organisation_number(rng, taken),
            municipality=demo.municipality(town),
            email=f"kontakt@{slug(name)}.{DOMAIN}",
            phone=f"07{rng.choice('0236')}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        )
        cooperative.trades = set(trades)
        cooperative.accessibility = set(accessibility)
        demo.session.add(cooperative)
        seats += [cooperative] * supervisors
    return seats


def _organisation_number(rng: random.Random, taken: set[str]) -> str:
    """A new number of an economic association (769…), ending in its Luhn check digit."""
    while True:
        nine = "769" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        number = f"{nine[:6]}-{nine[6:]}{check_digit(nine)}"
        if number not in taken:
            taken.add(number)
            return number


def add_cohorts(demo: Demo) -> dict[str, Cohort]:
    """One finished training cohort per region, with the programme's modules."""
    ends_on = demo.today - timedelta(days=COHORT_ENDED_DAYS_AGO)
    starts_on = ends_on - timedelta(days=COHORT_DAYS)
    cohorts = {}
    for code, region in demo.regions.items():
        cohort = Cohort(
            region=region,
            name=f"Handledarutbildning {region.name} {starts_on.year}",
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for position, (title, hours) in enumerate(MODULES, start=1):
            Module(cohort=cohort, position=position, title=title, hours=hours)
        demo.session.add(cohort)
        cohorts[code] = cohort
    return cohorts


def add_supervisors(demo: Demo, seats: list[Cooperative], cohorts: dict[str, Cohort]) -> None:
    """One supervisor per seat; three still finishing the training and two on leave.

    The first is the demo login, with room for the offer and placements it is given.
    """
    rng, session = demo.rng, demo.session
    held_back = rng.sample(range(1, len(seats)), 5)
    unfinished, on_leave = held_back[:3], held_back[3:]
    for index, cooperative in enumerate(seats):
        region = cooperative.municipality.region
        gender = rng.choice((Gender.WOMAN, Gender.WOMAN, Gender.WOMAN, Gender.MAN, Gender.MAN))
        user = add_user(
            demo, Role.SUPERVISOR, "handledare", email=LOGINS["supervisor"] if index == 0 else None, gender=gender
        )
        neighbours = [m for m in demo.municipalities[region.code] if m is not cooperative.municipality]
        cohort = cohorts[region.code]
        supervisor = Supervisor(
            user=user,
            cooperative=cooperative,
            gender=gender,
            cohort=cohort,
            capacity=3 if index == 0 else rng.randint(1, 4),
            active=index not in on_leave,
            certified_on=None if index in unfinished else cohort.ends_on + timedelta(days=rng.randint(0, 14)),
            municipalities={cooperative.municipality, *rng.sample(neighbours, rng.randint(1, 3))},
        )
        supervisor.specialties = set(rng.sample(list(NEEDS), rng.randint(1, 3)))
        supervisor.languages = {"sv"} | other_languages(rng, 0.4)
        session.add(supervisor)
        demo.supervisors.append(supervisor)
    session.flush()
    for supervisor in demo.supervisors:
        modules = supervisor.cohort.modules
        done = len(modules) if supervisor.certified else rng.randint(2, len(modules) - 1)
        session.add_all(
            ModuleCompletion(
                supervisor_id=supervisor.id, module_id=module.id, completed_on=_module_day(supervisor.cohort, module)
            )
            for module in modules[:done]
        )


def _module_day(cohort: Cohort, module: Module) -> date:
    """Modules are spread evenly over the cohort; the last one ends it."""
    length = (cohort.ends_on - cohort.starts_on).days
    return cohort.starts_on + timedelta(days=length * module.position // len(cohort.modules))


def other_languages(rng: random.Random, chance: float) -> set[str]:
    others = [code for code in LANGUAGES if code != "sv"]
    return {rng.choice(others)} if rng.random() < chance else set()
