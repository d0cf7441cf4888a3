"""The portal with portal-fyrbodal enabled in Fyrbodal only; `person`, `draft` and `accepted`
(from `portal.testing`) place referrals in Trollhättan with this plugin's field answers."""

import portal_fyrbodal
import pytest

ANSWERS = {"fyrbodal.cooperation_team": "yes", "fyrbodal.coordination_contact": "Samordningsförbundet Väst"}


@pytest.fixture
def app(make_app):
    return make_app(plugins={"fyrbodal": portal_fyrbodal}, enabled={"fyrbodal": ["fyrbodal"]})


@pytest.fixture
def home_municipality():
    return "Trollhättan"


@pytest.fixture
def referral_answers():
    return ANSWERS
