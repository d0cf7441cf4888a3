"""Demo data: a believable Västra Götaland in one call, for `portal demo` and for trying things out.

Everything comes from a fixed random seed and dates relative to `today`, so the demo is
the same on every machine and always looks recent. The data keeps the rules the portal
enforces (consent before submission, supervisors' capacity, offer expiry, a transition
for every step), so that lists, timelines and reports show what real use would show.
Identity numbers are Skatteverket's published test numbers, stored like real ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo import accounts, organisations, participants, referrals, regional, training
from portal.demo.world import DEMO_PASSWORD, DEMO_REGION, LOGINS, start
from portal.domain import calendar
from portal.domain.participants.privacy import Vault, parse
from portal.models import Participant, User

__all__ = ["DEMO_PASSWORD", "LOGINS", "free_test_numbers", "load", "loaded"]


def loaded(session: Session) -> bool:
    """Whether the demo is in the database already (its admin is)."""
    return session.scalar(select(User.id).where(User.email == LOGINS["admin"])) is not None


def load(
    session: Session, vault: Vault, *, today: date | None = None, workflows: Iterable[tuple[str, int]] = ()
) -> dict[str, str]:
    """Load the demo once and return the sign-in address of one user per role.

    An existing demo admin means the demo is there already: nothing is added twice, so
    `portal demo` can run at every start. `workflows`: the (name, version) of the
    installed workflows; each regional one gets a referral in its own step
    (`portal.demo.regional`). The caller commits.
    """
    if not loaded(session):
        demo = start(session, vault, today or calendar.local_today())
        organisations.add_staff(demo)
        organisations.add_authorities(demo)
        cohorts = organisations.add_cohorts(demo)
        organisations.add_supervisors(demo, organisations.add_cooperatives(demo), cohorts)
        referrals.add_referrals(demo)
        regional.add_referrals(demo, set(workflows))
        session.flush()
        training.add(demo)
        accounts.add(demo, DEMO_REGION)
    return dict(LOGINS)


def free_test_numbers(session: Session, vault: Vault, count: int = 3) -> list[str]:
    """Skatteverket's test numbers that no participant has yet, in the file's order: what
    to type when trying out a registration in the demo."""
    taken = set(session.scalars(select(Participant.personnummer_index)))
    return [line for line in participants.identity_numbers() if vault.blind_index(parse(line)) not in taken][:count]
