"""A plugin reads its own referral-field answers back as typed values, and checks its
fields against each other, with each message shown at the field it concerns."""

from datetime import date

import pytest
from flows import register

from portal.domain.errors import InvalidInput
from portal.domain.referrals.fields import FieldCheck, ReferralField, answers_of, clean, for_region
from portal.hookspecs import hookimpl
from portal.testing import sign_in

FORM = {"goal": "Arbetsträning", "hours_per_week": "20"}


def language_when_interpreter(answers):
    if answers["interpreter"] and not answers["language"]:
        return {"language": "Say which language the interpreter should speak."}
    if answers["available_from"] and answers["weeks"] and answers["weeks"] > 52:
        return {"weeks": "At most a year from the start."}
    return {}


class Interpreter:
    @staticmethod
    @hookimpl
    def portal_referral_fields(region_code):
        return [
            ReferralField("interpreter", "Interpreter needed?", kind="yes-no", required=True),
            ReferralField("language", "Language"),
            ReferralField("place", "Place", kind="choice", choices=(("office", "Office"), ("home", "Home"))),
            ReferralField("available_from", "Available from", kind="date"),
            ReferralField("weeks", "Weeks", kind="number"),
            FieldCheck(language_when_interpreter),
        ]


@pytest.fixture
def app(make_app):
    return make_app(plugins={"interpreter": Interpreter}, enabled={"fyrbodal": ["interpreter"]}, DEFAULT_LOCALE="en")


@pytest.fixture
def referral_answers():
    return {
        "interpreter.interpreter": "yes",
        "interpreter.language": "arabiska",
        "interpreter.place": "home",
        "interpreter.available_from": "2027-01-11",
        "interpreter.weeks": "12",
    }


def test_a_plugin_reads_its_answers_as_typed_values(session, engine, draft):
    referral = draft()
    assert answers_of(session, engine, referral.id, "interpreter") == {
        "interpreter": True,
        "language": "arabiska",
        "place": "home",
        "available_from": date(2027, 1, 11),
        "weeks": 12,
    }
    assert answers_of(session, engine, referral.id, "another") == {}


def test_no_is_false_and_unanswered_fields_are_left_out(session, engine, draft):
    referral = draft(answers={"interpreter.interpreter": "no"})
    assert answers_of(session, engine, referral.id, "interpreter") == {"interpreter": False}


def test_the_check_across_fields_refuses_beside_the_field_it_names(session, engine, world):
    fields = for_region(session, engine, "fyrbodal")
    with pytest.raises(InvalidInput) as refused:
        clean(fields, {"interpreter.interpreter": "yes"})
    assert refused.value.errors == {"interpreter.language": "Say which language the interpreter should speak."}
    with pytest.raises(InvalidInput) as refused:
        clean(
            fields,
            {"interpreter.interpreter": "no", "interpreter.available_from": "2027-01-11", "interpreter.weeks": "60"},
        )
    assert refused.value.errors == {"interpreter.weeks": "At most a year from the start."}
    assert clean(fields, {"interpreter.interpreter": "no"})["interpreter.interpreter"] == "no"


def test_the_check_waits_until_each_field_is_valid_on_its_own(session, engine, world):
    with pytest.raises(InvalidInput) as refused:
        clean(for_region(session, engine, "fyrbodal"), {"interpreter.interpreter": "maybe"})
    assert set(refused.value.errors) == {"interpreter.interpreter"}


def test_the_form_shows_the_check_s_message_at_the_field(client, session, vault, world):
    person = register(session, vault, world)
    session.commit()
    sign_in(client, world.caseworker.email)
    response = client.post(f"/participants/{person.id}/referrals/new", data={**FORM, "interpreter.interpreter": "yes"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        '<p class="error" id="interpreter.language-error">Say which language the interpreter should speak.</p>' in page
    )


def test_the_check_does_not_run_where_the_plugin_is_off(session, engine, world):
    assert clean(for_region(session, engine, "skaraborg"), {}) == {}
