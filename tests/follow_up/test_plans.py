"""Issue 14, point 1: the plan (genomförandeplan). The supervisor drafts it, the
caseworker approves it or sends it back with a comment, versions are kept, and in the
default workflow an approved plan is what *start* waits for."""

import pytest
from sqlalchemy import func, select

from portal.domain.follow_up import plans
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.transitions import Refused
from portal.models import AuditEvent, Notification, PlanVersion, User
from portal.testing import at_once, sign_in

PLAN = {
    "goals": "Arbeta fyra timmar om dagen\nLaga lunch för tio personer",
    "activities": "Kafé och kök",
    "hours_per_week": "20",
    "schedule": "Mån-tor 9-13",
    "version": "0",
}


def versions(session, referral_id):
    session.rollback()
    return session.execute(
        select(PlanVersion.number, PlanVersion.state)
        .where(PlanVersion.referral_id == referral_id)
        .order_by(PlanVersion.number)
    ).all()


def test_a_plan_is_drafted_sent_back_and_approved_through_the_pages(client, session, world, accepted):
    referral = accepted()
    plan_page = f"/referrals/{referral.id}/plan"
    sign_in(client, world.supervisor_user.email)
    assert f'href="{plan_page}"' in client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    page = client.get(plan_page).get_data(as_text=True)
    assert "Ingen plan har skrivits ännu." in page and "Arbetsträning" in page  # the referral's goal to start from
    assert client.post(plan_page, data={**PLAN, "send": "1"}).status_code == 303
    client.post("/sign-out")

    sign_in(client, world.caseworker.email)
    page = client.get(plan_page).get_data(as_text=True)
    assert "Väntar på godkännande" in page and "Laga lunch för tio personer" in page
    response = client.post(f"{plan_page}/decision", data={"version": "1", "send_back": "1"})
    assert response.status_code == 400 and "Skriv vad som ska ändras i planen." in response.get_data(as_text=True)
    assert versions(session, referral.id) == [(1, "submitted")]
    decision = {"version": "1", "send_back": "1", "comment": "Lägg till ett mål om resor."}
    assert client.post(f"{plan_page}/decision", data=decision).status_code == 303
    client.post("/sign-out")

    sign_in(client, world.supervisor_user.email)
    page = client.get(plan_page).get_data(as_text=True)
    assert "Skickad tillbaka" in page and "Lägg till ett mål om resor." in page
    changed = {**PLAN, "goals": PLAN["goals"] + "\nResa själv med buss", "version": "1", "send": "1"}
    assert client.post(plan_page, data=changed).status_code == 303
    client.post("/sign-out")

    sign_in(client, world.caseworker.email)
    assert client.post(f"{plan_page}/decision", data={"version": "2", "approve": "1"}).status_code == 303
    page = client.get(plan_page).get_data(as_text=True)
    assert "Godkänd" in page and "Tidigare versioner" in page and "Resa själv med buss" in page
    assert versions(session, referral.id) == [(1, "returned"), (2, "approved")]
    assert client.post(f"/referrals/{referral.id}/act/start").status_code == 303


def test_the_people_concerned_hear_of_the_plan(session, engine, world, accepted):
    referral = accepted()
    sent(session, engine, world, referral.id)
    plans.decide(session, engine.settings, world.caseworker, referral.id, seen_version=1, approve=True)
    session.commit()
    told = dict(
        session.execute(
            select(Notification.kind, User.email)
            .join(User)
            .where(Notification.kind.like("plan_%"), Notification.referral_id == referral.id)
        ).all()
    )
    assert told == {"plan_submitted": world.caseworker.email, "plan_approved": world.supervisor_user.email}


