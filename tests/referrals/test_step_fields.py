"""Fields a workflow step asks for (`Transition.fields`, plugin API 1.4): declared as
referral fields are, checked before the step's guards with the one check of structured
fields, kept on the timeline entry and shown there; bad input is refused at the field
and writes nothing (issue 14, point 8)."""

from dataclasses import replace
from datetime import date

import pytest
from flows import submitted
from sample_plugins import Review, with_review
from sqlalchemy import func, select

from portal.domain.errors import InvalidInput
from portal.domain.referrals import actions as referrals
from portal.domain.referrals import steps
from portal.domain.referrals.fields import FieldCheck, ReferralField
from portal.domain.referrals.transitions import Refused
from portal.domain.referrals.workflow import Transition, WorkflowInvalid
from portal.hookspecs import hookimpl
from portal.models import Referral
from portal.models import Transition as TimelineEntry
from portal.testing import sign_in

PRIORITIES = (("high", "High"), ("normal", "Normal"))


def hours_for_high_priority(answers):
    if answers["priority"] == "high" and answers["hours"] is None:
        return {"hours": "How many hours a week, when it is urgent?"}
    return {}


@steps.input_required("reviewed_on")
def not_before_submission(ctx):
    if ctx.answers["reviewed_on"] < ctx.referral.submitted_at.date():
        return "The review cannot be before the referral was submitted."
    return None


APPROVE_FIELDS = (
    ReferralField("reviewed_on", "Date of the review", kind="date", required=True),
    ReferralField("priority", "Priority", kind="choice", choices=PRIORITIES),
    ReferralField("hours", "Hours a week", kind="number"),
    FieldCheck(hours_for_high_priority),
)


def reviewed_workflow():
    base = with_review()
    return replace(
        base,
        transitions=tuple(
            replace(t, fields=APPROVE_FIELDS, guards=(not_before_submission,)) if t.name == "approve" else t
            for t in base.transitions
        ),
    )


class ReviewWithFields(Review):
    """`Review` whose approval asks for `APPROVE_FIELDS`; it hears the answers."""

    heard: list = []

    @staticmethod
    @hookimpl
    def portal_workflows():
        return [reviewed_workflow()]

    @staticmethod
    @hookimpl
    def portal_transition_done(transition, answers):
        ReviewWithFields.heard.append((transition.name, answers))


@pytest.fixture
def app(make_app):
    ReviewWithFields.heard.clear()
    return make_app(plugins={"review": ReviewWithFields}, enabled={"fyrbodal": ["review"]})


@pytest.fixture
def in_review(session, engine, vault, world):
    referral = submitted(session, engine, vault, world)
    assert referral.state == "review"
    return referral


def entries(session, referral_id):
    return session.scalar(
        select(func.count()).select_from(TimelineEntry).where(TimelineEntry.referral_id == referral_id)
    )


def test_the_answers_are_checked_typed_for_guards_and_reactions_and_kept_on_the_timeline(
    session, engine, world, in_review
):
    referrals.act(
        session,
        engine,
        world.coordinator,
        in_review.id,
        "approve",
        answers={"reviewed_on": "2099-01-02", "priority": "normal", "hours": ""},
    )
    session.commit()
    entry = in_review.transitions[-1]
    assert (in_review.state, entry.name) == ("matching", "approve")
    assert entry.answers == {"reviewed_on": "2099-01-02", "priority": "normal"}
    assert ("approve", {"reviewed_on": date(2099, 1, 2), "priority": "normal", "hours": None}) in ReviewWithFields.heard


def test_bad_answers_are_refused_at_their_fields_before_any_guard_and_nothing_is_written(
    session, engine, world, in_review
):
    before = entries(session, in_review.id)
    with pytest.raises(InvalidInput) as refusal:
        referrals.act(
            session, engine, world.coordinator, in_review.id, "approve", answers={"priority": "soon", "hours": "2,5"}
        )
    assert set(refusal.value.errors) == {"reviewed_on", "priority", "hours"}
    session.rollback()
    with pytest.raises(InvalidInput) as refusal:
        referrals.act(
            session,
            engine,
            world.coordinator,
            in_review.id,
            "approve",
            answers={"reviewed_on": "2099-01-02", "priority": "high"},
        )
    assert list(refusal.value.errors) == ["hours"]  # the step's FieldCheck, at the field it names
    session.rollback()
    with pytest.raises(Refused) as refusal:
        referrals.act(
            session, engine, world.coordinator, in_review.id, "approve", answers={"reviewed_on": "2001-01-01"}
        )
    assert refusal.value.field == "reviewed_on"  # a guard reading the typed answer, at its field
    session.rollback()
    assert session.get(Referral, in_review.id).state == "review" and entries(session, in_review.id) == before
    assert [name for name, _answers in ReviewWithFields.heard] == ["submit", "start_review"]


