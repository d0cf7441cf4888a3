"""What page handlers share around their domain call: the engine the portal runs, and a
page that records its read only once it has rendered.

A read writes its audit rows (and, for a conversation, how far it has been read) in the
request's transaction. Committing after the template has rendered means a page that
fails to render records no read that nobody saw.
"""

from __future__ import annotations

from flask import current_app, render_template

from portal.extensions import db


def engine():
    """The portal's `Engine`: workflows, plugin manager and settings."""
    return current_app.extensions["portal.engine"]


def read_page(template: str, status: int = 200, /, **context) -> tuple[str, int]:
    """`template` rendered with `context`, then the read's audit rows committed."""
    body = render_template(template, **context)
    db.session.commit()
    return body, status