def test_start_waits_for_an_approved_plan(session, engine, world, accepted):
    referral = accepted()
    with pytest.raises(Refused, match="approved its plan") as refusal:
        referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    assert refusal.value.status == 409
    session.rollback()
    sent(session, engine, world, referral.id)
    with pytest.raises(Refused, match="approved its plan"):  # sent, not yet approved
        referrals.act(session, engine, world.supervisor_user, referral.id, "start")


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"goals": "  \n "}, "goals", "Skriv minst ett mål, ett per rad."),
        ({"activities": ""}, "activities", "Beskriv aktiviteterna."),
        ({"hours_per_week": "41"}, "hours_per_week", "Ange mellan 1 och 40 timmar per vecka."),
    ],
)
def test_a_bad_plan_is_refused_at_its_field_and_nothing_is_saved(
    client, session, world, accepted, change, field, message
):
    referral = accepted()
    sign_in(client, world.supervisor_user.email)
    response = client.post(f"/referrals/{referral.id}/plan", data={**PLAN, **change, "send": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert "Mån-tor 9-13" in page  # the form keeps what was written
    assert versions(session, referral.id) == []


def test_saving_on_an_old_version_asks_to_reload_and_keeps_the_newer_one(client, session, world, accepted):
    referral = accepted()
    sign_in(client, world.supervisor_user.email)
    assert client.post(f"/referrals/{referral.id}/plan", data={**PLAN, "save": "1"}).status_code == 303
    stale = {**PLAN, "goals": "Ett annat mål", "save": "1"}  # written on version 0 in another tab
    response = client.post(f"/referrals/{referral.id}/plan", data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan ändrade planen medan du arbetade med den. Ladda om sidan" in page
    assert "Ett annat mål" in page  # what they wrote is still on their screen
    assert versions(session, referral.id) == [(1, "draft")]


def sent(session, engine, world, referral_id):
    """The world's supervisor has written version 1 and sent it to the caseworker."""
    draft = plans.PlanDraft(goals=["Ett"], activities="Kafé", hours_per_week=20)
    plans.save(session, engine.settings, world.supervisor_user, referral_id, draft, seen_version=0, submit=True)
    session.commit()


def saving(engine, user_id, referral_id, goal, seen_version):
    def job(session):
        draft = plans.PlanDraft(goals=[goal], activities="Kafé", hours_per_week=20)
        plans.save(
            session,
            engine.settings,
            session.get(User, user_id),
            referral_id,
            draft,
            seen_version=seen_version,
            submit=True,
        )

    return job


def deciding(engine, user_id, referral_id, seen_version):
    def job(session):
        plans.decide(
            session, engine.settings, session.get(User, user_id), referral_id, seen_version=seen_version, approve=True
        )

    return job


def test_two_saves_of_the_same_version_at_once_keep_one_and_refuse_the_other(app, session, engine, world, accepted):
    referral = accepted()
    supervisor = world.supervisor_user.id
    outcomes = at_once(app, [saving(engine, supervisor, referral.id, goal, 0) for goal in ("Ett", "Två")])
    assert sorted(outcomes, key=str) == [409, "ok"]
    assert versions(session, referral.id) == [(1, "submitted")]


def test_a_save_and_an_approval_at_once_lose_nothing(app, session, engine, world, accepted):
    referral = accepted()
    sent(session, engine, world, referral.id)
    outcomes = at_once(
        app,
        [
            saving(engine, world.supervisor_user.id, referral.id, "Två", 1),
            deciding(engine, world.caseworker.id, referral.id, 1),
        ],
    )
    found = versions(session, referral.id)
    if outcomes == ["ok", "ok"]:  # the approval came first: version 1 stays approved, version 2 is new
        assert found == [(1, "approved"), (2, "submitted")]
    else:  # the save came first: the caseworker is asked to reload and read version 2
        assert outcomes == ["ok", 409]
        assert found == [(1, "submitted"), (2, "submitted")]


@pytest.mark.parametrize(
    "role, read, write, decide",
    [
        ("supervisor_user", 200, 303, 403),
        ("caseworker", 200, 403, 303),
        ("other_caseworker", 404, 404, 404),
        ("coordinator", 200, 403, 403),
        ("admin", 200, 403, 403),
    ],
)
def test_who_reads_writes_and_decides_the_plan(client, session, engine, world, accepted, role, read, write, decide):
    referral = accepted()
    sent(session, engine, world, referral.id)
    sign_in(client, getattr(world, role).email)
    assert client.get(f"/referrals/{referral.id}/plan").status_code == read
    assert (
        client.post(f"/referrals/{referral.id}/plan", data={**PLAN, "version": "1", "send": "1"}).status_code == write
    )
    decided = client.post(f"/referrals/{referral.id}/plan/decision", data={"version": "1", "approve": "1"})
    assert decided.status_code == decide
    if read == 200:
        session.rollback()
        actor = getattr(world, role).id
        assert session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "plan.view", AuditEvent.actor_id == actor)
        )


def test_a_supervisor_offered_the_referral_does_not_see_its_plan(client, session, engine, world, draft, certified):
    referral = draft()
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])
    session.commit()
    sign_in(client, world.supervisor_user.email)
    assert client.get(f"/referrals/{referral.id}").status_code == 200  # the offer is theirs to read
    assert client.get(f"/referrals/{referral.id}/plan").status_code == 404  # but there is no placement yet
