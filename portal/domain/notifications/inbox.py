"""Telling people what happened: an in-app notification per user and an e-mail per user
through the outbox, both written in the transaction of the change they report.

E-mails leave the portal, so they say only what kind of thing happened, the referral's
number and a link: never a name, a personal identity number or anything about a
participant's health. The reader signs in to see the rest. Texts are rendered in each
recipient's language; the in-app list renders them again in the reader's current one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask_babel import force_locale
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from portal.domain import audit, reads
from portal.domain.calendar import ends_a_day, last_day
from portal.domain.notifications import outbox
from portal.domain.pagination import Page, paginate
from portal.i18n import lazy_gettext as _l
from portal.models import Notification, Offer, OfferState, Referral, Supervisor, User
from portal.models.base import utcnow

# kind -> (subject, body); both are formatted with the referral's `number`.
KINDS = {
    "offer_received": (
        _l("New referral offered to you (no. %(number)s)"),
        _l(
            "A referral (no. %(number)s) has been offered to you. Sign in to read it and answer whether you "
            "can take the placement."
        ),
    ),
    "offer_reminder": (
        _l("Reminder: the offer of referral no. %(number)s expires within a day"),
        _l("The offer of referral no. %(number)s to you expires within a day. Sign in to accept or decline it."),
    ),
    "offer_accepted": (
        _l("Offer accepted (referral no. %(number)s)"),
        _l("A supervisor has accepted the offer of referral no. %(number)s."),
    ),
    "offer_declined": (
        _l("Offer declined (referral no. %(number)s)"),
        _l("A supervisor has declined the offer of referral no. %(number)s."),
    ),
    "offer_expired": (
        _l("Offer expired (referral no. %(number)s)"),
        _l("The offer of referral no. %(number)s expired without an answer."),
    ),
    "placement_started": (
        _l("Placement started (referral no. %(number)s)"),
        _l("The placement for referral no. %(number)s has started."),
    ),
    "placement_ended": (
        _l("Placement ended (referral no. %(number)s)"),
        _l("The placement for referral no. %(number)s has ended."),
    ),
    "referral_withdrawn": (
        _l("Referral withdrawn (no. %(number)s)"),
        _l("Referral no. %(number)s has been withdrawn. An offer of it no longer applies."),
    ),
    "offer_withdrawn": (
        _l("Offer no longer open (referral no. %(number)s)"),
        _l("Another supervisor has accepted referral no. %(number)s, so the offer to you no longer applies."),
    ),
    "plan_submitted": (
        _l("A plan to approve (referral no. %(number)s)"),
        _l("The supervisor has sent the plan of referral no. %(number)s for your approval."),
    ),
    "plan_approved": (
        _l("Plan approved (referral no. %(number)s)"),
        _l("The caseworker has approved the plan of referral no. %(number)s."),
    ),
    "plan_returned": (
        _l("Plan sent back (referral no. %(number)s)"),
        _l("The caseworker has sent the plan of referral no. %(number)s back with a comment."),
    ),
    "meeting_booked": (
        _l("Meeting booked (referral no. %(number)s)"),
        _l("A meeting on referral no. %(number)s has been booked. The invitation is attached."),
    ),
    "meeting_changed": (
        _l("Meeting changed (referral no. %(number)s)"),
        _l("A meeting on referral no. %(number)s has been changed. The attached invitation updates your calendar."),
    ),
    "meeting_cancelled": (
        _l("Meeting cancelled (referral no. %(number)s)"),
        _l("A meeting on referral no. %(number)s has been cancelled. The attachment removes it from your calendar."),
    ),
    "attendance_deviation": (
        _l("Deviation in attendance (referral no. %(number)s)"),
        _l(
            "The supervisor has recorded a deviation in attendance on referral no. %(number)s: an unexplained "
            "absence, or absence on several days in a row. Sign in to see it and decide what to do."
        ),
    ),
    "new_message": (
        _l("New message (referral no. %(number)s)"),
        _l("There is a new message on referral no. %(number)s. Sign in to read it."),
    ),
    "progress_report": (
        _l("New progress report (referral no. %(number)s)"),
        _l("The supervisor has written a progress report on referral no. %(number)s. Sign in to read it."),
    ),
    # For plugins' reactions (`portal_transition_done`), e.g. telling a regional contact.
    "referral_needs_action": (
        _l("Referral no. %(number)s is waiting for you"),
        _l("Referral no. %(number)s has reached a step where you are asked to act. Sign in to see what to do."),
    ),
    "referral_no_offer": (
        _l("Referral no. %(number)s has had no offer for a long time"),
        _l(
            "Referral no. %(number)s has waited longer than the region's limit without an offer to a supervisor. "
            "Sign in to see why no supervisor is listed and what can be done."
        ),
    ),
}
ANSWERED_BY_DATE = {"offer_received", "offer_reminder"}

ANSWER_BY = _l("Answer by %(date)s.")
OPEN_REFERRAL = _l("Open it in the Supervisor Portal (sign-in required):")
OPEN_NOTIFICATIONS = _l("See your notifications in the Supervisor Portal (sign-in required):")
FOOTER = _l(
    "This message was sent automatically and contains no personal data; sign in to see the details. "
    "Please do not reply to it."
)


def notify(
    session: Session,
    *,
    recipients: Iterable[User],
    kind: str,
    referral_id: int | None,
    settings: Mapping,
    answer_by: datetime | None = None,
    calendar: Callable[[], str] | None = None,
) -> list[Notification]:
    """Write a notification for each recipient and queue an e-mail for each active one.

    Runs in the caller's transaction and commits nothing, so the notifications stand or
    fall with the change they report. `settings` gives BASE_URL, DEFAULT_LOCALE and
    MAIL_FROM (the app's config or the workflow engine's settings); texts are translated
    when an application context is active and stay English otherwise. For offers, the
    answer-by date is the open offer's expiry unless `answer_by` is given. `calendar`
    gives the iCalendar invitation sent with each e-mail, in the recipient's language.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}; known: {', '.join(KINDS)}")
    default_locale, sender, base_url = settings["DEFAULT_LOCALE"], settings["MAIL_FROM"], settings["BASE_URL"]
    now = utcnow()
    written = []
    seen: set[int] = set()
    for user in recipients:
        if id(user) in seen:
            continue
        seen.add(id(user))
        notification = Notification(user=user, kind=kind, referral_id=referral_id, created_at=now)
        session.add(notification)
        written.append(notification)
        if not (user.active and user.email):
            continue  # an account that cannot sign in has no use for a link
        deadline = answer_by
        if deadline is None and kind in ANSWERED_BY_DATE and referral_id is not None:
            deadline = _open_offer_expiry(session, referral_id, user)
        locale = user.locale or default_locale
        with force_locale(locale):
            subject, body = render_email(
                kind,
                referral_id,
                base_url,
                answer_by=deadline,
                locale=locale,
                timezone=settings.get("TIMEZONE", "Europe/Stockholm"),
            )
            invitation = calendar() if calendar else None
        outbox.queue(
            session,
            recipient=user.email,
            subject=subject,
            body_text=body,
            sender=sender,
            notification=notification,
            calendar=invitation,
        )
    return written


