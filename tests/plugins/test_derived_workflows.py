"""Workflows, states and transitions are immutable values: a workflow derived from core's
`DEFAULT` in any of the ways the guide shows is independent of it, and deriving one
(even in a plugin that is only installed) changes nothing for the regions that follow
`DEFAULT`."""

import copy
from dataclasses import FrozenInstanceError, replace

import pytest

from portal.builtin.default_workflow import DEFAULT
from portal.domain.referrals.actions import act
from portal.domain.referrals.workflow import State, Transition, Workflow, states_with
from portal.hookspecs import hookimpl
from portal.testing import approve_plan

TRIAL = State("trial", "Trial period")


def snapshot(workflow: Workflow) -> dict:
    """Everything a referral's run reads of a workflow, through its lookups too."""
    return {
        "states": [(s.name, s.terminal, s.ended) for s in workflow.states],
        "transitions": [(t.name, t.sources, t.target, t.roles, t.guards, t.actions) for t in workflow.transitions],
        "lookups": {
            name: (workflow.state(name), [t.name for t in workflow.outgoing(name)])
            for name in [s.name for s in workflow.states] + ["trial"]
        },
        "transition_lookups": {t.name: workflow.transition(t.name) for t in workflow.transitions},
    }


def without_start(workflow: Workflow) -> tuple[Transition, ...]:
    """The transitions with `start` moved to leave `trial`: the derivation that, before
    workflows were values, made core's own referrals refuse to start from *accepted*."""
    return tuple(replace(t, sources=("trial",)) if t.name == "start" else t for t in workflow.transitions) + (
        Transition("begin_trial", ("accepted",), "trial", frozenset({"supervisor"}), "Begin the trial"),
    )


DERIVATIONS = {
    "replace the workflow": lambda: replace(
        DEFAULT, name="trial", states=states_with(DEFAULT, TRIAL, after="accepted"), transitions=without_start(DEFAULT)
    ),
    "replace only the name": lambda: replace(DEFAULT, name="renamed"),
    "replace only the transitions": lambda: replace(DEFAULT, transitions=without_start(DEFAULT)),
    "a new Workflow from DEFAULT's parts": lambda: Workflow(
        name="trial",
        version=1,
        title="Trial",
        initial=DEFAULT.initial,
        states=DEFAULT.states + (TRIAL,),
        transitions=without_start(DEFAULT),
    ),
    "lists instead of tuples": lambda: Workflow(
        name="lists",
        version=1,
        title="Lists",
        initial="draft",
        states=list(states_with(DEFAULT, TRIAL, after="accepted")),
        transitions=list(without_start(DEFAULT)),
    ),
    "derive": lambda: DEFAULT.derive(
        name="trial",
        version=1,
        state=TRIAL,
        after="accepted",
        change=lambda t: replace(t, sources=("trial",)) if t.name == "start" else t,
        added=without_start(DEFAULT)[-1:],
    ),
    "a shallow copy, then replace": lambda: replace(copy.copy(DEFAULT), transitions=without_start(DEFAULT)),
    "a deep copy, then replace": lambda: replace(copy.deepcopy(DEFAULT), transitions=without_start(DEFAULT)),
}


@pytest.mark.parametrize("how", DERIVATIONS)
def test_deriving_a_workflow_from_default_leaves_default_unchanged(how):
    before = snapshot(DEFAULT)
    derived = DERIVATIONS[how]()
    assert snapshot(DEFAULT) == before
    assert [t.name for t in DEFAULT.outgoing("accepted")] == ["start", "withdraw"]
    assert DEFAULT.transition("start").sources == ("accepted",)
    assert DEFAULT.state("trial") is None
    if derived.state("trial"):
        derived.validate()
        assert derived.transition("start").sources == ("trial",)
        assert derived.transition("start") is not DEFAULT.transition("start")


@pytest.mark.parametrize("how", DERIVATIONS)
def test_a_derived_workflow_answers_its_own_lookups(how):
    derived = DERIVATIONS[how]()
    assert [derived.state(s.name) for s in derived.states] == list(derived.states)
    assert [derived.transition(t.name) for t in derived.transitions] == list(derived.transitions)


def test_derive_leaves_out_what_change_drops_and_keeps_what_it_is_not_told():
    derived = DEFAULT.derive(version=2, change=lambda t: None if t.name == "close" else t, max_parallel_offers=2)
    assert derived.transition("close") is None
    assert [t.name for t in derived.transitions] == [t.name for t in DEFAULT.transitions if t.name != "close"]
    assert (derived.name, derived.version, derived.max_parallel_offers) == ("default", 2, 2)
    assert (derived.initial, derived.states, derived.title) == (DEFAULT.initial, DEFAULT.states, DEFAULT.title)
    assert DEFAULT.transition("close") is not None and DEFAULT.max_parallel_offers == 1


def test_states_transitions_and_workflows_cannot_be_changed():
    with pytest.raises(FrozenInstanceError):
        DEFAULT.name = "changed"
    with pytest.raises(FrozenInstanceError):
        DEFAULT.transition("start").sources = ("trial",)
    with pytest.raises(FrozenInstanceError):
        DEFAULT.state("draft").terminal = True
    with pytest.raises(TypeError):
        DEFAULT._by_name[("state", "trial")] = TRIAL
    assert isinstance(DEFAULT.states, tuple) and isinstance(DEFAULT.transitions, tuple)


def test_a_transition_given_lists_and_sets_holds_tuples_and_frozensets():
    transition = Transition("go", ["a"], "b", {"caseworker"}, "Go", guards=[len], actions=[print])
    assert transition.sources == ("a",) and transition.roles == frozenset({"caseworker"})
    assert transition.guards == (len,) and transition.actions == (print,)


class DerivedByReplace:
    """An installed plugin that derives its workflow with `replace`, enabled nowhere."""

    @staticmethod
    @hookimpl
    def portal_workflows():
        return [DERIVATIONS["replace the workflow"]()]

    @staticmethod
    @hookimpl
    def portal_region_workflow(region_code):
        return "trial"


@pytest.fixture
def app(make_app):
    return make_app(plugins={"trial": DerivedByReplace})


def test_a_region_without_the_plugin_still_starts_placements_from_accepted(session, engine, world, accepted):
    referral = accepted()
    assert referral.workflow_name == "default"
    approve_plan(session, engine, world, referral.id)
    act(session, engine, world.supervisor_user, referral.id, "start")
    session.commit()
    assert referral.state == "active"
