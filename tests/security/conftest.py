"""People outside the world's case: another authority, another cooperative, another region.

`world` (portal.testing) has a caseworker at Försäkringskassan Trollhättan (Fyrbodal), a
caseworker at Socialtjänsten Skövde (Skaraborg), Fyrbodal's coordinator and one
supervisor at Kooperativet Vägen. `outsiders` adds a certified supervisor at another
cooperative (in Skaraborg) and Skaraborg's coordinator; `case` is a referral of the FK
caseworker's offered to the world's supervisor, as the ids its routes take.
"""

from __future__ import annotations

import pytest
from outsiders import outsiders  # noqa: F401 (a fixture, shared with tests/follow_up)


@pytest.fixture
def case(session, engine, vault, world, certified):
    """A referral by the FK caseworker (Fyrbodal), offered to the world's supervisor."""
    from flows import offered

    referral, offer = offered(session, engine, vault, world, certified)
    return {
        "referral_id": referral.id,
        "participant_id": referral.participant_id,
        "offer_id": offer.id,
        "consent_id": referral.participant.consents[0].id,
    }
