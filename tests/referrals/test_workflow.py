"""Workflow definitions are validated at start-up with messages that name the workflow."""

from dataclasses import replace

import pytest

from portal.builtin.default_workflow import DEFAULT
from portal.domain.referrals.workflow import Registry, State, Transition, Workflow, WorkflowInvalid

ANY = frozenset({"caseworker"})


def workflow(states, transitions, initial="a", name="test"):
    return Workflow(
        name=name,
        version=1,
        title=name,
        initial=initial,
        states=tuple(State(*s) if isinstance(s, tuple) else State(s, s) for s in states),
        transitions=tuple(transitions),
    )


def test_the_default_workflow_is_valid():
    DEFAULT.validate()
    assert DEFAULT.state("closed").terminal


def test_a_valid_small_workflow_passes():
    workflow([("a", "a"), ("z", "z", True)], [Transition("go", ("a",), "z", ANY, "go")]).validate()


@pytest.mark.parametrize(
    "states, transitions, problem",
    [
        ([("a", "a"), ("b", "b")], [Transition("go", ("a",), "b", ANY, "go")], "no terminal state"),
        (
            [("a", "a"), ("b", "b"), ("z", "z", True)],
            [Transition("go", ("a",), "z", ANY, "go")],
            "states ['b'] cannot be reached from 'a'",
        ),
        ([("a", "a"), ("z", "z", True)], [Transition("go", ("a",), "y", ANY, "go")], "unknown state 'y'"),
        (
            [("a", "a"), ("z", "z", True)],
            [Transition("go", ("a",), "z", frozenset({"wizard"}), "go")],
            "unknown role 'wizard'",
        ),
        ([("a", "a"), ("z", "z", True)], [Transition("go", ("a",), "z", frozenset(), "go")], "names no role"),
        (
            [("a", "a"), ("b", "b"), ("z", "z", True)],
            [
                Transition("go", ("a",), "z", ANY, "go"),
                Transition("loop", ("a",), "b", ANY, "loop"),
                Transition("back", ("b",), "a", ANY, "back"),
                Transition("again", ("z",), "a", ANY, "again"),
            ],
            "leaves terminal state 'z'",
        ),
        (
            [("a", "a"), ("b", "b"), ("z", "z", True)],
            [Transition("go", ("a",), "z", ANY, "go"), Transition("trap", ("a",), "b", ANY, "trap")],
            "states ['b'] cannot reach a terminal state",
        ),
        (
            [("a", "a"), ("z", "z", True)],
            [Transition("go", ("a",), "z", ANY, "go", automatic=True)],
            "must allow the role 'system'",
        ),
        (
            [("a", "a"), ("z", "z", True)],
            [Transition("go", ("a",), "z", ANY, "go"), Transition("go", ("a",), "z", ANY, "go")],
            "duplicate transition",
        ),
    ],
)
def test_invalid_workflows_are_refused_with_a_message_naming_them(states, transitions, problem):
    with pytest.raises(WorkflowInvalid) as error:
        workflow(states, transitions, name="broken").validate()
    assert "workflow 'broken' version 1" in str(error.value)
    assert problem in str(error.value)


def test_registry_refuses_the_same_version_twice_and_finds_the_latest():
    first = workflow([("a", "a"), ("z", "z", True)], [Transition("go", ("a",), "z", ANY, "go")])
    with pytest.raises(WorkflowInvalid, match="declared twice"):
        Registry([first, first])
    second = replace(first, version=2)
    registry = Registry([first, second])
    assert registry.latest("test").version == 2
    assert registry.get("test", 1) is first


def test_the_app_builds_its_registry_from_the_builtin_plugin(app, session):
    engine = app.extensions["portal.engine"]
    assert engine.registry.get("default", 1) is DEFAULT
    # asked as a region asks it: installed plugins (the bundled regional ones) are not enabled
    assert engine.region_hook(session, "fyrbodal").portal_region_workflow(region_code="fyrbodal") == "default"
