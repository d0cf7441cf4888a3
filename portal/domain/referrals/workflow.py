"""Workflows as declarative data: states, transitions, the roles that may fire them,
guards that may refuse, and actions that do the work.

A workflow is validated when the portal starts, so that a plugin with a broken workflow
stops start-up with a message naming it instead of stranding referrals mid-request.
Each referral records the workflow name and version it runs under; the `Registry`
keeps every version that plugins still declare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from portal.domain.referrals import fields
from portal.hookspecs import hookimpl
from portal.i18n import lazy_gettext as _

SYSTEM = "system"  # the role of transitions the portal fires itself (expiry, automatic steps)
ROLES = frozenset({"caseworker", "supervisor", "coordinator", "admin", SYSTEM})


class WorkflowInvalid(ValueError):
    """A workflow definition is wrong; the message names the workflow and the problem."""


@dataclass(frozen=True)
class State:
    """One step a referral can be in.

    :param name: the identifier stored on the referral (``"accepted"``).
    :param label: what pages call it, a lazy translated string.
    :param terminal: nothing can happen after it (core's ``closed``).
    :param ended: the case is over (completed, withdrawn …) though not yet closed.
    """

    name: str
    label: object  # a lazy translated string
    terminal: bool = False
    ended: bool = False  # the case is over (completed, withdrawn …) though not yet closed


@dataclass(frozen=True)
class Transition:
    """A named move from one of `sources` to `target`.

    `guards` are called with a `TransitionContext` and return None to allow or a
    message that says why not; `actions` do the work (create offers, placements …).
    An `automatic` transition is fired by the portal as soon as the referral enters
    one of its sources and its guards allow it. `label` names the step as a command
    (the button: "Submit"); `done` says it happened, in the past tense, as the timeline
    and the confirmation after it read ("Submitted"); without one, `Workflow.done_text`
    says the referral moved to the target state. `fields` are what the step asks for
    besides its note: `fields.ReferralField`s (a date, a choice, a short text, a number,
    yes or no; required or not) and `fields.FieldCheck`s across them. The referral
    page's step form shows them, `transitions.fire` checks the answers before any guard
    (`InvalidInput` at the field) and keeps them on the timeline entry, and guards and
    actions read them typed in `TransitionContext.answers`.
    """

    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: object
    guards: tuple[Callable, ...] = ()
    actions: tuple[Callable, ...] = ()
    automatic: bool = False
    done: object = None  # a lazy translated string in the past tense ("Submitted"), or None
    fields: tuple = ()  # `fields.ReferralField`s and `fields.FieldCheck`s the step asks for

    def __post_init__(self):
        # Lists and sets given by a plugin become tuples and frozensets: a transition is a
        # value that nobody can change after it is declared, however it was built.
        object.__setattr__(self, "fields", tuple(self.fields))
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "guards", tuple(self.guards))
        object.__setattr__(self, "actions", tuple(self.actions))


@dataclass(frozen=True)
class Workflow:
    """A named, versioned set of states and transitions: an immutable value.

    Derive a workflow of your own from core's with `derive` (``DEFAULT.derive(name="intake",
    version=1, …)``), or `dataclasses.replace`, `states_with` and ``replace(transition, …)``:
    every copy builds its own index of states and transitions, so that nothing done to a
    copy reaches `DEFAULT` or another plugin's workflow.
    """

    name: str
    version: int
    title: object
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    max_parallel_offers: int = 1
    description: object = ""
    progress_report_weeks: int = 4  # a progress report (lägesrapport) is due every so many weeks
    _by_name: Mapping = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        # Not an __init__ argument, so `dataclasses.replace` cannot hand a copy the index of
        # the original: each workflow indexes its own states and transitions, read-only.
        object.__setattr__(self, "states", tuple(self.states))
        object.__setattr__(self, "transitions", tuple(self.transitions))
        index = {("state", s.name): s for s in self.states}
        index.update({("transition", t.name): t for t in self.transitions})
        object.__setattr__(self, "_by_name", MappingProxyType(index))

    def __deepcopy__(self, memo):
        return self  # an immutable value: a copy would be equal in every way

    @property
    def key(self) -> tuple[str, int]:
        return (self.name, self.version)

    def derive(
        self,
        *,
        version: int,
        state: State | None = None,
        after: str | None = None,
        change: Callable[[Transition], Transition | None] | None = None,
        added: Iterable[Transition] = (),
        **settings,
    ) -> Workflow:
        """A workflow made from this one that says only what differs: how a regional plugin
        adds its step to core's workflow, and how a plugin writes a new version of its own
        (API 1.6.0).

        :param version: the new workflow's version (``1`` for a new name).
        :param state: a state to add, right after the state `after` (`states_with`).
        :param change: called with each of this workflow's transitions in turn; returns it
            as it is, changed (``replace(transition, sources=…)``), or None to leave it out.
        :param added: transitions of the new workflow's own, after this workflow's.
        :param settings: any other field to set (``name``, ``title``, ``description``,
            ``max_parallel_offers`` …); the rest, ``initial`` among them, stay this workflow's.
        """
        states = self.states if state is None else states_with(self, state, after)
        transitions = self.transitions if change is None else tuple(filter(None, map(change, self.transitions)))
        return replace(self, version=version, states=states, transitions=(*transitions, *added), **settings)

    def state(self, name: str) -> State | None:
        return self._by_name.get(("state", name))

    def transition(self, name: str) -> Transition | None:
        return self._by_name.get(("transition", name))

    def done_text(self, name: str):
        """What the timeline says once transition `name` has happened: its `done` text,
        else that the referral moved to its target state; None for a name not declared."""
        transition = self.transition(name)
        if transition is None:
            return None
        if transition.done is not None:
            return transition.done
        target = self.state(transition.target)
        return _("Moved to: %(state)s", state=target.label if target else transition.target)

    def outgoing(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def open_states(self) -> list[str]:
        return [s.name for s in self.states if not (s.terminal or s.ended)]

    def validate(self) -> None:
        """Raise `WorkflowInvalid` unless the workflow can carry every referral to an end."""
        problems = list(self._problems())
        if problems:
            raise WorkflowInvalid(f"workflow {self.name!r} version {self.version}: " + "; ".join(problems))

    def _problems(self) -> Iterable[str]:
        state_names = [s.name for s in self.states]
        transition_names = [t.name for t in self.transitions]
        for kind, names in (("state", state_names), ("transition", transition_names)):
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                yield f"duplicate {kind} names {duplicates}"
        known = set(state_names)
        if self.initial not in known:
            yield f"initial state {self.initial!r} is not a declared state"
        for t in self.transitions:
            for name in (*t.sources, t.target):
                if name not in known:
                    yield f"transition {t.name!r} names unknown state {name!r}"
            if not t.roles:
                yield f"transition {t.name!r} names no role that may fire it"
            for role in sorted(t.roles - ROLES):
                yield f"transition {t.name!r} names unknown role {role!r}"
            if t.automatic and SYSTEM not in t.roles:
                yield f"automatic transition {t.name!r} must allow the role {SYSTEM!r}"
            yield from _field_problems(t)
        terminals = {s.name for s in self.states if s.terminal}
        if not terminals:
            yield "no terminal state"
        for t in self.transitions:
            for source in t.sources:
                if source in terminals:
                    yield f"transition {t.name!r} leaves terminal state {source!r}"
        if self.initial in known:
            unreachable = known - _closure({self.initial}, lambda s: {t.target for t in self.outgoing(s)})
            if unreachable:
                yield f"states {sorted(unreachable)} cannot be reached from {self.initial!r}"
        incoming = lambda s: {src for t in self.transitions if t.target == s for src in t.sources}  # noqa: E731
        stranded = known - _closure(terminals, incoming)
        if stranded:
            yield f"states {sorted(stranded)} cannot reach a terminal state"
        if self.max_parallel_offers < 1:
            yield "max_parallel_offers must be at least 1"


STEP_FORM_NAMES = frozenset({"note", "start_date", "end_date", "outcome", "reason", "confirm", "csrf_token"})
OFFER_STEPS = frozenset({"offer", "accept", "decline", "decline_one", "expire", "expire_one"})


def _field_problems(transition: Transition) -> Iterable[str]:
    """What is wrong with the fields a step asks for: each as `portal_referral_fields`
    checks a plugin's, plus names the step forms use already, and required fields on a
    step nobody fills in (an automatic step, an offer's answer)."""
    if not transition.fields:
        return
    for problem in fields.problems(transition.fields):
        yield f"transition {transition.name!r}: {problem}"
    asked = [item for item in transition.fields if isinstance(item, fields.ReferralField)]
    for item in asked:
        if item.name in STEP_FORM_NAMES:
            yield f"transition {transition.name!r}: field name {item.name!r} is taken by the step form"
    if transition.automatic or transition.name in OFFER_STEPS:
        yield f"transition {transition.name!r} cannot ask for fields: nobody fills in a form for it"


def states_with(base: Workflow, new: State, after: str) -> tuple[State, ...]:
    """`base`'s states with `new` right after the state `after` (the order pages list
    states in): how a regional workflow adds a step to core's."""
    at = [state.name for state in base.states].index(after) + 1
    return base.states[:at] + (new,) + base.states[at:]


def region_hooks(workflow: Workflow, *earlier: Workflow) -> tuple[Callable, Callable]:
    """A regional plugin's `portal_workflows` (`earlier` versions, then `workflow`) and
    `portal_region_workflow` (`workflow`'s name), the two hooks every regional workflow
    plugin answers alike: ``portal_workflows, portal_region_workflow = region_hooks(MINE)``
    at the module's top level, where pluggy finds them by name (API 1.5.0)."""

    @hookimpl
    def portal_workflows():
        return [*earlier, workflow]

    @hookimpl
    def portal_region_workflow(region_code):
        return workflow.name

    return portal_workflows, portal_region_workflow


def _closure(start: set[str], step: Callable[[str], set[str]]) -> set[str]:
    seen, frontier = set(start), list(start)
    while frontier:
        for following in step(frontier.pop()) - seen:
            seen.add(following)
            frontier.append(following)
    return seen


class Registry:
    """Every declared workflow version, looked up by name and version."""

    def __init__(self, workflows: Iterable[Workflow]):
        self._workflows: dict[tuple[str, int], Workflow] = {}
        for workflow in workflows:
            workflow.validate()
            if workflow.key in self._workflows:
                raise WorkflowInvalid(f"workflow {workflow.name!r} version {workflow.version} is declared twice")
            self._workflows[workflow.key] = workflow
        self._labels: dict[str, object] = {}  # state name -> label, the first declaring workflow's
        for workflow in sorted(self._workflows.values(), key=lambda w: (w.name != "default", w.key)):
            for state in workflow.states:
                self._labels.setdefault(state.name, state.label)

    def get(self, name: str, version: int) -> Workflow | None:
        return self._workflows.get((name, version))

    def latest(self, name: str) -> Workflow | None:
        versions = [w for (n, _), w in self._workflows.items() if n == name]
        return max(versions, key=lambda w: w.version) if versions else None

    def __iter__(self):
        return iter(sorted(self._workflows.values(), key=lambda w: w.key))

    def state_names(self) -> list[str]:
        """Every state name any workflow declares, in workflow order, the default's first:
        how lists that mix workflows order their states."""
        return list(self._labels)

    def state_label(self, name: str):
        """The label of a state name, as the first workflow declaring it words it (found once,
        when the registry is made: lists show one per row)."""
        return self._labels.get(name, name)
