"""A picture of a workflow, laid out from its data: states as boxes, transitions as arrows.

No layout library and no JavaScript: states are placed in rows by how many steps they
are from the initial state (ended states, then terminal ones, at the bottom); an arrow
to the next row is a curve, any other arrow runs in a lane beside the boxes (right for
forward jumps, left for steps back). Arrows carry the numbers of the steps table that
the page shows beside the picture (and that is the accessible text alternative); each
box lists who can move a referral on from that state.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from portal.domain.referrals.workflow import SYSTEM, Transition, Workflow

BOX_HEIGHT = 56
ROW_GAP = 64
COLUMN_GAP = 32
MARGIN = 16
LANE = 20
NAME_CHARACTER, ROLE_CHARACTER = 9.0, 7.6  # average character widths of the two lines of a box, in pixels
MAX_WIDTH = 420
LOOP = 24  # room a step from a state to itself takes beside its box
ROLE_ORDER = ("caseworker", "supervisor", "coordinator", "admin", SYSTEM)


@dataclass(frozen=True)
class Box:
    state: object  # `workflow.State`
    x: float
    y: float
    width: float
    actors: tuple[str, ...]  # roles that can move a referral on from here, SYSTEM for the portal
    initial: bool

    height = BOX_HEIGHT

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Arrow:
    path: str  # SVG path data; the arrowhead is at its last point
    label: str  # the step numbers it stands for
    label_x: float
    label_y: float
    automatic: bool  # only the portal fires it (drawn dashed)


@dataclass(frozen=True)
class Step:
    number: int
    transition: Transition


@dataclass(frozen=True)
class Diagram:
    workflow: Workflow
    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    steps: tuple[Step, ...]


def actors(workflow: Workflow, state: str) -> tuple[str, ...]:
    roles = {role for t in workflow.outgoing(state) for role in (t.roles if not t.automatic else {SYSTEM})}
    return tuple(sorted(roles, key=lambda role: (ROLE_ORDER + (role,)).index(role)))


def layout(workflow: Workflow, role_label) -> Diagram:
    """Place `workflow`; `role_label(role)` gives the text a box shows for a role (its
    length sizes the boxes)."""
    rows = _rows(workflow)
    names = max(len(str(s.label)) for s in workflow.states) * NAME_CHARACTER
    roles = max(len(", ".join(role_label(r) for r in actors(workflow, s.name))) for s in workflow.states)
    width = min(MAX_WIDTH, max(150.0, names, roles * ROLE_CHARACTER) + 24)
    steps = tuple(Step(number, t) for number, t in enumerate(workflow.transitions, start=1))
    groups = _groups(steps)
    row_of = {name: index for index, row in enumerate(rows) for name in row}
    left = sum(1 for sources, target, _ in groups if _lane_side(sources, target, row_of) == "left")
    right = sum(1 for sources, target, _ in groups if _lane_side(sources, target, row_of) == "right")
    widest = max(len(row) for row in rows)
    inner = widest * width + (widest - 1) * COLUMN_GAP
    origin = MARGIN + left * LANE + (LANE if left else 0)
    boxes: dict[str, Box] = {}
    for index, row in enumerate(rows):
        start = origin + (inner - (len(row) * width + (len(row) - 1) * COLUMN_GAP)) / 2
        for position, name in enumerate(row):
            boxes[name] = Box(
                workflow.state(name),
                start + position * (width + COLUMN_GAP),
                MARGIN + index * (BOX_HEIGHT + ROW_GAP),
                width,
                actors(workflow, name),
                name == workflow.initial,
            )
    loops = LOOP if any(t.target in t.sources for t in workflow.transitions) else 0
    lanes = {"left": origin - LANE, "right": origin + inner + loops + LANE}
    arrows = [
        _arrow(sources, target, numbers, boxes, rows, row_of, lanes, steps) for sources, target, numbers in groups
    ]
    height = MARGIN * 2 + len(rows) * BOX_HEIGHT + (len(rows) - 1) * ROW_GAP
    return Diagram(
        workflow,
        origin + inner + loops + (right + 1) * LANE + MARGIN,
        height,
        tuple(boxes.values()),
        tuple(a for group in arrows for a in group),
        steps,
    )


def _rows(workflow: Workflow) -> list[list[str]]:
    """States by distance from the initial state; ended ones, then terminal ones, last."""
    depth = {workflow.initial: 0}
    queue = deque([workflow.initial])
    while queue:
        name = queue.popleft()
        for transition in workflow.outgoing(name):
            if transition.target not in depth:
                depth[transition.target] = depth[name] + 1
                queue.append(transition.target)
    running = [s for s in workflow.states if not (s.ended or s.terminal)]
    rows: list[list[str]] = [[] for _ in range(max((depth.get(s.name, 0) for s in running), default=0) + 1)]
    for state in running:
        rows[depth.get(state.name, 0)].append(state.name)
    for kind in ("ended", "terminal"):
        last = [s.name for s in workflow.states if (s.ended and not s.terminal if kind == "ended" else s.terminal)]
        if last:
            rows.append(last)
    return [row for row in rows if row]


def _groups(steps) -> list[tuple[tuple[str, ...], str, list[int]]]:
    """Transitions with the same sources and target share one arrow."""
    groups: dict[tuple[tuple[str, ...], str], list[int]] = {}
    for step in steps:
        groups.setdefault((step.transition.sources, step.transition.target), []).append(step.number)
    return [(sources, target, numbers) for (sources, target), numbers in groups.items()]


def _lane_side(sources, target, row_of) -> str | None:
    """Where the arrow's lane runs: None when every source is a self-loop or in the row
    just above the target (drawn as curves), else right (forward) or left (back)."""
    far = [s for s in sources if s != target and row_of[s] + 1 != row_of[target]]
    if not far:
        return None
    return "right" if all(row_of[s] < row_of[target] for s in far) else "left"


def _arrow(sources, target, numbers, boxes, rows, row_of, lanes, steps) -> list[Arrow]:
    label = ", ".join(map(str, numbers))
    automatic = all(steps[n - 1].transition.roles == {SYSTEM} or steps[n - 1].transition.automatic for n in numbers)
    end = boxes[target]
    arrows = [_loop(end, label, automatic)] if target in sources else []
    for name in sources:
        if name != target and row_of[name] + 1 == row_of[target]:
            start = boxes[name]
            x1, y1, x2, y2 = start.centre, start.y + BOX_HEIGHT, end.centre, end.y
            path = f"M{x1:.0f},{y1} C{x1:.0f},{y1 + ROW_GAP / 2} {x2:.0f},{y2 - ROW_GAP / 2} {x2:.0f},{y2}"
            arrows.append(Arrow(path, label, (x1 + x2) / 2, (y1 + y2) / 2, automatic))
    side = _lane_side(sources, target, row_of)
    if side is None:
        return arrows
    lane = lanes[side]
    lanes[side] += LANE if side == "right" else -LANE
    branches, ys = [], []
    for name in sources:
        if name == target or row_of[name] + 1 == row_of[target]:
            continue
        box, row = boxes[name], rows[row_of[name]]
        if (row[-1] if side == "right" else row[0]) == name:  # nothing beside it: leave from the side
            y = box.y + BOX_HEIGHT / 2
            branches.append(f"M{box.x + box.width if side == 'right' else box.x:.0f},{y:.0f} H{lane:.0f}")
        else:  # leave from below, under the boxes beside it
            y = box.y + BOX_HEIGHT + ROW_GAP / 4
            branches.append(f"M{box.centre:.0f},{box.y + BOX_HEIGHT} V{y:.0f} H{lane:.0f}")
        ys.append(y)
    row = rows[row_of[target]]
    if (row[-1] if side == "right" else row[0]) == target:  # nothing beside it: come in from the side
        y_end = end.y + BOX_HEIGHT / 2
        tail = f"V{y_end:.0f} H{end.x + end.width if side == 'right' else end.x:.0f}"
    else:  # come in from above, through the gap over the target's row
        y_end = end.y - ROW_GAP / 4
        tail = f"V{y_end:.0f} H{end.centre:.0f} V{end.y}"
    first = min(ys) if y_end > max(ys) else max(ys)
    path = " ".join(branches) + f" M{lane:.0f},{first:.0f} {tail}"
    top, bottom = min(ys + [y_end]), max(ys + [y_end])
    return arrows + [Arrow(path, label, lane, (top + bottom) / 2, automatic)]


def _loop(box: Box, label: str, automatic: bool) -> Arrow:
    x, y = box.x + box.width, box.y
    path = f"M{x:.0f},{y + 14} C{x + 34:.0f},{y + 4} {x + 34:.0f},{y + BOX_HEIGHT - 4} {x:.0f},{y + BOX_HEIGHT - 14}"
    return Arrow(path, label, x + 30, y + BOX_HEIGHT / 2, automatic)
