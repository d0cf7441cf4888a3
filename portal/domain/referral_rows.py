"""A list of referrals read as rows, not entities: the home pages' lists and /referrals.

Loading a page of referrals as entities (each with its participant, municipality and
authority) took the ORM about as much CPU as the rest of the list's work together: the
entities, their identity map and their expiry at commit (2.2 against 0.8 ms for eight
referrals; bench/README.md, pages). The lists show a few columns of each, so their window
reads those columns on the session's connection (`reads.columns`) and makes each row a
`ReferralRow`, which the templates read as they read a referral (`referral.participant.
municipality.name`, `referral.participant.display_name`, …). The COUNT, the conditions
and the order are the query's own, so the rows are the same referrals in the same order.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Select, bindparam

from portal.domain.pagination import Paged
from portal.models import Authority, Municipality, Participant, Referral


class Named(NamedTuple):
    """A municipality or an authority as a list shows it: its name."""

    name: str


class ParticipantRow(NamedTuple):
    given_name: str
    family_name: str
    municipality: Named

    display_name = Participant.display_name  # the same words as the entity's


class ReferralRow(NamedTuple):
    id: int
    participant_id: int
    state: str
    submitted_at: datetime | None
    participant: ParticipantRow
    authority: Named


def _row(
    referral_id, participant_id, state, submitted_at, given_name, family_name, municipality, authority
) -> ReferralRow:
    return ReferralRow(
        referral_id,
        participant_id,
        state,
        submitted_at,
        ParticipantRow(given_name, family_name, Named(municipality)),
        Named(authority),
    )


def paged(query: Select, *, participant_joined: bool = False) -> Paged:
    """`query` (`select(Referral)` with its conditions and order) as a `Paged` whose window
    reads a `ReferralRow`'s columns; `participant_joined` when `query` already joins the
    participant (for its conditions or order). The COUNT is `query`'s, as `Paged.of` makes it."""
    rows = query.with_only_columns(
        Referral.id,
        Referral.participant_id,
        Referral.state,
        Referral.submitted_at,
        Participant.given_name,
        Participant.family_name,
        Municipality.name,
        Authority.name,
        maintain_column_froms=False,
    )
    if not participant_joined:
        rows = rows.join(Participant, Referral.participant_id == Participant.id)
    rows = rows.join(Municipality, Participant.municipality_id == Municipality.id).join(
        Authority, Referral.authority_id == Authority.id
    )
    return Paged(
        Paged.of(query).count,
        rows.limit(bindparam("page_limit")).offset(bindparam("page_offset")),
        row=_row,
    )
