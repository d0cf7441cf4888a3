"""The `outsiders` fixture: people outside the world's case (tests/security and
tests/follow_up use it): the caseworker of another authority (Skövde, Skaraborg), a
certified supervisor at another cooperative in Skaraborg, and Skaraborg's coordinator."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from portal.testing import password_hash


@pytest.fixture
def outsiders(session, world):
    from portal.models import Cooperative, Supervisor, User

    cooperative = Cooperative(
        name="Kooperativet Annat", organisation_number="769600-0002", municipality=world.municipality["Skövde"]
    )
    supervisor_user = User(
        email="handledare@annat.example.se", name="Annan Handledare", role="supervisor", password_hash=password_hash()
    )
    supervisor = Supervisor(
        user=supervisor_user,
        cooperative=cooperative,
        gender="man",
        capacity=3,
        certified_on=date(2026, 1, 15),
        municipalities={world.municipality["Skövde"]},
    )
    coordinator = User(
        email="samordnare@skaraborg.example.se",
        name="Skaraborgs Samordnare",
        role="coordinator",
        region=world.region["skaraborg"],
        password_hash=password_hash(),
    )
    session.add_all([cooperative, supervisor_user, supervisor, coordinator])
    session.commit()
    return SimpleNamespace(
        caseworker=world.other_caseworker,
        supervisor_user=supervisor_user,
        supervisor=supervisor,
        coordinator=coordinator,
    )
