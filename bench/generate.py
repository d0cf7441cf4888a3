"""Data at scale for the matching benchmark, the same on every run (a fixed seed).

Scales: regional is Västra Götaland as it is (4 regions, 43 municipalities) with ~500
supervisors and ~20,000 referrals; national is 290 municipalities with made-up SCB-like
codes in 21 regions, ~20,000 supervisors and ~1,000,000 referrals. `tiny` keeps the
generator tested.

Rows are built as tuples (referrals, offers and placements in `bench.referral_rows`) from a seeded generator and written in bulk, bypassing the ORM
(a million referrals through the ORM would take hours): PostgreSQL gets COPY, SQLite
executemany, in chunks so that memory stays flat. Only what matching and its pages read
is generated, consistent with the portal's rules: supervisors' running placements stay
within their capacity, a placement has its accepted offer, a referral in matching may
have been declined or let expire by someone first. Left out: timelines, consent,
identity numbers, audit events and notifications.

    python -m bench.generate national postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench_national
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, insert, text

from bench.referral_rows import MIDNIGHT, TODAY, ReferralRows, other_language
from portal.domain import geography
from portal.domain.vocabulary import ACCESSIBILITY, NEEDS, TRADES
from portal.extensions import db
from portal.models.base import joined_codes

SEED = 2026
BENCH_PASSWORD = "bench-password-1"  # every generated user's; the benchmark signs in as a coordinator
REGIONAL_OFFICES = (("forsakringskassan", "Försäkringskassan"), ("arbetsformedlingen", "Arbetsförmedlingen"))


@dataclass(frozen=True)
class Scale:
    name: str
    supervisors: int
    referrals: int
    regions: int | None = None  # None: Västra Götaland's real 4 regions and 43 municipalities
    municipalities: int | None = None


SCALES = {
    "tiny": Scale("tiny", supervisors=40, referrals=400, regions=3, municipalities=12),
    "regional": Scale("regional", supervisors=500, referrals=20_000),
    "national": Scale("national", supervisors=20_000, referrals=1_000_000, regions=21, municipalities=290),
}


class Writer:
    """Bulk inserts: COPY on PostgreSQL, executemany elsewhere; counts what it wrote."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.postgresql = connection.dialect.name == "postgresql"
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        self.counts[table] += len(rows)
        if self.postgresql:
            cursor = self.connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            model = db.metadata.tables[table]
            self.connection.execute(insert(model), [dict(zip(columns, row, strict=False)) for row in rows])

    def reset_sequences(self) -> None:
        """COPY with explicit ids leaves PostgreSQL's sequences behind; the portal inserts after us."""
        if not self.postgresql:
            return
        for table in self.counts:
            if "id" in db.metadata.tables[table].c.keys():
                self.connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )


def generate(
    connection: Connection, scale: Scale, *, password_hash: str, seed: int = SEED, log=lambda message: None
) -> dict[str, int]:
    """Fill an empty, migrated database at `scale`; answers the rows written per table."""
    build = _Builder(Writer(connection), scale, random.Random(seed), password_hash, log)
    build.geography()
    build.organisations()
    build.supervisors()
    build.referrals()
    build.writer.reset_sequences()
    return dict(build.writer.counts)


