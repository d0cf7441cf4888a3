"""Matching: hard filters in SQL, named factors in Python, plugins and weights on top."""

from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import make_settings
from flask_babel import force_locale
from flows import submitted
from matching_world import add_supervisor, past_referral
from sqlalchemy import select

from portal import create_app
from portal.builtin.matching_factors import CORE_FACTORS
from portal.domain.matching.candidates import load_candidates
from portal.domain.matching.factors import Candidate, Factor, Match, WeightsInvalid, parse_weights
from portal.domain.matching.filters import eligible_supervisors, why_not_listed
from portal.domain.matching.ranking import CORE_NAME, FactorInvalid, rank
from portal.domain.referrals import actions as referrals
from portal.domain.referrals import offer_timers
from portal.hookspecs import hookimpl
from portal.models import Offer

# Factors, one at a time, without a database -------------------------------------------

BASE_CANDIDATE = Candidate(
    supervisor_id=1,
    name="Ada",
    gender="woman",
    capacity=2,
    running=0,
    open_offers=0,
    cooperative_id=1,
    cooperative_name="Kooperativet",
    municipality_id=10,
    municipality_name="Trollhättan",
    region_id=1,
    shared_specialties=frozenset(),
    shared_languages=frozenset({"sv"}),
    shared_trades=frozenset(),
    shared_accessibility=frozenset(),
    completed_with_authority=0,
)
BASE_MATCH = Match(
    referral=None,
    region_id=1,
    region_code="fyrbodal",
    municipality_id=10,
    municipality_name="Trollhättan",
    authority_id=1,
    authority_name="Försäkringskassan Trollhättan",
    needs=frozenset({"mental_health", "substance_use"}),
    languages=frozenset({"sv", "ar"}),
    interests=frozenset({"cafe"}),
    accessibility_needs=frozenset({"step_free", "quiet_room"}),
)
FACTORS = {factor.name: factor for factor in CORE_FACTORS}


def values(candidate, match=BASE_MATCH):
    return {name: factor.score(candidate, match) for name, factor in FACTORS.items()}


@pytest.mark.parametrize(
    "factor, changes, expected",
    [
        ("needs", {"shared_specialties": frozenset({"mental_health"})}, 0.5),
        ("needs", {"shared_specialties": frozenset({"mental_health", "substance_use"})}, 1.0),
        ("language", {"shared_languages": frozenset({"sv", "ar"})}, 1.0),
        ("language", {"shared_languages": frozenset()}, 0.0),
        ("interests", {"shared_trades": frozenset({"cafe"})}, 1.0),
        ("accessibility", {"shared_accessibility": frozenset({"step_free"})}, 0.5),
        ("accessibility", {"shared_accessibility": frozenset({"step_free", "quiet_room"})}, 1.0),
        ("travel", {"municipality_id": 11}, 0.5),
        ("travel", {"municipality_id": 11, "region_id": 2}, 0.0),
        ("load", {"running": 1}, 0.5),
        ("load", {"running": 1, "open_offers": 1}, 0.0),
        ("continuity", {"completed_with_authority": 1}, 1 / 3),
        ("continuity", {"completed_with_authority": 7}, 1.0),
    ],
)
def test_each_factor_moves_alone_when_its_own_data_changes(factor, changes, expected):
    before, after = values(BASE_CANDIDATE), values(replace(BASE_CANDIDATE, **changes))
    assert after[factor] == pytest.approx(expected)
    assert {name: value for name, value in after.items() if name != factor} == {
        name: value for name, value in before.items() if name != factor
    }


def test_swedish_alone_counts_half_when_the_participant_speaks_another_language_and_fully_when_not():
    swedish = replace(BASE_CANDIDATE, shared_languages=frozenset({"sv"}))
    assert FACTORS["language"].score(swedish, BASE_MATCH) == 0.5
    assert FACTORS["language"].score(swedish, replace(BASE_MATCH, languages=frozenset({"sv"}))) == 1.0


def test_a_factor_with_nothing_to_compare_gives_everyone_zero():
    nothing = replace(BASE_MATCH, needs=frozenset(), interests=frozenset(), accessibility_needs=frozenset())
    for name in ("needs", "interests", "accessibility"):
        assert FACTORS[name].score(BASE_CANDIDATE, nothing) == 0.0


@pytest.fixture
def plain_app(tmp_path):
    """An app for formatting sentences; nothing here touches its database."""
    return create_app(make_settings(f"sqlite:///{tmp_path / 'unused.sqlite3'}", tmp_path / "instance"))


