"""Demo data: a believable Västra Götaland in one call, for `portal demo` and for trying things out.

Everything comes from a fixed random seed and dates relative to `today`, so the demo is
the same on every machine and always looks recent. The data keeps the rules the portal
enforces (consent before submission, supervisors' capacity, offer expiry, a transition
for every step), so that lists, timelines and reports show what real use would show.
Identity numbers are Skatteverket's published test numbers, stored like real ones.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.builtin.default_workflow import DEFAULT
from portal.demo import training
from portal.demo.names import (
    AUTHORITIES,
    COOPERATIVES,
    DECLINE_NOTES,
    DISCONTINUE_NOTES,
    FAMILY_NAMES,
    GOALS,
    MEN,
    MODULES,
    OUTCOME_NOTES,
    WITHDRAW_NOTES,
    WOMEN,
)
from portal.domain import calendar, geography
from portal.domain.geography import region_code as slug
from portal.domain.participants.privacy import Personnummer, Vault, parse
from portal.domain.vocabulary import ACCESSIBILITY, LANGUAGES, NEEDS, TRADES
from portal.models import (
    Authority,
    AuthorityKind,
    Cohort,
    Consent,
    ConsentMethod,
    ConsentScope,
    Cooperative,
    DeclineReason,
    EducationLevel,
    Gender,
    LabourMarketStatus,
    Module,
    ModuleCompletion,
    Municipality,
    Offer,
    OfferState,
    Outcome,
    Participant,
    Placement,
    PlacementState,
    Referral,
    Region,
    Role,
    Supervisor,
    Transition,
    User,
)

DEMO_PASSWORD = "handledare-demo"
DOMAIN = "demo.handledarportalen.se"
LOGINS = {
    "caseworker": f"handlaggare@{DOMAIN}",
    "supervisor": f"handledare@{DOMAIN}",
    "coordinator": f"samordnare@{DOMAIN}",
    "admin": f"admin@{DOMAIN}",
}
DEMO_REGION = "fyrbodal"
DEMO_AUTHORITY = "Försäkringskassan Trollhättan"
SEED = 43

# Referrals in each state of the default workflow a referral rests in, one participant each
# ("submitted" moves on to "matching" at once; "closed" comes after the demo's time).
REFERRALS_BY_STATE = {
    "draft": 5,
    "matching": 14,
    "offered": 6,
    "accepted": 5,
    "active": 12,
    "completed": 9,
    "discontinued": 4,
    "withdrawn": 5,
}
# The state each step of the default workflow leads to, and who takes it.
TARGET_STATE = {"create": "draft"} | {t.name: t.target for t in DEFAULT.transitions}
ACTOR = {
    "create": "caseworker",
    "submit": "caseworker",
    "withdraw": "caseworker",
    "start_matching": "system",
    "offer": "coordinator",
    "decline": "supervisor",
    "accept": "supervisor",
    "start": "supervisor",
    "complete": "supervisor",
    "discontinue": "supervisor",
}
# Working days (fewest, most) since the previous step: the lead times seen in practice.
LEAD_DAYS = {
    "submit": (1, 8),
    "start_matching": (0, 0),
    "offer": (1, 10),
    "decline": (1, 4),
    "accept": (1, 4),
    "start": (5, 15),
    "complete": (60, 120),
    "discontinue": (15, 55),
    "withdraw": (2, 20),
}
# Working days (fewest, most) from a referral's last step to `today`: open offers are fresh.
IDLE_DAYS = {
    "draft": (1, 8),
    "matching": (1, 8),
    "offered": (1, 3),
    "accepted": (1, 4),
    "active": (5, 80),
    "completed": (3, 80),
    "discontinued": (3, 60),
    "withdrawn": (2, 40),
}
HOLDS_A_PLACE = ("offered", "accepted", "active")  # counts against the supervisor's capacity
PLACED = (*HOLDS_A_PLACE, "completed", "discontinued")
OFFER_WORKING_DAYS = 5  # the default of PORTAL_OFFER_EXPIRY_WORKING_DAYS
ENDED = ("completed", "discontinued", "withdrawn")
COHORT_ENDED_DAYS_AGO = 420  # well before the oldest demo offer, so certification precedes it
COHORT_DAYS = 150
HOURS_PER_WEEK = (8, 10, 12, 15, 20, 25, 30)


@dataclass
class _Demo:
    """What the builders share: the session, the seeded generator and the people made so far."""

    session: Session
    vault: Vault
    today: date
    rng: random.Random
    regions: dict[str, Region]
    municipalities: dict[str, list[Municipality]]  # by region code
    password_hash: str = ""
    names_taken: set[tuple[str, str]] = field(default_factory=set)
    coordinators: dict[str, User] = field(default_factory=dict)
    caseworkers: dict[str, list[User]] = field(default_factory=lambda: defaultdict(list))
    supervisors: list[Supervisor] = field(default_factory=list)
    load: Counter = field(default_factory=Counter)  # open offers and running placements per supervisor

    def municipality(self, name: str) -> Municipality:
        return next(m for ms in self.municipalities.values() for m in ms if m.name == name)


def load(session: Session, vault: Vault, *, today: date | None = None) -> dict[str, str]:
    """Load the demo once and return the sign-in address of one user per role.

    An existing demo admin means the demo is there already: nothing is added twice, so
    `portal demo` can run at every start. The caller commits.
    """
    if session.scalar(select(User.id).where(User.email == LOGINS["admin"])) is None:
        demo = _start(session, vault, today or date.today())
        _add_staff(demo)
        _add_authorities(demo)
        cohorts = _add_cohorts(demo)
        _add_supervisors(demo, _add_cooperatives(demo), cohorts)
        _add_referrals(demo)
        session.flush()
        training.add(demo)
    return dict(LOGINS)


def _start(session: Session, vault: Vault, today: date) -> _Demo:
    """Regions and municipalities first, everything hangs on them; ordered by code, not
    by name, so that both backends' collations deal the same random choices."""
    geography.load(session)
    by_region = defaultdict(list)
    for municipality in session.scalars(select(Municipality).order_by(Municipality.scb_code)):
        by_region[municipality.region.code].append(municipality)
    regions = {region.code: region for region in session.scalars(select(Region).order_by(Region.code))}
    return _Demo(session, vault, today, random.Random(SEED), regions, dict(by_region))


