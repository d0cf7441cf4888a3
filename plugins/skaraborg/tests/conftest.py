"""The portal with portal-skaraborg enabled in Skaraborg only; `person`, `draft` and `accepted`
(from `portal.testing`) place referrals in Skövde with this plugin's field answers."""

import portal_skaraborg
import pytest

ANSWERS = {"skaraborg.meeting_place": "cooperative"}


@pytest.fixture
def app(make_app):
    return make_app(plugins={"skaraborg": portal_skaraborg}, enabled={"skaraborg": ["skaraborg"]})


@pytest.fixture
def home_municipality():
    return "Skövde"


@pytest.fixture
def referral_answers():
    return ANSWERS
