"""The portal with portal-sjuharad enabled in Sjuhärad only; `person`, `draft` and `accepted`
(from `portal.testing`) place referrals in Borås with this plugin's field answers."""

import portal_sjuharad
import pytest

ANSWERS = {"sjuharad.trial_weeks": "4"}


@pytest.fixture
def app(make_app):
    return make_app(plugins={"sjuharad": portal_sjuharad}, enabled={"sjuharad": ["sjuharad"]})


@pytest.fixture
def home_municipality():
    return "Borås"


@pytest.fixture
def referral_answers():
    return ANSWERS
