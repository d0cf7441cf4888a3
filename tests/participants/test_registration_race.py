"""Registering the same person at once: one authority keeps one record of a person.

The check "has this authority registered the number?" and the insert are one step under
the authority's row lock (`domain.transactions`): before, eight caseworkers' clients
posting the same number at the same moment could each find nothing and each insert.
"""

from __future__ import annotations

import pytest
from races import http_at_once, new_number, signed_in
from sqlalchemy import func, select

from portal.models import AuditEvent, Participant

ROUNDS = 5
AT_ONCE = 8


@pytest.mark.slow
def test_the_same_number_registered_at_once_gives_one_participant(app, session, world):
    clients = [signed_in(app, world.caseworker.email) for _ in range(AT_ONCE)]
    for _round in range(ROUNDS):
        form = {
            "personnummer": new_number(),
            "given_name": "Kim",
            "family_name": "Andersson",
            "gender": "woman",
            "municipality_id": world.municipality["Trollhättan"].id,
        }
        session.rollback()
        before = session.scalar(select(func.count()).select_from(Participant))
        statuses = http_at_once(
            [lambda c=c, form=form: c.post("/participants/new", data=form).status_code for c in clients]
        )
        session.rollback()
        assert sorted(statuses) == [302] + [303] * (AT_ONCE - 1)  # the others are led to the record
        assert session.scalar(select(func.count()).select_from(Participant)) == before + 1
    assert session.scalar(select(func.count()).where(AuditEvent.action == "participant.create")) == ROUNDS