def subject_for(kind: str, referral_id: int | None) -> str:
    """The notification's one-line text in the current language (also the e-mail subject)."""
    texts = KINDS.get(kind)
    if texts is None:
        return kind  # a kind from a plugin that is no longer installed
    return str(texts[0]) % {"number": _number(referral_id)}


def render_email(
    kind: str,
    referral_id: int | None,
    base_url: str,
    *,
    answer_by: datetime | None = None,
    locale: str = "sv",
    timezone: str = "Europe/Stockholm",
) -> tuple[str, str]:
    """Subject and plain-text body in the current language; dates in `locale` and the
    portal's time zone (formatted with Babel directly, so no application is needed)."""
    paragraphs = [str(KINDS[kind][1]) % {"number": _number(referral_id)}]
    if answer_by is not None:
        if ends_a_day(answer_by, timezone):  # "fredag 5 december 2026": all of that day
            when = format_date(last_day(answer_by, timezone), "EEEE d MMMM y", locale=locale)
        else:
            when = format_datetime(answer_by, "d MMMM y HH:mm", tzinfo=ZoneInfo(timezone), locale=locale)
        paragraphs.append(str(ANSWER_BY) % {"date": when})
    base_url = base_url.rstrip("/")
    if referral_id is None:
        paragraphs.append(f"{OPEN_NOTIFICATIONS}\n{base_url}/notifications")
    else:
        paragraphs.append(f"{OPEN_REFERRAL}\n{base_url}/referrals/{referral_id}")
    paragraphs.append(f"-- \n{FOOTER}")
    return subject_for(kind, referral_id), "\n\n".join(paragraphs) + "\n"


_UNREAD = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
)


def unread_count(session: Session, user: User) -> int:
    """The user's unread notifications. The menu shows the count on every page: one
    statement built once (building it per request cost more CPU than running it)."""
    return reads.columns(session, _UNREAD, {"user_id": user.id}).scalar() or 0


def list_for(session: Session, user: User, page: int, per_page: int) -> Page:
    """The user's notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(session, query, page, per_page)


def mark_read(session: Session, user: User, notification_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Mark the user's own unread notifications among `notification_ids` read; how many.

    Ids of other users' notifications are ignored. Nothing is committed.
    """
    ids = {int(number) for number in notification_ids}
    if not ids:
        return 0
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.id.in_(ids), Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def opened(session: Session, actor: User, referral: Referral, action: str, detail: str | None = None) -> None:
    """`actor` opened a page about the referral or acted on it there: the read is audited
    (`action`) and what they were told about the referral has been seen."""
    audit.on_referral(session, actor, referral, action, detail)
    mark_read_about(session, actor, referral.id)


def mark_read_about(session: Session, user: User, referral_id: int, *, now: datetime | None = None) -> int:
    """Mark the user's unread notifications about a referral read: called where the user
    opens that referral or acts on it, so that what they have seen stops calling for
    them. Nothing is committed."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.referral_id == referral_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def _number(referral_id: int | None) -> str:
    return str(referral_id) if referral_id is not None else "–"


def _open_offer_expiry(session: Session, referral_id: int, user: User) -> datetime | None:
    return session.scalar(
        select(Offer.expires_at)
        .join(Supervisor, Offer.supervisor_id == Supervisor.id)
        .where(Offer.referral_id == referral_id, Supervisor.user_id == user.id, Offer.state == OfferState.OPEN)
    )
