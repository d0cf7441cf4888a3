"""The four regional plugins, installed with pip next to a plain install of the core in a
fresh virtual environment, enabled with `portal plugins enable`: a new referral in each
region follows its plugin's workflow, and a region without its plugin keeps the default.

One environment for all four keeps the time down; nothing is read from the source tree
once installed (as in `test_install.py`).
"""

from __future__ import annotations

import importlib
import json
import subprocess
from pathlib import Path

import pytest
from venvs import clean_environment, fresh_venv

PLUGINS = {"fyrbodal": "fyrbodal", "skaraborg": "skaraborg", "sjuharad": "sjuharad", "goteborg": "goteborgsregionen"}

# Run inside the fresh environment: one draft referral per region (a participant in the
# region's biggest municipality); prints {region code: workflow name}.
NEW_REFERRALS = """
import json, sys
from datetime import date

from portal import create_app
from portal.domain.participants import registration as participants
from portal.domain.referrals import actions as referrals
from portal.extensions import db
from portal.models import Authority, Municipality, User

NUMBERS = iter(sys.argv[1].split(","))
TOWNS = {"fyrbodal": "Trollhättan", "skaraborg": "Skövde", "sjuharad": "Borås", "goteborgsregionen": "Göteborg"}

app = create_app()
with app.app_context():
    session = db.session
    town = {m.name: m for m in session.scalars(db.select(Municipality))}
    caseworker = session.scalar(db.select(User).where(User.email == "handlaggare@fk.example.se"))
    if caseworker is None:
        authority = Authority(name="Försäkringskassan Väst", kind="forsakringskassan", municipality=town["Göteborg"])
        caseworker = User(email="handlaggare@fk.example.se", name="Handläggare", role="caseworker",
                          authority=authority, password_hash="-")
        session.add(caseworker)
        session.commit()
    workflows = {}
    for region, name in TOWNS.items():
        person = participants.register(session, app.extensions["portal.vault"], caseworker, next(NUMBERS),
                                       participants.ParticipantDetails(given_name="Kim", family_name="Ek",
                                                                       municipality_id=town[name].id))
        referral = referrals.create_draft(session, app.extensions["portal.engine"], caseworker, person,
                                          referrals.ReferralDetails(goal="Arbetsträning", hours_per_week=20,
                                                                    answers={"fyrbodal.cooperation_team": "yes",
                                                                             "sjuharad.trial_weeks": "4"}))
        session.commit()
        workflows[region] = referral.workflow_name
    print(json.dumps(workflows))
"""


@pytest.fixture
def portal_with_regional_plugins(tmp_path) -> Path:
    """The `bin` folder of a fresh virtual environment with the core and the four plugins."""
    return fresh_venv(tmp_path, plugins=tuple(PLUGINS))


@pytest.mark.slow
def test_each_region_follows_its_installed_and_enabled_plugin_and_the_others_the_default(
    portal_with_regional_plugins, tmp_path
):
    bin_ = portal_with_regional_plugins
    environment = clean_environment(tmp_path)

    def run(*command) -> str:
        done = subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def new_referrals(numbers: str) -> dict:
        return json.loads(run(str(bin_ / "python"), "-c", NEW_REFERRALS, numbers).splitlines()[-1])

    run(str(bin_ / "portal"), "db", "upgrade")
    run(str(bin_ / "portal"), "geography", "load")
    for plugin in ("fyrbodal", "skaraborg", "sjuharad"):
        assert (
            run(str(bin_ / "portal"), "plugins", "enable", plugin, PLUGINS[plugin]).strip()
            == f"{plugin} enabled for {PLUGINS[plugin]}."
        )
    assert new_referrals("200001012384,200001011493,200001012392,200001022375") == {
        "fyrbodal": "fyrbodal",
        "skaraborg": "skaraborg",
        "sjuharad": "sjuharad",
        "goteborgsregionen": "default",
    }

    run(str(bin_ / "portal"), "plugins", "enable", "goteborg", "goteborgsregionen")
    assert new_referrals("200001032374,199001012385,199001022384,199001032383")["goteborgsregionen"] == "goteborg"

    listing = run(str(bin_ / "portal"), "plugins", "list")
    for plugin, region in PLUGINS.items():
        version = importlib.import_module(f"portal_{plugin}").__version__
        assert f"{plugin} {version} (portal-{plugin})" in listing
        assert f"  regions: {region}\n" in listing.split(f"{plugin} {version}")[1]
