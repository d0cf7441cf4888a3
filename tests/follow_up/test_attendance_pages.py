"""The attendance week and the monthly statement as pages: input kept and refused at the
field, the statement downloaded as Swedish CSV, and each role held to its placements."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from conftest import sign_in
from sqlalchemy import func, select

from portal.domain.calendar import local_today
from portal.models import AuditEvent
from portal.models.follow_up_records import AttendanceDay


def week_form(last_week, **days):
    form = {"week": last_week[0].isoformat(), "version": "0"}
    for index, (hours, reason) in days.items():
        day = last_week[int(index[1:])].isoformat()
        form[f"hours-{day}"], form[f"reason-{day}"] = hours, reason
    return form


def test_the_supervisor_records_a_week_on_one_screen(client, session, world, placement, last_week):
    sign_in(client, world.supervisor_user.email)
    page = client.get(f"/referrals/{placement.referral_id}/attendance?week={last_week[0]}")
    assert page.status_code == 200 and f'name="hours-{last_week[6]}"' in page.get_data(as_text=True)
    response = client.post(
        f"/referrals/{placement.referral_id}/attendance", data=week_form(last_week, d0=("7,5", ""), d1=("", "ill"))
    )
    assert response.status_code == 303
    assert session.scalar(select(func.count()).select_from(AttendanceDay)) == 2
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="7,5"' in shown and 'value="1"' in shown  # the next save starts from version 1


def test_more_than_a_day_is_refused_at_the_field_and_the_input_kept(client, session, world, placement, last_week):
    sign_in(client, world.supervisor_user.email)
    response = client.post(
        f"/referrals/{placement.referral_id}/attendance", data=week_form(last_week, d0=("7", ""), d1=("25", ""))
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="error-{last_week[1]}"' in page and 'value="25"' in page and 'value="7"' in page
    assert session.scalar(select(func.count()).select_from(AttendanceDay)) == 0


def test_a_stale_week_is_refused_with_a_reload_message(client, session, world, placement, last_week):
    sign_in(client, world.supervisor_user.email)
    path = f"/referrals/{placement.referral_id}/attendance"
    assert client.post(path, data=week_form(last_week, d0=("7", ""))).status_code == 303
    response = client.post(path, data=week_form(last_week, d0=("2", "")))
    assert response.status_code == 409
    assert "ladda om" in response.get_data(as_text=True).lower()
    assert session.scalar(select(AttendanceDay.hours)) == 7


def test_the_monthly_statement_downloads_as_swedish_csv(client, session, world, placement, last_week):
    sign_in(client, world.supervisor_user.email)
    client.post(
        f"/referrals/{placement.referral_id}/attendance", data=week_form(last_week, d0=("7,25", ""), d1=("", "ill"))
    )
    month = last_week[0].strftime("%Y-%m")
    sign_in(client, world.caseworker.email)
    screen = client.get(f"/referrals/{placement.referral_id}/attendance/statement?month={month}")
    assert screen.status_code == 200 and "7,25" in screen.get_data(as_text=True)  # not rounded to 7,2
    response = client.get(f"/referrals/{placement.referral_id}/attendance/statement/csv?month={month}")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert f"remiss-{placement.referral_id}-{month}" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert [last_week[0].isoformat(), "7,25", ""] in rows  # hours are kept with two decimals
    assert [last_week[1].isoformat(), "", "Sjuk"] in rows
    audited = session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "attendance.statement")
    )
    assert audited == 2


ROLES = {
    "supervisor_user": 200,
    "caseworker": 200,
    "coordinator": 200,
    "admin": 200,
    "other_caseworker": 404,
}


@pytest.mark.parametrize(("role", "status"), ROLES.items())
def test_each_role_sees_only_the_follow_up_it_may(client, world, placement, role, status):
    sign_in(client, getattr(world, role).email)
    for path in ("attendance", "attendance/statement", "attendance/statement/csv"):
        assert (
            client.get(f"/referrals/{placement.referral_id}/attendance".replace("attendance", path)).status_code
            == status
        ), path


def test_the_page_offers_no_field_for_days_to_come(client, world, placement):
    sign_in(client, world.supervisor_user.email)
    path = f"/referrals/{placement.referral_id}/attendance"
    assert f'name="hours-{local_today()}"' in client.get(path).get_data(as_text=True)
    assert 'name="hours-' not in client.get(f"{path}?week={local_today() + timedelta(days=7)}").get_data(as_text=True)
