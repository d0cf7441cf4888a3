"""The written 3R analysis (Realia) of a region's period: read the latest version, its
history, and save a new version. Versions are never changed or removed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from portal.domain import access
from portal.domain.errors import InvalidInput
from portal.domain.referrals.transitions import Refused
from portal.domain.reports.catalogue import PERIOD_CODE
from portal.i18n import lazy_gettext as _
from portal.models import RealiaAnalysis, Region, User

LONGEST = 20_000


def history(session: Session, region_id: int, period: str) -> list[RealiaAnalysis]:
    """Every version, newest first, with its author (one query)."""
    return list(
        session.scalars(
            select(RealiaAnalysis)
            .options(joinedload(RealiaAnalysis.author))
            .where(RealiaAnalysis.region_id == region_id, RealiaAnalysis.period == period)
            .order_by(RealiaAnalysis.version.desc())
        )
    )


def latest(session: Session, region_id: int, period: str) -> RealiaAnalysis | None:
    found = history(session, region_id, period)
    return found[0] if found else None


def write(session: Session, actor: User, region: Region, period: str, text: str) -> RealiaAnalysis:
    """Save `text` as the next version; the same text as the latest adds nothing.

    Two people saving at once: the second is refused (409) and asked to reload, so that
    nobody's version silently replaces one they have not read.
    """
    if not access.may_write_analysis(actor, region.id):
        raise Refused(_("Only the region's coordinators write its analysis."), 403)
    text = (text or "").strip()
    if not PERIOD_CODE.match(period or ""):
        raise InvalidInput({"period": _("Not a valid period.")})
    if not text:
        raise InvalidInput({"text": _("Write the analysis first.")})
    if len(text) > LONGEST:
        raise InvalidInput({"text": _("At most %(count)d characters.", count=LONGEST)})
    current = session.scalar(
        select(func.max(RealiaAnalysis.version)).where(
            RealiaAnalysis.region_id == region.id, RealiaAnalysis.period == period
        )
    )
    previous = latest(session, region.id, period) if current else None
    if previous is not None and previous.text == text:
        return previous
    analysis = RealiaAnalysis(
        region_id=region.id, period=period, version=(current or 0) + 1, text=text, author_id=actor.id
    )
    session.add(analysis)
    try:
        session.flush()
    except IntegrityError as error:
        raise Refused(_("Someone saved the analysis at the same time. Reload the page and try again."), 409) from error
    return analysis
