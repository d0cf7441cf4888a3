"""Calendar invitations (iCalendar, RFC 5545 and iTIP, RFC 5546) for meetings.

An invitation is ``METHOD:REQUEST``; a change is sent again with the same UID and a
higher SEQUENCE, so the receiving calendar moves the event it already has; a
cancellation is ``METHOD:CANCEL`` with ``STATUS:CANCELLED``. Times are written in UTC
(the ``Z`` form), which every calendar converts to its own zone. Like every e-mail the
portal sends, an invitation names no person: the summary says which referral it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr

PRODUCT = "-//Handledarportalen//Meetings//SV"


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    url: str
    organizer: str  # the portal's sender address ("Name <address>")
    attendees: tuple[str, ...]  # e-mail addresses
    stamp: datetime


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF and a space (RFC 5545, 3.1),
    never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(event: Event, *, cancel: bool = False) -> str:
    """The whole ``.ics`` text, CRLF line ends."""
    organizer = parseaddr(event.organizer)[1]
    lines: Iterable[str] = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODUCT}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancel else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_moment(event.stamp)}",
        f"DTSTART:{_moment(event.starts_at)}",
        f"DTEND:{_moment(event.ends_at)}",
        f"SUMMARY:{escape(event.summary)}",
        f"LOCATION:{escape(event.location)}",
        f"URL:{event.url}",
        f"ORGANIZER:mailto:{organizer}",
        *(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{address}" for address in event.attendees),
        f"STATUS:{'CANCELLED' if cancel else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