def explain(name, candidate, locale, match=BASE_MATCH):
    with force_locale(locale):
        return str(FACTORS[name].explain(candidate, match))


def test_explanations_are_plain_sentences_in_the_reader_s_language(plain_app):
    speaks_arabic = replace(
        BASE_CANDIDATE,
        shared_languages=frozenset({"sv", "ar"}),
        shared_accessibility=frozenset({"step_free"}),
        municipality_id=11,
        municipality_name="Vänersborg",
    )
    with plain_app.app_context():
        assert explain("language", speaks_arabic, "en") == "Speaks Arabic, as the participant does."
        assert "arabiska" in explain("language", speaks_arabic, "sv")  # a language is lower case in Swedish
        assert (
            explain("accessibility", speaks_arabic, "en")
            == "The cooperative has step-free access but lacks quiet room."
        )
        assert (
            explain("travel", speaks_arabic, "en") == "The cooperative is in Vänersborg, in the participant's region."
        )
        assert (
            explain("load", replace(BASE_CANDIDATE, running=1, open_offers=1), "en")
            == "Free places: 0 of 2, after unanswered offers (1)."
        )


def test_weights_are_read_from_name_equals_number():
    assert parse_weights("language=2, travel=0.5,") == {"language": 2.0, "travel": 0.5}
    assert parse_weights(None) == {}
    for wrong in ("language", "language=lots", "language=-1", "=2"):
        with pytest.raises(WeightsInvalid):
            parse_weights(wrong)


def test_a_mistyped_weight_setting_stops_start_up(settings):
    with pytest.raises(WeightsInvalid, match="lots"):
        create_app({**settings, "MATCHING_WEIGHTS": "language=lots"})


# Hard filters, in SQL ------------------------------------------------------------------


@pytest.fixture
def referral(session, engine, vault, world):
    """A Trollhättan participant (mental ill-health; Swedish and Arabic; café) in matching."""
    return submitted(session, engine, vault, world)


def offer_and(session, engine, world, referral, supervisor, answer):
    referrals.offer(session, engine, world.caseworker, referral.id, [supervisor.id])
    session.commit()
    offer = session.scalar(select(Offer).where(Offer.referral_id == referral.id, Offer.supervisor_id == supervisor.id))
    if answer == "decline":
        referrals.answer(session, engine, supervisor.user, offer.id, accept=False, reason="timing")
        session.commit()
    else:
        offer_timers.expire_overdue(session, engine, now=offer.expires_at + timedelta(minutes=1))
    session.refresh(referral)
    assert referral.state == "matching"


def test_hard_filters_exclude_exactly_who_they_should(app, session, engine, world, referral):
    good = add_supervisor(session, world, "Good")
    inactive = add_supervisor(session, world, "Inactive", active=False)
    uncertified = add_supervisor(session, world, "Uncertified", certified=False)
    full = add_supervisor(session, world, "Full", capacity=1)
    past_referral(session, world, full, placement_state="active")
    elsewhere = add_supervisor(session, world, "Elsewhere", town="Skövde", serves=("Skövde",))
    declined = add_supervisor(session, world, "Declined")
    offer_and(session, engine, world, referral, declined, "decline")
    expired = add_supervisor(session, world, "Expired")
    offer_and(session, engine, world, referral, expired, "expire")

    assert eligible_supervisors(session, referral) == [good]
    assert [entry.candidate.supervisor_id for entry in rank(session, engine, referral).entries] == [good.id]
    expected = {
        good: [],
        inactive: ["Not active"],
        uncertified: ["supervisor training"],
        full: ["No free place: 1 of 1 places are in use."],
        elsewhere: ["Does not serve Trollhättan"],
        declined: ["Declined this referral on"],
        expired: ["Let the offer of this referral expire on"],
    }
    with app.app_context(), force_locale("en"):
        for supervisor, fragments in expected.items():
            reasons = [str(reason) for reason in why_not_listed(session, referral, supervisor.id)]
            assert len(reasons) == len(fragments), (supervisor.user.name, reasons)
            for reason, fragment in zip(reasons, fragments, strict=False):
                assert fragment in reason


