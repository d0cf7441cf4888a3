"""A form sent several times at the same moment (a double click, two tabs, two
colleagues): it is saved once, the others get the field's own message with what was
typed kept, never a server error (`web.forms.saved`). Every create form whose record
has a unique key the checks before the insert read (`portal/models`: UniqueConstraint,
unique=True) is walked here; the participant's registration has its own lock
(`tests/participants/test_registration_race.py`)."""

from __future__ import annotations

import pytest
from races import http_at_once, signed_in
from sqlalchemy import func, select

from portal.models import Authority, Cooperative, User

AT_ONCE = 4


def _cooperative(world):
    form = {
        "name": "Kooperativet Ängen",
        "organisation_number": "769600-1234",
        "trades": ["cafe"],
        "municipality_id": world.municipality["Uddevalla"].id,
    }
    taken = "Ett annat kooperativ i katalogen har det här organisationsnumret"
    return "coordinator", "/directory/cooperatives/new", form, taken, Cooperative.organisation_number == "769600-1234"


def _supervisor(world):
    form = {
        "name": "Sara Ny",
        "email": "sara.ny@example.se",
        "cooperative_id": world.cooperative.id,
        "gender": "woman",
        "capacity": "2",
        "municipality_ids": [world.municipality["Uddevalla"].id],
    }
    taken = "Det finns redan en användare med den e-postadressen."
    return "coordinator", "/directory/supervisors/new", form, taken, User.email == "sara.ny@example.se"


def _user(world):
    form = {"name": "Ny Person", "email": "ny@fk.example.se", "role": "caseworker", "authority_id": world.fk.id}
    taken = "Det finns redan en användare med den e-postadressen."
    return "admin", "/admin/users/invite", form, taken, User.email == "ny@fk.example.se"


def _authority(world):
    name = "Arbetsförmedlingen Uddevalla"
    form = {"name": name, "kind": "arbetsformedlingen", "municipality_id": world.municipality["Uddevalla"].id}
    return "admin", "/admin/authorities/new", form, "redan en myndighet", Authority.name == name


@pytest.mark.slow
@pytest.mark.parametrize("record", [_cooperative, _supervisor, _user, _authority], ids=lambda make: make.__name__[1:])
def test_a_record_sent_several_times_at_once_is_created_once(app, session, world, record):
    role, path, form, taken, created = record(world)
    clients = [signed_in(app, getattr(world, role).email) for _ in range(AT_ONCE)]
    pages = [""] * AT_ONCE

    def send(index):
        response = clients[index].post(path, data=form)
        pages[index] = response.get_data(as_text=True)
        return response.status_code

    statuses = http_at_once([lambda index=index: send(index) for index in range(AT_ONCE)])
    assert sorted(statuses) == [303] + [400] * (AT_ONCE - 1)
    refused = [page for page, status in zip(pages, statuses, strict=True) if status == 400]
    assert all(taken in page and f'value="{form["name"]}"' in page for page in refused)
    session.rollback()
    assert session.scalar(select(func.count()).where(created)) == 1


def test_a_key_refused_twice_is_said_at_the_top_of_the_form_and_nothing_is_kept(app, session, world):
    """Should the database refuse the second attempt too (another save in between), the
    form says so at the top; nothing of either attempt stays."""
    from flask_wtf import FlaskForm

    from portal.extensions import db
    from portal.models import Region
    from portal.web.forms import saved

    taken = world.region["fyrbodal"].code
    attempts = []

    def action():
        attempts.append(len(attempts))
        db.session.add(Region(code=taken, name=f"Kopia {len(attempts)}"))
        db.session.flush()

    with app.test_request_context(method="POST"):
        form = FlaskForm(meta={"csrf": False})
        assert saved(form, action) is False
        assert attempts == [0, 1]
        assert [str(message) for message in form.form_errors] == [
            "Någon sparade samma sak i samma stund. Se efter i listan och försök sedan igen."
        ]
    session.rollback()
    assert session.scalar(select(func.count()).where(Region.name.like("Kopia%"))) == 0