class _Builder(ReferralRows):
    """Generates table after table, keeping only the ids later tables point to."""

    def __init__(self, writer: Writer, scale: Scale, rng: random.Random, password_hash: str, log):
        self.writer, self.scale, self.rng, self.password_hash, self.log = writer, scale, rng, password_hash, log
        self.user_ids = iter(range(1, 10**9))
        self.offer_ids = iter(range(1, 10**12))
        self.municipality_region: dict[int, int] = {}
        self.region_municipalities: dict[int, list[int]] = defaultdict(list)
        self.local_authority: dict[int, int] = {}  # municipality → its social services
        self.regional_authorities: dict[int, list[int]] = defaultdict(list)  # region → FK and AF offices
        self.caseworker: dict[int, int] = {}  # authority → its caseworker
        self.serving: dict[int, list[int]] = defaultdict(list)  # municipality → supervisors serving it
        self.served: dict[int, list[int]] = {}  # supervisor → municipalities it serves
        self.capacity: dict[int, int] = {}
        self.eligible: list[int] = []  # active and certified

    # Geography and organisations ------------------------------------------------------

    def geography(self) -> None:
        if self.scale.regions is None:
            geography.load(_session(self.writer.connection))
            rows = self.writer.connection.execute(text("SELECT id, region_id FROM municipality")).all()
        else:
            regions = [(r, f"Testregion {r:02d}", f"testregion-{r:02d}") for r in range(1, self.scale.regions + 1)]
            self.writer.write("region", ("id", "name", "code"), regions)
            rows = [(m, 1 + (m - 1) % self.scale.regions) for m in range(1, self.scale.municipalities + 1)]
            self.writer.write(
                "municipality",
                ("id", "scb_code", "name", "region_id"),
                [(m, f"{r:02d}{(m - 1) // self.scale.regions:02d}", f"Testkommun {m:03d}", r) for m, r in rows],
            )
        for municipality, region in sorted(rows):
            self.municipality_region[municipality] = region
            self.region_municipalities[region].append(municipality)

    def organisations(self) -> None:
        """Social services in every municipality, Försäkringskassan and Arbetsförmedlingen in every
        region, one caseworker each; a coordinator and one administrator per region."""
        authorities, users = [], []
        number = iter(range(1, 10**9))
        for municipality in self.municipality_region:
            self.local_authority[municipality] = authority = next(number)
            authorities.append((authority, f"Socialtjänsten {municipality}", "social_services", municipality))
        for region, municipalities in self.region_municipalities.items():
            for kind, name in REGIONAL_OFFICES:
                authority = next(number)
                self.regional_authorities[region].append(authority)
                authorities.append((authority, f"{name} region {region}", kind, municipalities[0]))
        self.writer.write("authority", ("id", "name", "kind", "municipality_id"), authorities)
        for authority, *_ in authorities:
            self.caseworker[authority] = user = next(self.user_ids)
            users.append(self._user(user, f"handlaggare{authority}@bench.example", "caseworker", authority=authority))
        for region in self.region_municipalities:
            users.append(
                self._user(next(self.user_ids), f"samordnare{region}@bench.example", "coordinator", region=region)
            )
        users.append(self._user(next(self.user_ids), "admin@bench.example", "admin"))
        self.writer.write("user_account", USER_COLUMNS, users)

    def _user(self, user_id: int, email: str, role: str, authority=None, region=None) -> tuple:
        return (
            user_id,
            email,
            email.split("@")[0].title(),
            self.password_hash,
            role,
            self.rng.choice(("woman", "woman", "man")),
            authority,
            region,
            True,
            MIDNIGHT - timedelta(days=700),
        )

    # Supervisors ----------------------------------------------------------------------

    def supervisors(self) -> None:
        rng, count = self.rng, self.scale.supervisors
        municipalities = list(self.municipality_region)
        cooperatives, trades, features = [], [], []
        for cooperative in range(1, count // 2 + 1):
            municipality = rng.choice(municipalities)
            its_trades = rng.sample(list(TRADES), rng.randint(1, 3))
            its_features = rng.sample(list(ACCESSIBILITY), rng.randint(0, 3))
            cooperatives.append(
                (
                    cooperative,
                    f"Kooperativ {cooperative}",
                    f"{769000 + cooperative // 10000:06d}-{cooperative % 10000:04d}",
                    municipality,
                    True,
                    joined_codes(its_trades),
                    joined_codes(its_features),
                )
            )
            trades += [(cooperative, code) for code in its_trades]
            features += [(cooperative, code) for code in its_features]
        self.writer.write(
            "cooperative",
            ("id", "name", "organisation_number", "municipality_id", "active", "trade_codes", "accessibility_codes"),
            cooperatives,
        )
        self.writer.write("cooperative_trade", ("cooperative_id", "code"), trades)
        self.writer.write("cooperative_accessibility", ("cooperative_id", "code"), features)

        users, supervisors, serves, languages, specialties = [], [], [], [], []
        for supervisor in range(1, count + 1):
            cooperative = cooperatives[(supervisor - 1) % len(cooperatives)]
            home = cooperative[3]
            user = next(self.user_ids)
            users.append(self._user(user, f"handledare{supervisor}@bench.example", "supervisor"))
            active, certified = rng.random() < 0.95, rng.random() < 0.9
            capacity = rng.randint(1, 4)
            gender = rng.choice(("woman", "woman", "man"))
            certified_on = TODAY - timedelta(days=rng.randint(30, 2000)) if certified else None
            neighbours = [m for m in self.region_municipalities[self.municipality_region[home]] if m != home]
            area = [home, *rng.sample(neighbours, min(len(neighbours), rng.randint(0, 3)))]
            its_languages = ("sv", *other_language(rng, 0.3))
            its_specialties = rng.sample(list(NEEDS), rng.randint(1, 3))
            supervisors.append(
                (
                    supervisor,
                    user,
                    cooperative[0],
                    gender,
                    capacity,
                    active,
                    certified_on,
                    joined_codes(its_specialties),
                    joined_codes(its_languages),
                )
            )
            serves += [(supervisor, municipality) for municipality in area]
            languages += [(supervisor, code) for code in its_languages]
            specialties += [(supervisor, code) for code in its_specialties]
            self.served[supervisor], self.capacity[supervisor] = area, capacity
            for municipality in area:
                self.serving[municipality].append(supervisor)
            if active and certified:
                self.eligible.append(supervisor)
        self.writer.write("user_account", USER_COLUMNS, users)
        self.writer.write(
            "supervisor",
            (
                "id",
                "user_id",
                "cooperative_id",
                "gender",
                "capacity",
                "active",
                "certified_on",
                "specialty_codes",
                "language_codes",
            ),
            supervisors,
        )
        self.writer.write("supervisor_municipality", ("supervisor_id", "municipality_id"), serves)
        self.writer.write("supervisor_language", ("supervisor_id", "code"), languages)
        self.writer.write("supervisor_specialty", ("supervisor_id", "code"), specialties)


USER_COLUMNS = (
    "id",
    "email",
    "name",
    "password_hash",
    "role",
    "gender",
    "authority_id",
    "region_id",
    "active",
    "created_at",
)


def _session(connection: Connection):
    from sqlalchemy.orm import Session

    return Session(bind=connection)


def main(argv: list[str]) -> None:
    """python -m bench.generate SCALE DATABASE_URL: migrate an empty database and fill it."""
    from werkzeug.security import generate_password_hash

    from bench.database import migrated_app

    scale, url = SCALES[argv[0]], argv[1]
    app = migrated_app(url)
    began = time.perf_counter()
    with app.app_context(), db.engine.begin() as connection:
        counts = generate(
            connection, scale, password_hash=generate_password_hash(BENCH_PASSWORD, method="scrypt"), log=print
        )
    print(f"{scale.name}: {counts} in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
