"""Extra referral fields from plugins: asked where the plugin is enabled, validated,
stored per plugin, shown on the referral and exported."""

from datetime import date

import pytest
from flows import register
from sample_plugins import Questions
from sqlalchemy import select

from portal.domain.errors import InvalidInput
from portal.domain.referrals import fields as referral_fields
from portal.domain.referrals.fields import DeclaredField, ReferralField, clean, problems
from portal.models import ReferralFieldValue
from portal.testing import sign_in

ANSWERS = {
    "goal": "Arbetsträning",
    "hours_per_week": "20",
    "questions.interpreter": "yes",
    "questions.meeting_place": "cooperative",
    "questions.months_without_work": "18",
    "questions.available_from": "2027-01-11",
    "questions.contact": "  Arbetsförmedlingen Vänersborg ",
}


@pytest.fixture
def app(make_app):
    return make_app(plugins={"questions": Questions}, enabled={"fyrbodal": ["questions"]}, DEFAULT_LOCALE="en")


@pytest.fixture
def participant(session, vault, world):
    person = register(session, vault, world)  # lives in Trollhättan, Fyrbodal
    session.commit()
    return person


def stored(session):
    session.rollback()
    return {(row.plugin, row.name): row.value for row in session.scalars(select(ReferralFieldValue))}


def test_the_form_asks_the_questions_of_the_plugins_enabled_for_the_participants_region(
    client, session, vault, world, participant
):
    sign_in(client, world.caseworker.email)
    form = client.get(f"/participants/{participant.id}/referrals/new").get_data(as_text=True)
    for name in ("interpreter", "meeting_place", "months_without_work", "available_from", "contact"):
        assert f'name="questions.{name}"' in form
    assert "A name or a unit" in form  # the help text
    session.rollback()  # a fresh transaction, as another user's request would have
    elsewhere = register(session, vault, world, number="200001011493", caseworker=world.other_caseworker)
    elsewhere.municipality = world.municipality["Skövde"]  # Skaraborg, where the plugin is off
    session.commit()
    other = client.application.test_client()
    sign_in(other, world.other_caseworker.email)
    assert "questions." not in other.get(f"/participants/{elsewhere.id}/referrals/new").get_data(as_text=True)