def test_the_step_form_asks_for_the_fields_and_keeps_the_input_when_refused(client, session, world, in_review):
    sign_in(client, world.coordinator.email)
    page = client.get(f"/referrals/{in_review.id}").get_data(as_text=True)
    form = page[page.index('id="approve-title"') :]
    assert form.index('id="approve-reviewed_on"') < form.index('id="approve-note"')  # before the note
    assert 'name="reviewed_on" required type="date"' in form and 'id="approve-priority"' in form
    refused = client.post(
        f"/referrals/{in_review.id}/act/approve", data={"priority": "high", "note": "Brådskande", "hours": ""}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="approve-reviewed_on-error"' in page and "Besvara frågan." in page
    assert '<option selected value="high">' in page and "Brådskande" in page
    session.rollback()
    assert session.get(Referral, in_review.id).state == "review"


def test_the_timeline_shows_the_answers_with_their_labels(client, session, world, in_review):
    sign_in(client, world.coordinator.email)
    answers = {"reviewed_on": "2099-01-02", "priority": "high", "hours": "12"}
    assert client.post(f"/referrals/{in_review.id}/act/approve", data=answers).status_code == 303
    page = client.get(f"/referrals/{in_review.id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline-heading"') :]
    assert "<dt>Date of the review</dt><dd>2 jan. 2099</dd>" in timeline
    assert "<dt>Priority</dt><dd>High</dd>" in timeline and "<dt>Hours a week</dt><dd>12</dd>" in timeline


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ((ReferralField("when", "When", kind="time"),), "field 'when' has unknown kind 'time'"),
        ((ReferralField("note", "A second note"),), "field name 'note' is taken by the step form"),
        ((ReferralField("kind", "Kind", kind="choice"),), "choice field 'kind' has no choices"),
        ((ReferralField("day", "Day"), ReferralField("day", "Day")), "field 'day' is declared twice"),
    ],
)
def test_a_workflow_whose_step_asks_for_a_bad_field_stops_start_up(fields, problem):
    base = with_review()
    broken = replace(
        base, transitions=tuple(replace(t, fields=fields) if t.name == "approve" else t for t in base.transitions)
    )
    with pytest.raises(WorkflowInvalid, match=f"transition 'approve': {problem}"):
        broken.validate()


@pytest.mark.parametrize("name", ["start_review", "accept"])
def test_steps_nobody_fills_in_a_form_for_cannot_ask_for_fields(name):
    base = with_review()
    day = ReferralField("day", "Day", kind="date")
    broken = replace(
        base, transitions=tuple(replace(t, fields=(day,)) if t.name == name else t for t in base.transitions)
    )
    with pytest.raises(WorkflowInvalid, match=f"transition '{name}' cannot ask for fields"):
        broken.validate()


def test_fields_given_as_a_list_become_a_tuple():
    step = Transition("x", ("a",), "b", frozenset({"caseworker"}), "X", fields=[ReferralField("day", "Day")])
    assert isinstance(step.fields, tuple)


def test_one_check_for_every_structured_field_core_forms_use_it_too():
    """`fields.value`: what meetings (kind, day) and plans (hours) check their input with."""
    from portal.domain.follow_up.meetings import DAY, KIND
    from portal.domain.follow_up.plans import HOURS
    from portal.domain.referrals import fields

    assert fields.value(DAY, "2026-12-03") == date(2026, 12, 3)
    assert fields.value(KIND, "three_party") == "three_party" and fields.value(HOURS, 20) == 20
    with pytest.raises(ValueError, match="Choose one of the options."):
        fields.value(KIND, "party")
    with pytest.raises(ValueError, match="Say which kind."):
        fields.value(KIND, "", message="Say which kind.")
