"""The steps that end a placement need its end report first (issue 14, point 5): the
referral page shows them disabled with a link to the end report until it is written,
and then shows the report's result at exit beside the step, with the outcome chosen."""

from referrals.test_refusals_in_place import _placed

from portal.testing import sign_in, write_end_report


def _running(client, session, world, certified, engine):
    referral_id, _ = _placed(client, session, world, certified, engine)
    client.post(f"/referrals/{referral_id}/act/start")
    return referral_id


def test_without_an_end_report_complete_and_discontinue_are_disabled_with_a_link_to_it(
    client, session, world, certified, engine
):
    referral_id = _running(client, session, world, certified, engine)
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    for step in ("complete", "discontinue"):
        assert f'disabled aria-describedby="{step}-blocked"' in page
    assert page.count(f'<a href="/referrals/{referral_id}/end-report">Öppna slutrapportsidan</a>') == 2
    assert "Handledaren skriver slutrapporten innan placeringen avslutas." in page


def test_with_an_end_report_the_steps_show_its_result_and_take_it_as_the_outcome(
    client, session, world, certified, engine
):
    referral_id = _running(client, session, world, certified, engine)
    write_end_report(session, engine, world, referral_id, outcome="job_seeking")
    sign_in(client, world.caseworker.email)
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    for step in ("complete", "discontinue"):
        notice = page[page.index(f'id="{step}-end-report"') :]
        assert notice.startswith(f'id="{step}-end-report">Slutrapportens resultat vid avslut: Arbetssökande.')
        assert f'<a href="/referrals/{referral_id}/end-report">Läs hela rapporten</a>' in notice.split("</p>")[0]
        form = page[page.index(f'id="{step}-outcome"') :]
        assert '<option selected value="job_seeking">' in form.split("</select>")[0]
    assert 'disabled aria-describedby="complete-blocked"' not in page


def test_a_step_before_the_plan_is_approved_links_to_the_plan(client, session, world, certified):
    referral_id, _ = _placed(client, session, world, certified)
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert 'disabled aria-describedby="start-blocked"' in page
    assert f'<a href="/referrals/{referral_id}/plan">Öppna planen</a>' in page
