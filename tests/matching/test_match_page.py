"""The match page and the referral page's offer panel, as the person who offers uses them."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import sign_in
from flows import submitted
from matching_world import add_supervisor, past_referral
from queries import counting_queries
from sqlalchemy import select

from portal.builtin.default_workflow import DEFAULT
from portal.domain.referrals import actions as referrals
from portal.domain.referrals import offer_timers
from portal.hookspecs import hookimpl
from portal.models import AuditEvent, Offer, Referral


@pytest.fixture
def referral(session, engine, vault, world):
    """A Trollhättan participant (mental ill-health; Swedish and Arabic; café) in matching."""
    return submitted(session, engine, vault, world)


def signed_in(client, user, locale="en"):
    """Sign in and choose the interface language (sentences are checked in English)."""
    sign_in(client, user.email)
    client.post("/language", data={"locale": locale, "next": "/"})
    return client


def match_page(client, referral, **params):
    response = client.get(f"/referrals/{referral.id}/match", query_string=params)
    return response.status_code, response.get_data(as_text=True)


def offered_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="supervisor_id"\s+value="(\d+)"', page)]


def test_the_page_ranks_candidates_with_each_factor_s_points_and_reasons(client, session, world, referral):
    swedish = add_supervisor(session, world, "Sven Swedish")
    arabic = add_supervisor(session, world, "Amal Arabic", languages=("sv", "ar"))
    status, page = match_page(signed_in(client, world.caseworker), referral)
    assert status == 200
    assert offered_ids(page) == [arabic.id, swedish.id]
    assert "<caption" in page and '<th scope="col" class="number">Language</th>' in page
    assert "Speaks Arabic, as the participant does." in page
    assert "<dt>Handledarportalen</dt>" in page
    assert f'action="/referrals/{referral.id}/offers"' in page and 'type="radio"' in page


def test_the_page_speaks_swedish_by_default(client, session, world, referral):
    add_supervisor(session, world, "Amal Arabic", languages=("sv", "ar"))
    status, page = match_page(signed_in(client, world.caseworker, locale="sv"), referral)
    assert status == 200 and "Skicka erbjudandet" in page and "Stödbehov" in page and "arabiska" in page


def test_filters_narrow_the_list_by_municipality_language_and_trade(client, session, world, referral):
    referral.region_wide = True
    session.commit()
    arabic = add_supervisor(session, world, "Amal Arabic", languages=("sv", "ar"))
    cafe = add_supervisor(session, world, "Cia Cafe", trades=("cafe",))
    neighbour = add_supervisor(session, world, "Nils Neighbour", town="Vänersborg", serves=("Vänersborg",))
    signed_in(client, world.caseworker)
    assert sorted(offered_ids(match_page(client, referral)[1])) == sorted([arabic.id, cafe.id, neighbour.id])
    assert offered_ids(match_page(client, referral, language="ar")[1]) == [arabic.id]
    assert offered_ids(match_page(client, referral, trade="cafe")[1]) == [cafe.id]
    vanersborg = world.municipality["Vänersborg"].id
    assert offered_ids(match_page(client, referral, municipality=vanersborg)[1]) == [neighbour.id]
    assert offered_ids(match_page(client, referral, language="ar", trade="cafe")[1]) == []
    assert "No supervisor matches these filters." in match_page(client, referral, language="ar", trade="cafe")[1]


@pytest.mark.parametrize(
    "params",
    [{"language": "klingon"}, {"trade": "<script>"}, {"municipality": "Borås"}, {"why": "somebody"}, {"page": "0"}],
)
def test_parameters_outside_the_codes_are_refused(client, world, referral, params):
    assert match_page(signed_in(client, world.caseworker), referral, **params)[0] == 400


def test_why_isnt_x_listed_names_the_filters_they_fail(client, session, world, referral):
    listed = add_supervisor(session, world, "Lisa Listed")
    full = add_supervisor(session, world, "Fred Full", capacity=1)
    past_referral(session, world, full, placement_state="active")
    far = add_supervisor(session, world, "Vera Vänersborg", town="Vänersborg", serves=("Vänersborg",))
    outside = add_supervisor(session, world, "Sam Skövde", town="Skövde", serves=("Skövde",))
    signed_in(client, world.caseworker)

    page = match_page(client, referral)[1]
    choices = re.search(r'<select id="why" name="why">(.*?)</select>', page, re.S).group(1)
    assert "Fred Full" in choices and "Vera Vänersborg" in choices
    assert "Lisa Listed" not in choices and "Sam Skövde" not in choices  # listed; another region

    page = match_page(client, referral, why=full.id)[1]
    assert "Not listed, because:" in page and "No free place: 1 of 1 places are in use." in page
    page = match_page(client, referral, why=far.id)[1]
    assert "Does not serve Trollhättan, where the participant lives" in page
    assert "Listed as number 1." in match_page(client, referral, why=listed.id)[1]
    assert "the filters you chose hide them" in match_page(client, referral, why=listed.id, language="fi")[1]
    assert "Not listed, because" not in match_page(client, referral, why=outside.id)[1]


def test_offering_from_the_page_starts_the_offer(client, session, world, referral):
    chosen = add_supervisor(session, world, "Amal Arabic", languages=("sv", "ar"))
    signed_in(client, world.caseworker)
    response = client.post(f"/referrals/{referral.id}/offers", data={"supervisor_id": str(chosen.id)})
    assert response.status_code == 303
    session.rollback()
    assert session.get(Referral, referral.id).state == "offered"
    assert session.scalar(select(Offer.supervisor_id).where(Offer.referral_id == referral.id)) == chosen.id
    status, page = match_page(client, referral)
    assert status == 409 and "Offered" in page  # nothing to offer while the offer is open


def answer_by_declining(session, engine, supervisor, referral):
    offer = session.scalar(select(Offer).where(Offer.referral_id == referral.id, Offer.supervisor_id == supervisor.id))
    referrals.answer(session, engine, supervisor.user, offer.id, accept=False, reason="timing")
    session.commit()


def answer_by_letting_it_expire(session, engine, supervisor, referral):
    offer = session.scalar(select(Offer).where(Offer.referral_id == referral.id, Offer.supervisor_id == supervisor.id))
    offer_timers.expire_overdue(session, engine, now=offer.expires_at + timedelta(minutes=1))


@pytest.mark.parametrize(
    "answer, notice",
    [
        (answer_by_declining, "Amal Arabic declined the offer. Here are the next candidates."),
        (answer_by_letting_it_expire, "The offer to Amal Arabic expired. Here are the next candidates."),
    ],
)
def test_after_a_decline_or_expiry_the_next_candidates_show_at_once(
    client, session, engine, world, referral, answer, notice
):
    first = add_supervisor(session, world, "Amal Arabic", languages=("sv", "ar"))
    second = add_supervisor(session, world, "Sven Swedish")
    signed_in(client, world.caseworker)
    assert offered_ids(client.get(f"/referrals/{referral.id}").get_data(as_text=True)) == [first.id, second.id]
    client.post(f"/referrals/{referral.id}/offers", data={"supervisor_id": str(first.id)})

    session.rollback()
    answer(session, engine, first, referral)

    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert notice in page and offered_ids(page) == [second.id]
    assert offered_ids(match_page(client, referral)[1]) == [second.id]


def test_the_referral_page_shows_the_best_five_and_links_to_the_whole_ranking(client, session, world, referral):
    for n in range(7):
        add_supervisor(session, world, f"Supervisor {n}")
    page = signed_in(client, world.caseworker).get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert len(offered_ids(page)) == 5
    assert f'href="/referrals/{referral.id}/match"' in page and "See the full ranking" in page


def grow(session, world, start, count):
    """More supervisors, with placements running and completed and offers waiting."""
    session.rollback()  # a fresh transaction, as another user's request would start
    for n in range(start, start + count):
        supervisor = add_supervisor(
            session,
            world,
            f"Supervisor {n}",
            capacity=3,
            languages=("sv", "ar"),
            trades=("cafe",),
            specialties=("mental_health",),
        )
        past_referral(session, world, supervisor, placement_state="completed")
        past_referral(session, world, supervisor, placement_state="active")
        past_referral(session, world, supervisor, offer_state="open")


@pytest.mark.parametrize(
    "path, params",
    [
        ("/referrals/{id}/match", {"language": "ar", "why": "{why}"}),
        ("/referrals/{id}", {}),
    ],
)
def test_matching_pages_run_the_same_number_of_queries_at_any_size(app, client, session, world, referral, path, params):
    asked = add_supervisor(session, world, "Asked About", active=True, certified=False)
    grow(session, world, 0, 2)
    signed_in(client, world.caseworker)
    url = path.format(id=referral.id)
    query = {key: value.format(why=asked.id) for key, value in params.items()}
    with counting_queries(app) as small:
        assert client.get(url, query_string=query).status_code == 200
    grow(session, world, 2, 25)
    with counting_queries(app) as large:
        page = client.get(url, query_string=query)
        assert page.status_code == 200
    assert len(offered_ids(page.get_data(as_text=True))) == (25 if "match" in path else 5)  # a page; the panel
    assert len(small) == len(large), "\n".join(large)


@pytest.mark.parametrize(
    "role, status",
    [
        ("caseworker", 200),
        ("coordinator", 200),  # the default workflow lets both offer
        ("other_caseworker", 404),
        ("supervisor_user", 404),  # cannot see the referral
        ("admin", 403),  # sees it, but the workflow does not let an administrator offer
    ],
)
def test_only_those_who_may_offer_see_the_ranking(client, world, referral, role, status):
    assert match_page(signed_in(client, getattr(world, role)), referral)[0] == status


def test_looking_at_the_ranking_is_audited(client, session, world, referral):
    match_page(signed_in(client, world.caseworker), referral)
    session.rollback()
    assert (
        session.scalar(
            select(AuditEvent.participant_id).where(
                AuditEvent.action == "referral.match", AuditEvent.referral_id == referral.id
            )
        )
        == referral.participant_id
    )


class TwoAtOnce:
    """A workflow that lets the referral be offered to two supervisors at once."""

    @hookimpl
    def portal_workflows(self):
        return [replace(DEFAULT, name="two-at-once", max_parallel_offers=2)]

    @hookimpl
    def portal_region_workflow(self, region_code):
        return "two-at-once"


def test_where_the_workflow_allows_several_offers_the_ranking_offers_to_several(make_app, session, vault, world):
    app = make_app(plugins={"two": TwoAtOnce()}, enabled={"fyrbodal": ["two"]})
    session.rollback()
    referral = submitted(session, app.extensions["portal.engine"], vault, world)
    first, second = (add_supervisor(session, world, name) for name in ("Amal Arabic", "Sven Swedish"))
    client = signed_in(app.test_client(), world.caseworker)
    status, page = match_page(client, referral)
    assert status == 200 and 'type="checkbox"' in page and "Choose up to 2." in page
    response = client.post(f"/referrals/{referral.id}/offers", data={"supervisor_id": [str(first.id), str(second.id)]})
    assert response.status_code == 303
    session.rollback()
    assert set(session.scalars(select(Offer.supervisor_id).where(Offer.referral_id == referral.id))) == {
        first.id,
        second.id,
    }
