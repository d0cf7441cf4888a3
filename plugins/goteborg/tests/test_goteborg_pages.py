"""Göteborgsregionen's parallel offers and district question through the portal's own pages."""

import re

from sqlalchemy import select

from portal.models import Offer, Referral, ReferralFieldValue
from portal.testing import sign_in

FORM = {"goal": "Arbetsträning i restaurang", "hours_per_week": "20", "goteborg.district": "majorna_linne"}


def test_the_form_asks_for_the_district_and_the_page_shows_it(client, session, world, person):
    participant = person("Göteborg")
    sign_in(client, world.caseworker.email)
    form = client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)
    assert "Stadsdel i Göteborg" in form and "Örgryte-Härlanda" in form
    response = client.post(f"/participants/{participant.id}/referrals/new", data=FORM)
    assert response.status_code == 302
    session.rollback()
    assert (
        session.scalar(select(ReferralFieldValue.value).where(ReferralFieldValue.name == "district")) == "majorna_linne"
    )
    assert "<dt>Stadsdel i Göteborg</dt><dd>Majorna-Linné</dd>" in client.get(response.location).get_data(as_text=True)


def test_the_district_is_optional_but_must_be_one_of_the_list(client, session, world, person):
    participant = person("Kungälv")  # in the region, outside Göteborg
    sign_in(client, world.caseworker.email)
    response = client.post(f"/participants/{participant.id}/referrals/new", data={**FORM, "goteborg.district": "x"})
    assert response.status_code == 400
    session.rollback()
    assert session.scalar(select(Referral)) is None
    response = client.post(f"/participants/{participant.id}/referrals/new", data={**FORM, "goteborg.district": ""})
    assert response.status_code == 302


def test_a_form_elsewhere_does_not_ask_for_a_district(client, world, person):
    participant = person("Trollhättan")
    sign_in(client, world.caseworker.email)
    assert "goteborg." not in client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)


def test_three_offers_a_decline_and_an_acceptance_through_the_pages(client, session, world, person, supervisors):
    participant = person("Göteborg")
    sign_in(client, world.caseworker.email)
    location = client.post(f"/participants/{participant.id}/referrals/new", data=FORM).location
    referral_id = int(location.rsplit("/", 1)[1])
    client.post(f"/referrals/{referral_id}/act/submit")
    page = client.get(location).get_data(as_text=True)
    assert "Välj upp till 3 handledare" in page and 'type="checkbox"' in page
    response = client.post(f"/referrals/{referral_id}/offers", data={"supervisor_id": [str(s.id) for s in supervisors]})
    assert response.status_code == 303
    client.post("/sign-out")

    first, second, third = (s.user for s in supervisors)
    sign_in(client, second.email)
    offer_id = re.search(r"/offers/(\d+)/decline", client.get(location).get_data(as_text=True)).group(1)
    assert client.post(f"/offers/{offer_id}/decline", data={"reason": "timing"}).status_code == 303
    client.post("/sign-out")

    sign_in(client, world.caseworker.email)
    assert "Erbjuden" in client.get(location).get_data(as_text=True)  # two offers are still open
    client.post("/sign-out")

    sign_in(client, third.email)
    offer_id = re.search(r"/offers/(\d+)/accept", client.get(location).get_data(as_text=True)).group(1)
    assert client.post(f"/offers/{offer_id}/accept").status_code == 303
    client.post("/sign-out")

    sign_in(client, first.email)
    assert client.get(location).status_code == 404  # the offer was withdrawn: the referral is no longer theirs
    session.rollback()
    states = {
        offer.supervisor.user_id: offer.state
        for offer in session.scalars(select(Offer).where(Offer.referral_id == referral_id))
    }
    assert states == {first.id: "withdrawn", second.id: "declined", third.id: "accepted"}
    assert session.get(Referral, referral_id).state == "accepted"


def test_the_admin_page_draws_the_workflow_goteborgsregionen_follows(client, world):
    sign_in(client, world.admin.email)
    response = client.get("/admin/workflows/goteborgsregionen")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Göteborgsregionen: upp till tre erbjudanden samtidigt" in page
    assert "Tacka nej" in page