def test_several_failed_filters_are_all_named(app, session, world, referral):
    both = add_supervisor(session, world, "Both", active=False, town="Skövde", serves=("Skövde",))
    with app.app_context(), force_locale("en"):
        reasons = [str(reason) for reason in why_not_listed(session, referral, both.id)]
    assert len(reasons) == 2 and "Not active" in reasons[0] and "Does not serve" in reasons[1]
    assert why_not_listed(session, referral, 999_999) is None


def test_a_region_wide_referral_reaches_supervisors_serving_elsewhere_in_the_region(session, world, referral):
    neighbour = add_supervisor(session, world, "Neighbour", town="Vänersborg", serves=("Vänersborg",))
    other_region = add_supervisor(session, world, "Skaraborg", town="Skövde", serves=("Skövde",))
    assert neighbour not in eligible_supervisors(session, referral)
    referral.region_wide = True
    session.commit()
    assert neighbour in eligible_supervisors(session, referral)
    assert other_region not in eligible_supervisors(session, referral)


def test_candidates_carry_their_load_track_record_and_shared_codes(session, world, referral):
    busy = add_supervisor(
        session,
        world,
        "Busy",
        capacity=4,
        languages=("sv", "ar", "fi"),
        specialties=("mental_health", "criminal_record"),
        trades=("cafe", "bakery"),
    )
    past_referral(session, world, busy, placement_state="active")
    past_referral(session, world, busy, offer_state="open")
    for _ in range(2):
        past_referral(session, world, busy, placement_state="completed")
    past_referral(session, world, busy, placement_state="completed", authority=world.social)

    [candidate] = load_candidates(session, referral, Match.of(referral))
    assert (candidate.running, candidate.open_offers, candidate.completed_with_authority) == (1, 1, 2)
    assert candidate.shared_languages == {"sv", "ar"} and candidate.shared_specialties == {"mental_health"}
    assert candidate.shared_trades == {"cafe"} and candidate.shared_accessibility == set()
    assert candidate.municipality_name == "Trollhättan" and candidate.cooperative_name == "Kooperativ Busy"


# Ranking -------------------------------------------------------------------------------


def names(ranking):
    return [entry.candidate.name for entry in ranking.entries]


def test_the_best_match_comes_first_and_says_why(app, session, engine, world, referral):
    add_supervisor(session, world, "Swedish only")
    add_supervisor(session, world, "Arabic speaker", languages=("sv", "ar"))
    ranking = rank(session, engine, referral)
    assert names(ranking) == ["Arabic speaker", "Swedish only"]
    best = ranking.entries[0]
    assert best.score - ranking.entries[1].score == pytest.approx(1.0)  # language: 2 × (1 − 0.5)
    with app.app_context(), force_locale("en"):
        [(plugin, contributions)] = best.explanation()
        assert plugin == CORE_NAME
        sentences = {c.factor.name: str(c.explanation) for c in contributions}
    assert sentences["language"] == "Speaks Arabic, as the participant does."
    assert [c.factor.name for c in contributions] == [factor.name for factor in CORE_FACTORS]


def test_what_the_supervisor_can_offer_meets_accessibility_needs_the_premises_lack(
    app, session, engine, world, referral
):
    """Flexible hours are the supervisor's to give, not the building's: a supervisor who
    offers them ranks above one who does not, though neither cooperative has them."""
    referral.participant.accessibility_needs = {"flexible_hours", "step_free"}
    session.commit()
    add_supervisor(session, world, "Fixed hours", accessibility=("step_free",))
    flexible = add_supervisor(session, world, "Flexible hours", accessibility=("step_free",))
    flexible.accessibility = {"flexible_hours", "quiet_room"}
    session.commit()
    ranking = rank(session, engine, referral)
    assert names(ranking) == ["Flexible hours", "Fixed hours"]
    assert ranking.entries[0].score - ranking.entries[1].score == pytest.approx(1.0)  # accessibility: 2 × (1 − 0.5)
    [first, second] = (entry.candidate for entry in ranking.entries)
    assert first.supervisor_accessibility == {"flexible_hours"}  # only what the participant needs
    with app.app_context():
        assert explain("accessibility", first, "en", match=Match.of(referral)) == (
            "Between them, the cooperative and the supervisor offer flexible hours and step-free access, "
            "as the participant needs."
        )
        assert explain("accessibility", second, "en", match=Match.of(referral)) == (
            "The cooperative has step-free access but lacks flexible hours."
        )


def test_ties_break_by_registration_and_the_ranking_repeats_itself(session, engine, world, referral):
    twins = [add_supervisor(session, world, f"Twin {n}") for n in range(4)]
    first = names(rank(session, engine, referral))
    assert first == [twin.user.name for twin in sorted(twins, key=lambda s: s.id)]
    assert all(names(rank(session, engine, referral)) == first for _ in range(3))