def _name(demo: _Demo, gender: str) -> tuple[str, str]:
    """A given and family name nobody in the demo has yet, so that every e-mail is unique."""
    given_names = {Gender.WOMAN: WOMEN, Gender.MAN: MEN}.get(gender, WOMEN + MEN)
    while (name := (demo.rng.choice(given_names), demo.rng.choice(FAMILY_NAMES))) in demo.names_taken:
        pass
    demo.names_taken.add(name)
    return name


def _user(demo: _Demo, role: str, domain: str, *, email: str | None = None, gender: str | None = None, **links) -> User:
    """A demo user; scrypt is slow by design, so the password is hashed once and the hash shared."""
    gender = gender or demo.rng.choice((Gender.WOMAN, Gender.WOMAN, Gender.MAN))
    given, family = _name(demo, gender)
    user = User(
        email=email or f"{slug(given)}.{slug(family)}@{domain}.{DOMAIN}",
        name=f"{given} {family}",
        role=role,
        gender=gender,
        **links,
    )
    if not demo.password_hash:
        user.set_password(DEMO_PASSWORD)
        demo.password_hash = user.password_hash
    user.password_hash = demo.password_hash
    demo.session.add(user)
    return user


def _add_staff(demo: _Demo) -> None:
    """The administrator and one coordinator per regional office (Fyrbodal's is the demo login)."""
    _user(demo, Role.ADMIN, "coompanion", email=LOGINS["admin"])
    for code, region in demo.regions.items():
        email = LOGINS["coordinator"] if code == DEMO_REGION else None
        demo.coordinators[code] = _user(demo, Role.COORDINATOR, code, email=email, region=region)


def _add_authorities(demo: _Demo) -> None:
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
        caseworker = _user(demo, Role.CASEWORKER, domain, email=email, authority=authority)
        codes = demo.regions if kind == AuthorityKind.HEALTH_CARE else [municipality.region.code]
        for code in codes:
            demo.caseworkers[code].append(caseworker)


