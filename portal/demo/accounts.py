"""The demo's people pages and audit review have something to show: in the demo region,
a caseworker invited but not yet signed up (a fresh invitation link, its mail in the
outbox) and one who has left (deactivated), each with the audit events the offices' pages
would have written. Fixed names, so the rest of the demo is dealt as before.
"""

from __future__ import annotations

from portal.domain import audit
from portal.domain.accounts import mails
from portal.models import TokenPurpose, User

SETTINGS = {
    "BASE_URL": "http://127.0.0.1:5000",
    "MAIL_FROM": "Handledarportalen <noreply@handledarportalen.se>",
    "DEFAULT_LOCALE": "sv",
}


def add(demo, region_code: str) -> None:
    """Called at the end of `portal.demo.data.load`, with its builder state."""
    colleague = demo.caseworkers[region_code][0]
    coordinator = demo.coordinators[region_code]

    def new_colleague(email: str, name: str, gender: str, **account) -> User:
        return User(email=email, name=name, gender=gender, role="caseworker", authority=colleague.authority, **account)

    invited = new_colleague("nyanstalld@fk.demo.handledarportalen.se", "Nora Nyanställd", "woman", password_hash="")
    left = new_colleague(
        "slutat@fk.demo.handledarportalen.se", "Sune Slutat", "man", password_hash=demo.password_hash, active=False
    )
    demo.session.add_all([invited, left])
    demo.session.flush()
    mails.send_link(demo.session, invited, TokenPurpose.INVITATION, SETTINGS)
    audit.record_change(demo.session, actor_id=coordinator.id, action="user.invite", detail=f"user={invited.id}")
    audit.record_change(demo.session, actor_id=coordinator.id, action="user.deactivate", detail=f"user={left.id}")
