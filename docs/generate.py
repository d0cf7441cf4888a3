"""MkDocs hook: the parts of the reference generated from the code itself, not written by
hand, so that they cannot go stale: the default workflow's states and transitions
(from `DEFAULT`) and the data model (from the models' tables), each replacing its
``<!-- generated: … -->`` marker; and the guide's example files, named above their code."""

from __future__ import annotations

import re

MARKER = "<!-- generated: {} -->"
# The guide's example files are fenced as ```python file=portal_intake/__init__.py (the
# guide's test writes them to disk by that name); shown with the name above the code.
FILE_FENCE = re.compile(r"^```(\w+) file=(\S+)$", re.MULTILINE)


def on_page_markdown(markdown: str, page, config, files) -> str:
    markdown = FILE_FENCE.sub(lambda found: f"`{found[2]}`:\n\n```{found[1]}", markdown)
    for name, build in (("default-workflow", default_workflow), ("data-model", data_model)):
        marker = MARKER.format(name)
        if marker in markdown:
            markdown = markdown.replace(marker, build())
    return markdown


def _step_name(function) -> str:
    """A guard's or action's name, linked to its reference when it is one of core's steps."""
    from portal.domain.referrals import steps

    name = getattr(function, "__name__", repr(function))
    if getattr(steps, name, None) is function:
        return f"[`{name}`][portal.domain.referrals.steps.{name}]"
    if name.startswith("end_placement_"):
        return (
            f"[`end_placement({name.removeprefix('end_placement_')!r})`][portal.domain.referrals.steps.end_placement]"
        )
    return f"`{name}`"


def default_workflow() -> str:
    from portal.builtin.default_workflow import DEFAULT

    lines = [
        f"**{DEFAULT.title}** (`{DEFAULT.name}`, version {DEFAULT.version}): {DEFAULT.description} "
        f"Referrals start in `{DEFAULT.initial}`; at most {DEFAULT.max_parallel_offers} offer at a time.",
        "",
        "| State | Label | The case |",
        "|---|---|---|",
    ]
    for state in DEFAULT.states:
        kind = "closed: nothing follows" if state.terminal else "over, not yet closed" if state.ended else "open"
        lines.append(f"| `{state.name}` | {state.label} | {kind} |")
    lines += [
        "",
        "| Transition | From | To | Who | Guards | Actions |",
        "|---|---|---|---|---|---|",
    ]
    for transition in DEFAULT.transitions:
        who = ", ".join(sorted(transition.roles)) + (" (automatic)" if transition.automatic else "")
        lines.append(
            f"| `{transition.name}` ({transition.label}) | "
            + ", ".join(f"`{source}`" for source in transition.sources)
            + f" | `{transition.target}` | {who} | "
            + (", ".join(_step_name(guard) for guard in transition.guards) or "–")
            + " | "
            + (", ".join(_step_name(action) for action in transition.actions) or "–")
            + " |"
        )
    return "\n".join(lines) + "\n"


def data_model() -> str:
    import portal.models  # noqa: F401  (registers every table)
    from portal.extensions import db

    tables = db.metadata.sorted_tables
    diagram = ["```mermaid", "erDiagram"]
    for table in tables:
        for key in sorted(table.foreign_keys, key=lambda key: key.parent.name):
            optional = "o" if key.parent.nullable else "|"
            diagram.append(f"    {table.name} }}o--{optional}| {key.column.table.name} : {key.parent.name}")
    diagram.append("```")
    lines = ["", "| Table | Columns | Refers to |", "|---|---|---|"]
    for table in sorted(tables, key=lambda table: table.name):
        columns = ", ".join(f"`{column.name}`" + (" (key)" if column.primary_key else "") for column in table.columns)
        refers = ", ".join(sorted(f"`{key.column.table.name}` by `{key.parent.name}`" for key in table.foreign_keys))
        lines.append(f"| `{table.name}` | {columns} | {refers or '–'} |")
    return "\n".join(diagram + lines) + "\n"