def _add_cooperatives(demo: _Demo) -> list[Cooperative]:
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
        number = f"{nine[:6]}-{nine[6:]}{_luhn_digit(nine)}"
        if number not in taken:
            taken.add(number)
            return number


def _luhn_digit(digits: str) -> int:
    """The digit that completes `digits` under the Luhn check (weights 2, 1, 2, … from the left)."""
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 - position % 2)
        total += value - 9 if value > 9 else value
    return -total % 10


def _add_cohorts(demo: _Demo) -> dict[str, Cohort]:
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


def _add_supervisors(demo: _Demo, seats: list[Cooperative], cohorts: dict[str, Cohort]) -> None:
    """One supervisor per seat; three still finishing the training and two on leave.

    The first is the demo login, with room for the offer and placements it is given.
    """
    rng, session = demo.rng, demo.session
    held_back = rng.sample(range(1, len(seats)), 5)
    unfinished, on_leave = held_back[:3], held_back[3:]
    for index, cooperative in enumerate(seats):
        region = cooperative.municipality.region
        gender = rng.choice((Gender.WOMAN, Gender.WOMAN, Gender.WOMAN, Gender.MAN, Gender.MAN))
        user = _user(
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
        supervisor.languages = {"sv"} | _other_languages(rng, 0.4)
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


def _other_languages(rng: random.Random, chance: float) -> set[str]:
    others = [code for code in LANGUAGES if code != "sv"]
    return {rng.choice(others)} if rng.random() < chance else set()


def _add_referrals(demo: _Demo) -> None:
    """Referrals dealt round-robin over the states, so the first of each state comes first.

    Those first ones go to the demo caseworker (and, where a supervisor is involved, the
    demo supervisor), so that each demo login has every kind of case to look at.
    """
    numbers = _test_numbers(demo)
    rounds = max(REFERRALS_BY_STATE.values())
    plan = [(state, index) for index in range(rounds) for state, count in REFERRALS_BY_STATE.items() if index < count]
    for (state, index), number in zip(plan, numbers, strict=False):
        _add_referral(demo, state, index, number)


def _test_numbers(demo: _Demo) -> list[Personnummer]:
    """Skatteverket's test numbers, shuffled: they belong to nobody, so the demo may store them."""
    text = resources.files("portal").joinpath("data/test-personnummer.txt").read_text(encoding="utf-8")
    numbers = [
        parse(line, today=demo.today) for line in map(str.strip, text.splitlines()) if line and not line.startswith("#")
    ]
    demo.rng.shuffle(numbers)
    return numbers


def _add_referral(demo: _Demo, state: str, index: int, number: Personnummer) -> None:
    """One participant and a referral that went through every step up to `state`."""
    rng, featured = demo.rng, index == 0
    municipality, offered_to = _match(demo, state, index)
    steps = _steps(state, declines=len(offered_to) - (state in PLACED))
    times = _timeline(demo, steps, state)
    caseworker = (
        next(user for user in demo.caseworkers[DEMO_REGION] if user.email == LOGINS["caseworker"])
        if featured
        else rng.choice(demo.caseworkers[municipality.region.code])
    )
    participant = _add_participant(demo, number, municipality, caseworker.authority, times[0])
    submitted_at = times[1] if state != "draft" else None
    referral = Referral(
        participant=participant,
        authority=caseworker.authority,
        caseworker=caseworker,
        region=municipality.region,
        workflow_name="default",
        workflow_version=1,
        state=state,
        goal=rng.choice(GOALS),
        hours_per_week=rng.choice(HOURS_PER_WEEK),
        created_at=times[0],
        submitted_at=submitted_at,
        closed_at=times[-1] if state in ENDED else None,
        region_wide=state == "matching" and index % 2 == 0,  # so that the demo's first ones have candidates
    )
    if submitted_at:
        if rng.random() < 0.5:
            referral.earliest_start = submitted_at.date() + timedelta(days=rng.choice((7, 14, 30)))
        demo.session.add(
            Consent(
                participant=participant,
                scope=rng.choice(list(ConsentScope)),
                method=rng.choice(list(ConsentMethod)),
                given_on=times[0].date(),
                recorded_by=caseworker,
                recorded_at=times[0],
            )
        )
    demo.session.add(referral)
    _walk(demo, referral, steps, times, offered_to)
    if state in HOLDS_A_PLACE:
        demo.load[offered_to[-1]] += 1


def _match(demo: _Demo, state: str, index: int) -> tuple[Municipality, list[Supervisor]]:
    """Where the participant lives, and whom the referral was offered to, the taker last.

    The taker is certified and active, has room when the referral holds a place, and
    serves the participant's municipality; some referrals were declined by others in
    the region first. The first referral of a state goes to the demo supervisor.
    """
    rng, featured = demo.rng, index == 0
    eligible = [s for s in demo.supervisors if s.active and s.certified]
    takers = []
    if state in PLACED:
        free = [s for s in eligible if state not in HOLDS_A_PLACE or demo.load[s] < s.capacity]
        takers = [demo.supervisors[0] if featured else rng.choice(free)]
        municipality = rng.choice(sorted(takers[0].municipalities, key=lambda m: m.name))
    else:
        municipality = rng.choice(demo.municipalities[DEMO_REGION if featured else rng.choice(sorted(demo.regions))])
    wanted = index % 3 if state == "matching" else int(state in PLACED and index % 4 == 1)
    others = [s for s in eligible if s not in takers and s.cooperative.municipality.region is municipality.region]
    return municipality, rng.sample(others, min(wanted, len(others))) + takers


def _steps(state: str, declines: int) -> list[str]:
    """The transitions of the default workflow that took a new referral to `state`."""
    steps = ["create"] if state == "draft" else ["create", "submit"]
    if state == "withdrawn":
        return steps + ["start_matching", "withdraw"]
    if state == "draft":
        return steps
    steps += ["start_matching"] + ["offer", "decline"] * declines
    after_matching = {
        "matching": [],
        "offered": ["offer"],
        "accepted": ["offer", "accept"],
        "active": ["offer", "accept", "start"],
        "completed": ["offer", "accept", "start", "complete"],
        "discontinued": ["offer", "accept", "start", "discontinue"],
    }
    return steps + after_matching[state]


def _timeline(demo: _Demo, steps: list[str], state: str) -> list[datetime]:
    """When each step happened: on working days in office hours, the last some days before `today`."""
    rng, offsets = demo.rng, [0]
    for name in steps[1:]:
        offsets.append(offsets[-1] + rng.randint(*LEAD_DAYS[name]))
    last_day = _move_working_days(demo.today, -rng.randint(*IDLE_DAYS[state]))
    moments = []
    for name, offset in zip(steps, offsets, strict=False):
        if LEAD_DAYS.get(name) == (0, 0):  # automatic: the same moment as the step before
            moments.append(moments[-1] + timedelta(seconds=1))
            continue
        moments.append(
            datetime.combine(
                _move_working_days(last_day, offset - offsets[-1]),
                time(rng.randint(7, 14), rng.choice((0, 15, 30, 45))),
                tzinfo=UTC,
            )
        )
    return moments


def _move_working_days(day: date, count: int) -> date:
    """`day` moved `count` Swedish working days forward, or back when negative."""
    step = 1 if count > 0 else -1
    while count:
        day += timedelta(days=step)
        if calendar.is_working_day(day):
            count -= step
    return day


def _add_participant(
    demo: _Demo, number: Personnummer, municipality: Municipality, authority: Authority, registered_at: datetime
) -> Participant:
    """A participant whose gender follows the number's second-last digit; a few chose not to state it."""
    rng = demo.rng
    gender = Gender.MAN if int(number.digits[-2]) % 2 else Gender.WOMAN
    given, family = _name(demo, gender)
    needs = set(rng.sample(list(NEEDS), rng.randint(1, 3)))
    participant = Participant(
        personnummer_ciphertext=demo.vault.encrypt(number),
        personnummer_index=demo.vault.blind_index(number),
        birth_date=number.birth_date,
        given_name=given,
        family_name=family,
        gender=Gender.NOT_STATED if rng.random() < 0.08 else gender,
        municipality=municipality,
        registered_by_authority=authority,
        created_at=registered_at,
    )
    participant.needs = needs
    participant.languages = {"sv"} | _other_languages(rng, 1.0 if "language_support" in needs else 0.2)
    participant.accessibility_needs = set(rng.sample(list(ACCESSIBILITY), rng.choice((0, 0, 1, 2))))
    participant.interests = set(rng.sample(list(TRADES), rng.randint(1, 3)))
    _add_esf_details(participant, number)
    demo.session.add(participant)
    return participant


def _add_esf_details(participant: Participant, number: Personnummer) -> None:
    """Labour-market status and education for the ESF report, mostly far from work; drawn
    from the person's own number so that the rest of the demo's draws stay as they were."""
    draw = random.Random(number.digits)
    participant.labour_market_status = draw.choice(
        (
            LabourMarketStatus.LONG_TERM_UNEMPLOYED,
            LabourMarketStatus.LONG_TERM_UNEMPLOYED,
            LabourMarketStatus.INACTIVE,
            LabourMarketStatus.INACTIVE,
            LabourMarketStatus.UNEMPLOYED,
            None,
        )
    )
    participant.education_level = draw.choice(
        (
            EducationLevel.ISCED_0_2,
            EducationLevel.ISCED_0_2,
            EducationLevel.ISCED_3_4,
            EducationLevel.ISCED_3_4,
            EducationLevel.ISCED_5_8,
            None,
        )
    )


def _walk(
    demo: _Demo, referral: Referral, steps: list[str], times: list[datetime], offered_to: list[Supervisor]
) -> None:
    """Record each step as a Transition, and update the offers and placement as the step does."""
    rng, offer, placement, previous = demo.rng, None, None, None
    queue = iter(offered_to)
    for name, moment in zip(steps, times, strict=False):
        note = None
        if name == "offer":
            offer = Offer(
                referral=referral,
                supervisor=next(queue),
                offered_by=demo.coordinators[referral.region.code],
                offered_at=moment,
                expires_at=calendar.add_working_days(moment, OFFER_WORKING_DAYS),
            )
            demo.session.add(offer)
        elif name == "decline":
            reason = rng.choice(list(DeclineReason))
            offer.state, offer.responded_at = OfferState.DECLINED, moment
            offer.decline_reason = reason
            offer.decline_note = note = DECLINE_NOTES[reason]
        elif name == "accept":
            offer.state, offer.responded_at = OfferState.ACCEPTED, moment
            placement = Placement(
                referral=referral,
                offer=offer,
                supervisor=offer.supervisor,
                state=PlacementState.PLANNED,
                hours_per_week=referral.hours_per_week,
                start_date=_move_working_days(moment.date(), rng.randint(*LEAD_DAYS["start"])),
            )
            demo.session.add(placement)
        elif name == "start":
            placement.state, placement.start_date, placement.started_at = PlacementState.ACTIVE, moment.date(), moment
        elif name == "complete":
            outcome = rng.choice(
                (Outcome.EMPLOYMENT, Outcome.EMPLOYMENT, Outcome.EDUCATION, Outcome.JOB_SEEKING, Outcome.OTHER)
            )
            placement.state, placement.end_date = PlacementState.COMPLETED, moment.date()
            placement.outcome, placement.outcome_note = outcome, OUTCOME_NOTES[outcome]
        elif name == "discontinue":
            placement.state, placement.end_date = PlacementState.DISCONTINUED, moment.date()
            placement.outcome = Outcome.OTHER
            placement.outcome_note = note = rng.choice(DISCONTINUE_NOTES)
        elif name == "withdraw":
            note = rng.choice(WITHDRAW_NOTES)
        actors = {
            "system": None,
            "caseworker": referral.caseworker,
            "coordinator": demo.coordinators[referral.region.code],
            "supervisor": offer.supervisor.user if offer else None,
        }
        demo.session.add(
            Transition(
                referral=referral,
                name=name,
                from_state=previous,
                to_state=TARGET_STATE[name],
                actor=actors[ACTOR[name]],
                occurred_at=moment,
                note=note,
            )
        )
        previous = TARGET_STATE[name]