def test_answers_are_stored_per_plugin_and_shown_on_the_referral(client, session, world, participant):
    sign_in(client, world.caseworker.email)
    response = client.post(f"/participants/{participant.id}/referrals/new", data=ANSWERS)
    assert response.status_code == 302
    assert stored(session) == {
        ("questions", "interpreter"): "yes",
        ("questions", "meeting_place"): "cooperative",
        ("questions", "months_without_work"): "18",
        ("questions", "available_from"): "2027-01-11",
        ("questions", "contact"): "Arbetsförmedlingen Vänersborg",
    }
    page = client.get(response.location).get_data(as_text=True)
    for shown in (
        "<dt>Interpreter needed?</dt><dd>Yes</dd>",
        "<dt>Meeting place</dt><dd>The cooperative</dd>",
        "<dt>Months without work</dt><dd>18</dd>",
        "<dt>Available from</dt><dd>11 Jan 2027</dd>",  # British conventions in English
    ):
        assert shown in page


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("questions.interpreter", "", "Answer this question."),
        ("questions.interpreter", "maybe", "Not a valid choice."),
        ("questions.meeting_place", "moon", "Not a valid choice."),
        ("questions.months_without_work", "many", "Not a valid integer value."),
        ("questions.available_from", "soon", "Not a valid date value."),
    ],
)
def test_invalid_answers_are_refused_beside_their_field_and_nothing_is_stored(
    client, session, world, participant, name, value, message
):
    sign_in(client, world.caseworker.email)
    response = client.post(f"/participants/{participant.id}/referrals/new", data={**ANSWERS, name: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(session) == {}


def test_editing_the_draft_shows_the_answers_and_an_emptied_one_is_removed(client, session, world, participant):
    sign_in(client, world.caseworker.email)
    location = client.post(f"/participants/{participant.id}/referrals/new", data=ANSWERS).location
    form = client.get(f"{location}/edit").get_data(as_text=True)
    assert 'value="2027-01-11"' in form and 'value="18"' in form
    assert client.post(f"{location}/edit", data={**ANSWERS, "questions.contact": ""}).status_code == 302
    assert ("questions", "contact") not in stored(session)


def test_answers_stay_with_the_referral_when_the_plugin_is_switched_off(client, session, world, participant, app):
    from portal.domain.plugins import enabling as plugin_admin

    sign_in(client, world.caseworker.email)
    location = client.post(f"/participants/{participant.id}/referrals/new", data=ANSWERS).location
    plugin_admin.disable(session, app.extensions["portal.plugins"], world.admin, "questions", "fyrbodal")
    session.commit()
    assert "<dt>Interpreter needed?</dt><dd>Yes</dd>" in client.get(location).get_data(as_text=True)
    assert client.post(f"{location}/edit", data={"goal": "Ny", "hours_per_week": "10"}).status_code == 302
    assert stored(session)[("questions", "interpreter")] == "yes"


def test_exports_get_every_answer_by_plugin_and_field(client, session, engine, world, participant, app):
    sign_in(client, world.caseworker.email)
    referral_id = int(
        client.post(f"/participants/{participant.id}/referrals/new", data=ANSWERS).location.rsplit("/", 1)[1]
    )
    session.rollback()  # see what the request committed
    with app.test_request_context():
        values = referral_fields.export_values(session, engine, [referral_id])
        labels = referral_fields.labels(engine)
    assert values[referral_id]["questions.available_from"] == date(2027, 1, 11)
    assert str(values[referral_id]["questions.meeting_place"]) == "The cooperative"
    assert labels["questions.interpreter"] == "Interpreter needed?"


FIELDS = [DeclaredField("p", field) for field in Questions.portal_referral_fields("fyrbodal")]


@pytest.mark.parametrize(
    "key, raw, text",
    [
        ("p.interpreter", True, "yes"),
        ("p.interpreter", "no", "no"),
        ("p.months_without_work", 7, "7"),
        ("p.months_without_work", "007", "7"),
        ("p.available_from", date(2027, 2, 1), "2027-02-01"),
        ("p.available_from", "2027-02-01", "2027-02-01"),
        ("p.meeting_place", "office", "office"),
        ("p.contact", "", None),
    ],
)
def test_answers_are_cleaned_to_the_text_stored(key, raw, text):
    assert clean(FIELDS, {"p.interpreter": "yes", key: raw})[key] == text


@pytest.mark.parametrize(
    "key, raw",
    [
        ("p.interpreter", None),
        ("p.interpreter", "ja"),
        ("p.meeting_place", "moon"),
        ("p.months_without_work", "1.5"),
        ("p.months_without_work", True),
        ("p.available_from", "2027-02-30"),
        ("p.contact", "x" * 2001),
    ],
)
def test_wrong_answers_are_refused_by_field(key, raw):
    with pytest.raises(InvalidInput) as error:
        clean(FIELDS, {"p.interpreter": "no", key: raw})
    assert list(error.value.errors) == [key]


def test_declarations_are_checked():
    assert problems(Questions.portal_referral_fields("fyrbodal")) == []
    found = problems(
        [
            ReferralField("Bad name", "x"),
            ReferralField("a", "x", kind="colour"),
            ReferralField("b", "x", choices=(("1", "one"),)),
            ReferralField("b", "x"),
            ReferralField("c", "x", kind="choice", choices=(("1", "one"), ("1", "uno"))),
            "not a field",
        ]
    )
    assert found == [
        "field name 'Bad name' must be lower-case letters, digits and _ (at most 40)",
        "field 'a' has unknown kind 'colour'",
        "field 'b' of kind 'text' cannot have choices",
        "field 'b' is declared twice",
        "field 'c' repeats a choice",
        "'not a field' is not a ReferralField or a FieldCheck",
    ]
