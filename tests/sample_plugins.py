"""Small plugins the plugin tests register: each is a class whose functions are hooks."""

from __future__ import annotations

from dataclasses import replace

from portal.builtin.default_workflow import DEFAULT, OPEN_STATES
from portal.domain.referrals.fields import ReferralField
from portal.domain.referrals.workflow import State, Transition, Workflow
from portal.hookspecs import hookimpl

COORDINATOR = frozenset({"coordinator"})


def with_review(version: int = 1) -> Workflow:
    """The default workflow with a coordinator's review between submission and matching."""
    transitions = tuple(
        replace(t, sources=OPEN_STATES + ("review",)) if t.name == "withdraw" else t
        for t in DEFAULT.transitions
        if t.name != "start_matching"
    ) + (
        Transition("start_review", ("submitted",), "review", frozenset({"system"}), "Start the review", automatic=True),
        Transition("approve", ("review",), "matching", COORDINATOR, "Approve for matching"),
    )
    return Workflow(
        name="review",
        version=version,
        title="With a review",
        initial="draft",
        states=DEFAULT.states + (State("review", "Review"),),
        transitions=transitions,
    )


class Review:
    """A regional plugin: a review step before matching, and a record of its reactions."""

    heard: list = []

    @staticmethod
    @hookimpl
    def portal_workflows():
        return [with_review()]

    @staticmethod
    @hookimpl
    def portal_region_workflow(region_code):
        return "review"

    @staticmethod
    @hookimpl
    def portal_transition_done(referral, transition):
        Review.heard.append((referral.region.code, transition.name))


class Questions:
    """A plugin that asks one question of every kind on the referral form."""

    @staticmethod
    @hookimpl
    def portal_referral_fields(region_code):
        return [
            ReferralField("interpreter", "Interpreter needed?", kind="yes-no", required=True),
            ReferralField(
                "meeting_place",
                "Meeting place",
                kind="choice",
                choices=(("office", "The office"), ("cooperative", "The cooperative")),
            ),
            ReferralField("months_without_work", "Months without work", kind="number"),
            ReferralField("available_from", "Available from", kind="date"),
            ReferralField("contact", "Contact at the job centre", kind="text", help="A name or a unit"),
        ]
