"""The demo's world: who signs in, the builder state the other demo modules share, and
how a demo person gets a unique name and a shared password hash."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.names import (
    FAMILY_NAMES,
    MEN,
    WOMEN,
)
from portal.domain import geography
from portal.domain.geography import region_code as slug
from portal.domain.participants.privacy import Vault
from portal.models import (
    Gender,
    Municipality,
    Region,
    Supervisor,
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


@dataclass
class Demo:
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


def start(session: Session, vault: Vault, today: date) -> Demo:
    """Regions and municipalities first, everything hangs on them; ordered by code, not
    by name, so that both backends' collations deal the same random choices."""
    geography.load(session)
    by_region = defaultdict(list)
    for municipality in session.scalars(select(Municipality).order_by(Municipality.scb_code)):
        by_region[municipality.region.code].append(municipality)
    regions = {region.code: region for region in session.scalars(select(Region).order_by(Region.code))}
    return Demo(session, vault, today, random.Random(SEED), regions, dict(by_region))


def unique_name(demo: Demo, gender: str) -> tuple[str, str]:
    """A given and family name nobody in the demo has yet, so that every e-mail is unique."""
    given_names = {Gender.WOMAN: WOMEN, Gender.MAN: MEN}.get(gender, WOMEN + MEN)
    while (name := (demo.rng.choice(given_names), demo.rng.choice(FAMILY_NAMES))) in demo.names_taken:
        pass
    demo.names_taken.add(name)
    return name


def add_user(
    demo: Demo, role: str, domain: str, *, email: str | None = None, gender: str | None = None, **links
) -> User:
    """A demo user; scrypt is slow by design, so the password is hashed once and the hash shared."""
    gender = gender or demo.rng.choice((Gender.WOMAN, Gender.WOMAN, Gender.MAN))
    given, family = unique_name(demo, gender)
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
