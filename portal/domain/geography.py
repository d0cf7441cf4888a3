"""Reference data every installation needs: the regions and their municipalities.

The list ships with the package (`portal/data/municipalities.csv`, SCB codes), so an
office's first `portal geography load` gives the same 43 municipalities as the demo.
Loading is idempotent: rows are matched by code and updated, never duplicated.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Municipality, Region


def region_code(name: str) -> str:
    """`Göteborgsregionen` → `goteborgsregionen`: an ASCII slug for URLs and plugin config."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def read_municipalities() -> list[dict[str, str]]:
    text = resources.files("portal").joinpath("data/municipalities.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def region_codes() -> tuple[str, ...]:
    """The codes of the regions in the shipped list, without a database (start-up checks)."""
    return tuple(sorted({region_code(row["region"]) for row in read_municipalities()}))


def load(session: Session) -> int:
    """Create or update the regions and municipalities; returns how many municipalities."""
    rows = read_municipalities()
    regions = {region.code: region for region in session.scalars(select(Region))}
    for name in sorted({row["region"] for row in rows}):
        code = region_code(name)
        if code not in regions:
            regions[code] = Region(code=code, name=name)
            session.add(regions[code])
        regions[code].name = name
    existing = {m.scb_code: m for m in session.scalars(select(Municipality))}
    for row in rows:
        municipality = existing.get(row["code"]) or Municipality(scb_code=row["code"])
        municipality.name = row["name"]
        municipality.region = regions[region_code(row["region"])]
        session.add(municipality)
    session.flush()
    return len(rows)
