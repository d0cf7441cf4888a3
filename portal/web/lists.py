"""/referrals and the CSV downloads of the lists (the participants' list page is in
`web.participants`); the filters come from the query string and anything malformed in
it is left out, never an error; a page number beyond what the database holds is 404
(`forms.page_number`)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.domain import access, lists, reads
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Authority, Municipality, Role

from .forms import page_number, query_date, query_id
from .pages import engine, read_page

blueprint = Blueprint("lists", __name__)

SORT_LABELS = {
    "submitted": _l("Newest submitted first"),
    "oldest": _l("Oldest submitted first"),
    "number": _l("By number"),
    "state": _l("By status"),
    "name": _l("By family name"),
    "newest": _l("Newest registered first"),
    "municipality": _l("By municipality"),
}


def _id(name: str) -> int | None:
    return query_id(name) or None  # 0 is no row either: the filter is left out


def filters() -> lists.ListFilters:
    return lists.ListFilters(
        search=request.args.get("q", "")[:100],
        state=request.args.get("state", "")[:40],
        municipality_id=_id("municipality"),
        authority_id=_id("authority"),
        supervisor_id=_id("supervisor"),
        submitted_from=query_date("from"),
        submitted_to=query_date("to"),
        sort=request.args.get("sort", "")[:20],
    )


_MUNICIPALITIES = select(Municipality.id, Municipality.name).order_by(Municipality.name)
_AUTHORITIES = select(Authority.id, Authority.name).order_by(Authority.name)


def choices() -> dict:
    """The filters' lists: municipalities and authorities (two small queries: their ids and
    names, as rows), and the orders' names."""
    return {
        "sort_labels": SORT_LABELS,
        "municipalities": reads.columns(db.session, _MUNICIPALITIES).all(),
        "authorities": reads.columns(db.session, _AUTHORITIES).all()
        if current_user.role in (Role.ADMIN, Role.COORDINATOR)
        else [],
    }


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}", "Cache-Control": "no-store"},
    )


@blueprint.get("/referrals")
@login_required
def referrals():
    chosen = filters()
    timezone = current_app.config["TIMEZONE"]
    listing = lists.referrals(
        db.session, current_user._get_current_object(), chosen, page_number(), current_app.config["PAGE_SIZE"], timezone
    )
    return read_page("lists/referrals.html", listing=listing, filters=chosen, sorts=lists.REFERRAL_SORTS, **choices())


@blueprint.get("/referrals.csv")
@login_required
def referrals_csv():
    registry = engine().registry
    text = lists.referrals_csv(
        db.session,
        current_user,
        filters(),
        current_app.config["TIMEZONE"],
        lambda state: str(registry.state_label(state)),
    )
    db.session.commit()
    return _csv(text, "referrals.csv")


@blueprint.get("/participants.csv")
@login_required
def participants_csv():
    if not access.may_list_participants(current_user):
        abort(403)
    text = lists.participants_csv(db.session, current_user, filters())
    db.session.commit()
    return _csv(text, "participants.csv")
