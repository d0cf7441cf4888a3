"""A guard that reads what the user enters with a step (the note, a step field's answer)
must say so with `steps.input_required`: the referral page asks such a guard only after
something was entered. Unmarked, the page asks it with nothing entered and shows the step
refused, with no field to enter it in — a dead end (Skaraborg's workflow version 1 had one).
Walks every workflow version that core and the installed plugins declare."""

from importlib.metadata import entry_points

import pytest

from portal import hookspecs
from portal.builtin import default_workflow


def declared_workflows():
    sources = [default_workflow, *(entry_point.load() for entry_point in entry_points(group=hookspecs.PROJECT))]
    for source in sources:
        declare = getattr(source, "portal_workflows", None)
        yield from declare() if declare else ()


GUARDS = sorted(
    {
        (f"{workflow.name} v{workflow.version}: {transition.name}", guard)
        for workflow in declared_workflows()
        for transition in workflow.transitions
        for guard in transition.guards
    },
    key=lambda pair: pair[0],
)


def test_the_walk_sees_the_bundled_plugins_workflows():
    names = {name.split(" ")[0] for name, _ in GUARDS}
    assert {"default", "skaraborg", "fyrbodal", "sjuharad", "goteborg"} <= names


@pytest.mark.parametrize(("where", "guard"), GUARDS, ids=[f"{name}-{guard.__name__}" for name, guard in GUARDS])
def test_a_guard_that_reads_the_input_is_marked(where, guard):
    reads = set(getattr(getattr(guard, "__code__", None), "co_names", ())) & {"note", "answers"}
    if "note" in reads:
        assert getattr(guard, "field", None) == "note", f"{where}: mark {guard.__name__} @steps.input_required('note')"
    if "answers" in reads:
        assert getattr(guard, "field", None), f"{where}: mark {guard.__name__} with the field it reads"
