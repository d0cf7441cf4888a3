"""What a report build is, said so that it can be built again with no one signed in.

A closed period's report read from stored figures (`reports.stored`) stays fast only
while no write touches the period; after one, the worker builds it again
(`reports.refresh`), so the next reader finds it stored. For that the build names
itself while it runs (`reading`): the report's identifier, its parameters as the codes
a page's address carries, and the reader's scope. `stored.results` records it
(`KeptReport`) beside the figures it stores, with the time it was read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from portal.domain.access import ReportScope

KEY = "portal.report_kept"
KEPT_FOR = timedelta(days=30)  # a report not read for this long is no longer built again after a write
READ_NOTED = timedelta(days=1)  # a read is written down at most this often: most reads write nothing


@dataclass(frozen=True)
class Build:
    """A report build: `parameters` maps names to codes (`catalogue.parse` reads them);
    `read_at` is None for a reader's build (read now), else the last read of the report
    the worker builds again."""

    identifier: str
    parameters: str
    region_id: int | None
    authority_id: int | None
    read_at: datetime | None = None

    @property
    def key(self) -> str:
        named = [self.identifier, self.parameters, self.region_id, self.authority_id]
        return hashlib.sha256(json.dumps(named).encode()).hexdigest()


def codes(report, values: Mapping[str, object]) -> dict[str, str] | None:
    """The parameters' codes, as `catalogue.parse` reads them from an address; a period
    always by its code, so that the same period is built again however it was chosen.
    None when a value has no code."""
    found = {}
    for parameter in report.parameters:
        value = values.get(parameter.name)
        if value is None:
            continue
        if parameter.kind in ("period", "region"):
            found[parameter.name] = value.code
        elif parameter.kind == "authority":
            found[parameter.name] = str(value.id)
        elif isinstance(value, date):
            found[parameter.name] = value.isoformat()
        elif isinstance(value, int | str):
            found[parameter.name] = str(value)
        else:
            return None
    return found


@contextmanager
def reading(session: Session, build: Build | None):
    """Within the block, `session` builds `build` (a build already named, the worker's,
    stays named so)."""
    if build is None or KEY in session.info:
        yield
        return
    session.info[KEY] = build
    try:
        yield
    finally:
        session.info.pop(KEY, None)


def build_of(report, values: Mapping[str, object], scope: ReportScope | None, read_at: datetime | None = None):
    """The `Build` of `report` with `values` in `scope`, or None if it cannot be named."""
    found = codes(report, values)
    if found is None:
        return None
    scope = scope or ReportScope()
    return Build(report.identifier, json.dumps(found, sort_keys=True), scope.region_id, scope.authority_id, read_at)
