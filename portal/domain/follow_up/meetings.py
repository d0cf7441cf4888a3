"""Meetings on a placement: a start meeting, a three-party meeting (participant,
caseworker and supervisor) or a follow-up, booked with a time and a place or a video
link, and recorded afterwards with who attended, notes and agreed actions.

Booking, changing and cancelling send the caseworker and the supervisor an e-mail
through the outbox with a calendar invitation (`calendar_files`): a change or a
cancellation carries the same UID and the next SEQUENCE, so calendars update the event
they already have. Writers lock the referral first (`domain.transactions`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.access import FollowUpAction
from portal.domain.errors import InvalidInput
from portal.domain.follow_up import calendar_files
from portal.domain.follow_up.plans import visible_referral
from portal.domain.notifications import inbox
from portal.domain.referrals import fields
from portal.domain.referrals.fields import ReferralField
from portal.domain.referrals.steps import count_rows
from portal.domain.referrals.transitions import Refused, TransitionContext
from portal.domain.vocabulary import MEETING_ATTENDEES, MEETING_KINDS
from portal.i18n import lazy_gettext as _
from portal.models import RUNNING_PLACEMENT_STATES, Meeting, MeetingKind, Referral, User
from portal.models.base import utcnow


@dataclass(frozen=True)
class MeetingDetails:
    """What is booked: the kind, the local day and time, the length in minutes (15-480),
    and a place or a video link (https) or both."""

    kind: str
    day: date | None
    at: time | None
    minutes: int | None
    place: str = ""
    video_url: str = ""


@dataclass
class MeetingsPage:
    referral: Referral
    meetings: list[Meeting]  # soonest first
    may_act: bool
    now: datetime


def _zone(settings) -> ZoneInfo:
    return ZoneInfo(settings.get("TIMEZONE", "Europe/Stockholm"))


def local_start(meeting: Meeting, settings) -> datetime:
    """When the meeting starts, in the portal's time zone (what the forms show)."""
    return meeting.starts_at.astimezone(_zone(settings))


KIND = ReferralField("kind", _("Kind of meeting"), kind="choice", required=True, choices=tuple(MEETING_KINDS.items()))
DAY = ReferralField("day", _("Date"), kind="date", required=True)


def _checked(details: MeetingDetails, settings, now: datetime) -> datetime:
    """The meeting's start (UTC), or `InvalidInput` naming every bad field. The kind and
    the day are checked as every structured field is (`fields.value`)."""
    errors: dict[str, object] = {}
    for item, raw, message in (
        (KIND, details.kind, _("Choose the kind of meeting.")),
        (DAY, details.day, _("Enter the date of the meeting.")),
    ):
        try:
            fields.value(item, raw, message=message)
        except ValueError as error:
            errors[item.name] = error.args[0]
    if details.at is None:
        errors["at"] = _("Enter the time of the meeting.")
    if details.minutes is None or not 15 <= details.minutes <= 480:
        errors["minutes"] = _("A meeting lasts from 15 to 480 minutes.")
    place, video = details.place.strip(), details.video_url.strip()
    if not place and not video:
        errors["place"] = _("Give a place, a video link, or both.")
    elif len(place) > 300:
        errors["place"] = _("At most 300 characters.")
    if video and (not video.startswith("https://") or len(video) > 500 or " " in video):
        errors["video_url"] = _("Give the video link as an address starting with https://.")
    starts_at = None
    if "day" not in errors and details.at is not None:
        starts_at = datetime.combine(details.day, details.at, tzinfo=_zone(settings)).astimezone(UTC)
        if starts_at <= now:
            errors["day"] = _("A meeting cannot be booked in the past.")
    if errors:
        raise InvalidInput(errors)
    return starts_at


def _may_act(actor: User, referral: Referral) -> bool:
    if not access.may_on_follow_up(actor, FollowUpAction.MEETINGS):
        return False
    return actor.role != "supervisor" or referral.placement.supervisor.user_id == actor.id


def load(session: Session, actor: User, referral_id: int) -> MeetingsPage:
    """The meetings page's data; an audited read."""
    referral = visible_referral(session, actor, referral_id)
    meetings = list(
        session.scalars(select(Meeting).where(Meeting.referral_id == referral_id).order_by(Meeting.starts_at))
    )
    audit.on_referral(session, actor, referral, "meeting.view")
    return MeetingsPage(
        referral, meetings, _may_act(actor, referral) and referral.placement.state in RUNNING_PLACEMENT_STATES, utcnow()
    )


def load_one(session: Session, actor: User, referral_id: int, meeting_id: int) -> tuple[MeetingsPage, Meeting]:
    """The meetings page's data and one meeting that `actor` may still change."""
    page = load(session, actor, referral_id)
    if not page.may_act:
        raise Refused(_("Only the placement's caseworkers and its supervisor handle its meetings."), 403)
    return page, _meeting(session, page.referral, meeting_id)


def _writable(session: Session, actor: User, referral_id: int) -> Referral:
    referral = visible_referral(session, actor, referral_id, lock=True)
    if not _may_act(actor, referral):
        raise Refused(_("Only the placement's caseworkers and its supervisor handle its meetings."), 403)
    return referral


