"""People reading and writing at the same moment, through the pages, on both databases.

Every read of a participant's data writes its audit row in the same transaction, so
nearly every request writes. On SQLite a transaction that began by reading cannot write
once another has committed: before `web.transactions`, twelve requests at once answered
503 for all but one or two. And a conversation's read mark was "read the row, else add
it": the same person's two tabs, or a double click on "Send", failed on PostgreSQL's key.
"""

from __future__ import annotations

import pytest
from races import http_at_once, signed_in
from sqlalchemy import func, select

from portal.models import AuditEvent, Message

ROUNDS = 5
AT_ONCE = 6


@pytest.mark.slow
def test_reads_and_writes_at_once_all_answer_and_all_are_kept(app, session, world, accepted):
    referral = accepted()
    readers = [signed_in(app, world.caseworker.email) for _ in range(AT_ONCE)]
    writers = [signed_in(app, world.supervisor_user.email) for _ in range(AT_ONCE)]
    conversation = f"/referrals/{referral.id}/messages"
    reads_before = _count(session, AuditEvent.action == "referral.view", AuditEvent.referral_id == referral.id)
    for _round in range(ROUNDS):
        statuses = http_at_once(
            [lambda c=c: c.get(f"/referrals/{referral.id}").status_code for c in readers]
            + [lambda c=c: c.get(conversation).status_code for c in writers[: AT_ONCE // 2]]
            + [lambda c=c: c.post(conversation, data={"body": "Hej"}).status_code for c in writers]
        )
        assert statuses == [200] * (AT_ONCE + AT_ONCE // 2) + [303] * AT_ONCE
    assert _count(session, Message.referral_id == referral.id) == ROUNDS * AT_ONCE
    reads = _count(session, AuditEvent.action == "referral.view", AuditEvent.referral_id == referral.id)
    assert reads - reads_before == ROUNDS * AT_ONCE


def _count(session, *conditions) -> int:
    session.rollback()
    table = conditions[0].left.table
    return session.scalar(select(func.count()).select_from(table).where(*conditions))
