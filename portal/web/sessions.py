"""How long a sign-in lasts, and how it is ended everywhere at once.

The session is Flask's signed cookie, which holds no personal data: the user's id, the
account's *session generation* at sign-in, the sign-in time and the time of the last
request. On every request the loader checks all three against the server's state:

- the generation must still equal the account's: signing out, a new password, being
  deactivated or a change of role raises it, so a cookie copied before any of these is
  worthless from then on, on every host (the check is one column of the row that is
  loaded anyway; no session store to share between hosts);
- no more than `SESSION_IDLE_MINUTES` (30) since the last request (the clock is written
  into the cookie at most once a minute, `CLOCK_STEP`: a cookie re-signed and sent on
  every response cost a few per cent of a page's CPU; the page tells the idle warning
  how long is left by that clock, so the warning stays exact);
- no more than `SESSION_LIFETIME_HOURS` (10) since sign-in.

We chose this over a server-side session store (Flask-Session): a store must be found by
user to end "every session of this person", which Flask-Session does not index, and
the generation gives the same guarantee with no extra table, cleaning or Redis. The
price: signing out on one device signs the person out on their other devices too.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, session

from portal.models import User

GENERATION = "generation"
SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
WARN_BEFORE_SECONDS = 120
CLOCK_STEP = 60  # seconds: the idle clock moves (and the cookie is re-sent) at most this often


def begin(user: User) -> None:
    """Called right after `login_user`: fix the generation and start both clocks."""
    now = int(time.time())
    session.permanent = True
    session[GENERATION] = user.session_generation or 0
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def still_valid(user: User | None) -> bool:
    """Whether this request's session may go on as `user`; refreshes the idle clock."""
    if user is None or not user.active:
        return False
    now = int(time.time())
    config = current_app.config
    if session.get(GENERATION) != (user.session_generation or 0):
        return False
    if now - int(session.get(SEEN_AT, 0)) > config["SESSION_IDLE_MINUTES"] * 60:
        return False
    if now - int(session.get(SIGNED_IN_AT, 0)) > config["SESSION_LIFETIME_HOURS"] * 3600:
        return False
    if now - int(session.get(SEEN_AT, 0)) >= CLOCK_STEP:
        session[SEEN_AT] = now
    return True


def restart_idle_clock() -> None:
    """The idle clock from now, whatever its step (the warning's "stay signed in")."""
    session[SEEN_AT] = int(time.time())


def end_everywhere(user: User) -> None:
    """End every session of `user` (in the caller's transaction)."""
    user.session_generation = (user.session_generation or 0) + 1


def register(app: Flask) -> None:
    @app.context_processor
    def session_clock() -> dict:
        """For the idle warning (static/session.js): the idle time, the seconds left of it
        by the clock the cookie holds, and how long before the end to warn."""
        idle = app.config["SESSION_IDLE_MINUTES"] * 60
        left = idle - max(0, int(time.time()) - int(session.get(SEEN_AT, time.time())))
        return {
            "session_idle_seconds": idle,
            "session_idle_left": left,
            "session_warn_seconds": min(WARN_BEFORE_SECONDS, idle // 2),
        }
