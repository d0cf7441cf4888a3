"""Issue 10.2: the offer applies matching's hard filters, in one query with the match
page's conditions, and refuses (409, naming the filter) anyone they exclude."""

import pytest
from conftest import sign_in
from flask_babel import force_locale
from flows import submitted
from matching_world import add_supervisor, past_referral
from sqlalchemy import func, select

from portal.domain.referrals import actions as referrals
from portal.domain.referrals.transitions import Refused
from portal.models import Offer, Referral


@pytest.fixture
def referral(session, engine, vault, world):
    return submitted(session, engine, vault, world)


def excluded(session, world, kind):
    if kind == "another_region":
        return add_supervisor(session, world, "Skaraborgare", town="Skövde", serves=("Skövde",)), "Does not serve"
    if kind == "no_free_place":
        full = add_supervisor(session, world, "Fullsatt", capacity=1)
        past_referral(session, world, full, placement_state="active")
        return full, "No free place"
    if kind == "not_certified":
        return add_supervisor(session, world, "Okursad", certified=False), "supervisor training"
    return add_supervisor(session, world, "Ledig", active=False), "Not active"


KINDS = ["another_region", "no_free_place", "not_certified", "inactive"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_offer_to_a_supervisor_matching_excludes_is_refused_naming_the_filter(
    app, session, engine, world, referral, kind
):
    supervisor, fragment = excluded(session, world, kind)
    with app.app_context(), force_locale("en"):
        with pytest.raises(Refused) as refusal:
            referrals.offer(session, engine, world.caseworker, referral.id, [supervisor.id])
        assert refusal.value.status == 409
        assert fragment in str(refusal.value.message) and supervisor.user.name in str(refusal.value.message)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Offer).where(Offer.referral_id == referral.id)) == 0


@pytest.mark.parametrize("kind", KINDS)
def test_the_offer_page_answers_409_and_offers_nothing(client, session, world, referral, kind):
    supervisor, _fragment = excluded(session, world, kind)
    sign_in(client, world.caseworker.email)
    response = client.post(f"/referrals/{referral.id}/offers", data={"supervisor_id": str(supervisor.id)})
    assert response.status_code == 409
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Offer).where(Offer.referral_id == referral.id)) == 0
    assert session.get(Referral, referral.id).state == "matching"


def test_one_excluded_supervisor_among_parallel_offers_stops_them_all(session, engine, world, referral):
    good = add_supervisor(session, world, "Bra")
    supervisor, _fragment = excluded(session, world, "another_region")
    with pytest.raises(Refused):
        referrals.offer(session, engine, world.caseworker, referral.id, [good.id, supervisor.id])
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Offer).where(Offer.referral_id == referral.id)) == 0


def test_a_supervisor_matching_lists_can_be_offered(session, engine, world, referral):
    good = add_supervisor(session, world, "Bra")
    referrals.offer(session, engine, world.caseworker, referral.id, [good.id])
    session.commit()
    assert session.get(Referral, referral.id).state == "offered"
