"""Two people saving one directory record at once take turns: what is left is one of
the saves whole, and the code rows agree with the copies matching reads
(`models.base.keep_code_copies`). Before the record was locked, SQLite refused the
second save ("database is locked") and PostgreSQL could keep the rows of both."""

import pytest
from sqlalchemy import select

from portal.domain.directory import cooperatives, supervisors
from portal.models import Cooperative, Supervisor, User
from portal.models.directory import CooperativeTrade, SupervisorSpecialty
from portal.testing import at_once

ROUNDS = 5


def _saving(record, coordinator_id, record_id, codes):
    """A coordinator opens the record and saves it with `codes`, the rest as it was."""

    def job(session):
        actor = session.get(User, coordinator_id)
        if record == "supervisor":
            found = supervisors.for_change(session, actor, record_id)
            municipalities = {m.id for m in found.municipalities}
            details = supervisors.SupervisorDetails(
                found.cooperative_id, found.gender, found.capacity, municipalities, specialties=codes
            )
            supervisors.save(session, actor, found, details)
        else:
            found = cooperatives.for_change(session, actor, record_id)
            cooperatives.save(
                session,
                actor,
                cooperatives.CooperativeDetails(found.name, "769600-1234", found.municipality_id, trades=codes),
                found,
            )

    return job


RECORDS = {  # record: (its code rows, their owner column, the copy)
    "supervisor": (SupervisorSpecialty, "supervisor_id", Supervisor.specialty_codes),
    "cooperative": (CooperativeTrade, "cooperative_id", Cooperative.trade_codes),
}
CODES = {
    "supervisor": ({"substance_use", "criminal_record"}, {"language_support"}),
    "cooperative": ({"cafe", "carpentry"}, {"gardening"}),
}


@pytest.mark.parametrize("record", RECORDS)
def test_two_saves_at_once_leave_one_of_them_whole(app, session, world, certified, record):
    rows, owner, copy = RECORDS[record]
    record_id = certified.id if record == "supervisor" else world.cooperative.id
    for _round in range(ROUNDS):
        jobs = [_saving(record, world.coordinator.id, record_id, codes) for codes in CODES[record]]
        assert at_once(app, jobs) == ["ok", "ok"]
        session.rollback()
        kept = set(session.scalars(select(rows.code).where(getattr(rows, owner) == record_id)))
        assert kept in CODES[record]
        assert session.scalar(select(copy).where(copy.table.c.id == record_id)) == ",".join(sorted(kept))