def _meeting(session: Session, referral: Referral, meeting_id: int, *, open_only: bool = True) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.referral_id != referral.id:
        raise Refused(_("There is no such meeting."), 404)
    if open_only and (meeting.cancelled_at is not None or meeting.recorded_at is not None):
        raise Refused(_("The meeting has already been held or cancelled."), 409)
    return meeting


def _invite(session: Session, settings, referral: Referral, meeting: Meeting, kind: str) -> None:
    """Tell the caseworker and the supervisor, each e-mail with the invitation."""
    people = [referral.caseworker, referral.placement.supervisor.user]
    addresses = tuple(user.email for user in people if user.active and user.email)
    url = f"{settings['BASE_URL'].rstrip('/')}/referrals/{referral.id}/meetings"

    def invitation() -> str:
        event = calendar_files.Event(
            uid=meeting.uid,
            sequence=meeting.sequence,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            summary=str(_("%(kind)s, referral no. %(number)s", kind=MEETING_KINDS[meeting.kind], number=referral.id)),
            location=meeting.place or meeting.video_url or "",
            url=url,
            organizer=settings["MAIL_FROM"],
            attendees=addresses,
            stamp=utcnow(),
        )
        return calendar_files.calendar(event, cancel=kind == "meeting_cancelled")

    inbox.notify(session, recipients=people, kind=kind, referral_id=referral.id, settings=settings, calendar=invitation)


def _apply(meeting: Meeting, details: MeetingDetails, starts_at: datetime) -> None:
    meeting.kind, meeting.starts_at, meeting.minutes = details.kind, starts_at, details.minutes
    meeting.place = details.place.strip() or None
    meeting.video_url = details.video_url.strip() or None


def book(session: Session, settings, actor: User, referral_id: int, details: MeetingDetails) -> Meeting:
    """Book a meeting and send the invitations. The caller commits."""
    referral = _writable(session, actor, referral_id)
    if referral.placement.state not in RUNNING_PLACEMENT_STATES:
        raise Refused(_("Meetings are booked while the placement is planned or running."), 409)
    starts_at = _checked(details, settings, utcnow())
    domain = parseaddr(settings["MAIL_FROM"])[1].rpartition("@")[2] or "handledarportalen.invalid"
    meeting = Meeting(referral_id=referral.id, uid=f"{uuid.uuid4().hex}@{domain}", sequence=0, booked_by_id=actor.id)
    _apply(meeting, details, starts_at)
    session.add(meeting)
    session.flush()
    _invite(session, settings, referral, meeting, "meeting_booked")
    audit.on_referral(session, actor, referral, "meeting.book", detail=str(meeting.id))
    return meeting


def change(
    session: Session, settings, actor: User, referral_id: int, meeting_id: int, details: MeetingDetails
) -> Meeting:
    """Move or change a booked meeting; the invitation is sent again (same UID, next SEQUENCE)."""
    referral = _writable(session, actor, referral_id)
    meeting = _meeting(session, referral, meeting_id)
    starts_at = _checked(details, settings, utcnow())
    _apply(meeting, details, starts_at)
    meeting.sequence += 1
    _invite(session, settings, referral, meeting, "meeting_changed")
    audit.on_referral(session, actor, referral, "meeting.change", detail=str(meeting.id))
    return meeting


def cancel(session: Session, settings, actor: User, referral_id: int, meeting_id: int) -> Meeting:
    """Cancel a booked meeting: METHOD:CANCEL under the same UID, next SEQUENCE."""
    referral = _writable(session, actor, referral_id)
    meeting = _meeting(session, referral, meeting_id)
    meeting.cancelled_at = utcnow()
    meeting.sequence += 1
    _invite(session, settings, referral, meeting, "meeting_cancelled")
    audit.on_referral(session, actor, referral, "meeting.cancel", detail=str(meeting.id))
    return meeting


def record(
    session: Session,
    actor: User,
    referral_id: int,
    meeting_id: int,
    *,
    attended: list[str],
    notes: str,
    agreed_actions: str,
) -> Meeting:
    """Record a meeting that has begun: who attended, notes and agreed actions."""
    referral = _writable(session, actor, referral_id)
    meeting = _meeting(session, referral, meeting_id)
    errors: dict[str, object] = {}
    if meeting.starts_at > utcnow():
        errors["attended"] = _("A meeting is recorded once it has begun.")
    elif not attended or set(attended) - set(MEETING_ATTENDEES):
        errors["attended"] = _("Say who attended.")
    if len(notes or "") > 4000:
        errors["notes"] = _("At most 4000 characters.")
    if len(agreed_actions or "") > 4000:
        errors["agreed_actions"] = _("At most 4000 characters.")
    if errors:
        raise InvalidInput(errors)
    meeting.recorded_at = utcnow()
    meeting.attended = [code for code in MEETING_ATTENDEES if code in attended]
    meeting.notes = (notes or "").strip() or None
    meeting.agreed_actions = (agreed_actions or "").strip() or None
    audit.on_referral(session, actor, referral, "meeting.record", detail=str(meeting.id))
    return meeting


def three_party_meeting_recorded(ctx: TransitionContext):
    """Guard: a three-party meeting of the referral has been held and recorded."""
    held = count_rows(
        ctx,
        Meeting,
        Meeting.referral_id == ctx.referral.id,
        Meeting.kind == MeetingKind.THREE_PARTY,
        Meeting.recorded_at.is_not(None),
    )
    if not held:
        return _("Record the three-party meeting on the placement's meetings page first.")
    return None