class FavouritePlugin:
    """A test plugin with one factor that strongly prefers one supervisor."""

    def __init__(self, favourite_id, value=1.0):
        self.favourite_id = favourite_id
        self.value = value

    @hookimpl
    def portal_matching_factors(self, region_code):
        return [
            Factor(
                "favourite",
                "Favourite",
                10.0,
                score=lambda c, m: self.value if c.supervisor_id == self.favourite_id else 0.0,
                explain=lambda c, m: "The test plugin's favourite",
            )
        ]


def test_a_plugin_factor_changes_the_order_and_appears_under_the_plugin_s_name(
    make_app, session, engine, world, referral
):
    add_supervisor(session, world, "Arabic speaker", languages=("sv", "ar"))
    favourite = add_supervisor(session, world, "Favourite")
    assert names(rank(session, engine, referral))[0] == "Arabic speaker"

    with_plugin = make_app(plugins={"favourites": FavouritePlugin(favourite.id)}, enabled={"fyrbodal": ["favourites"]})
    session.rollback()  # a new transaction, which sees the plugin enabled
    ranking = rank(session, with_plugin.extensions["portal.engine"], referral)
    assert names(ranking)[0] == "Favourite"
    groups = dict(ranking.entries[0].explanation())
    assert [c.factor.name for c in groups["favourites"]] == ["favourite"]
    assert str(groups["favourites"][0].explanation) == "The test plugin's favourite"
    assert "language" in [c.factor.name for c in groups[CORE_NAME]]


def test_a_plugin_factor_counts_only_in_the_regions_that_enabled_the_plugin(make_app, session, world, referral):
    add_supervisor(session, world, "Arabic speaker", languages=("sv", "ar"))
    favourite = add_supervisor(session, world, "Favourite")
    elsewhere = make_app(plugins={"favourites": FavouritePlugin(favourite.id)}, enabled={"skaraborg": ["favourites"]})
    session.rollback()
    ranking = rank(session, elsewhere.extensions["portal.engine"], referral)  # a Fyrbodal referral
    assert names(ranking)[0] == "Arabic speaker"
    assert "favourite" not in [factor.name for factor in ranking.factors]


class NoLanguage:
    @hookimpl
    def portal_matching_factors(self, region_code):
        language = next(factor for factor in CORE_FACTORS if factor.name == "language")
        return [replace(language, weight=0.0)]


def test_a_plugin_reweights_a_core_factor_by_declaring_its_name_again(make_app, session, world, referral):
    add_supervisor(session, world, "Swedish only")
    add_supervisor(session, world, "Arabic speaker", languages=("sv", "ar"))
    app = make_app(plugins={"no-language": NoLanguage()}, enabled={"fyrbodal": ["no-language"]})
    session.rollback()
    ranking = rank(session, app.extensions["portal.engine"], referral)
    assert "language" not in [factor.name for factor in ranking.factors]
    assert names(ranking) == ["Swedish only", "Arabic speaker"]  # equal now: the earlier registered first


def test_a_plugin_factor_scoring_outside_zero_to_one_is_named(make_app, session, world, referral):
    favourite = add_supervisor(session, world, "Favourite")
    app = make_app(plugins={"broken": FavouritePlugin(favourite.id, value=3)}, enabled={"fyrbodal": ["broken"]})
    session.rollback()
    with pytest.raises(FactorInvalid, match="'favourite' of plugin 'broken' scored 3"):
        rank(session, app.extensions["portal.engine"], referral)


@pytest.fixture
def weighted_settings(settings):
    settings["MATCHING_WEIGHTS"] = "language=0,travel=10"
    return settings


def test_configured_weights_override_the_declared_ones(weighted_settings, app, session, engine, world, referral):
    referral.region_wide = True
    session.commit()
    add_supervisor(
        session, world, "Arabic speaker nearby", town="Vänersborg", serves=("Vänersborg",), languages=("sv", "ar")
    )
    add_supervisor(session, world, "Swedish speaker here")
    ranking = rank(session, engine, referral)
    assert names(ranking) == ["Swedish speaker here", "Arabic speaker nearby"]
    weights = {factor.name: factor.weight for factor in ranking.factors}
    assert "language" not in weights and weights["travel"] == 10 and weights["needs"] == 3
