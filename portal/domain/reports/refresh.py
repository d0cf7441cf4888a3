"""Reports kept in step with the data: a closed period's report read recently is built
again after a write touches its period, so that its next reader finds its figures
stored (`reports.stored`) rather than waiting for every statement in a web request.

The worker (`portal worker`, or `portal reports refresh` from cron) calls `refresh`: it
takes the kept reports (`reports.kept`) that a change logged since their mark made
stale and builds each as its reader did, held to the reader's scope, with no one
signed in. The build stores what it computed exactly as a reader's build would, by
the same mark taken before its statements: a write committed while it runs leaves the
figures and the kept report stale, and the next round builds them again.
"""

from __future__ import annotations

import json
import logging
from datetime import date

from sqlalchemy import delete
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from portal.domain.access import ReportScope
from portal.domain.referrals.transitions import Refused
from portal.domain.reports import catalogue, kept, stored
from portal.domain.transactions import begin_write
from portal.models import KeptReport

log = logging.getLogger(__name__)


def refresh(session: Session, offered: catalogue.Catalogue, today: date, zone: str, limit: int = 5) -> tuple[int, bool]:
    """Build again at most `limit` stale kept reports, last read first; each in a
    transaction of its own, ended, as is the read that finds them. Returns (reports
    built, whether more are stale). A report no longer offered, or whose parameters no
    longer parse (a region removed), is forgotten, and so is one whose build fails
    (logged) but for the database's trouble, which the worker's loop reports and tries
    again."""
    found = stored.stale(session, today, limit=limit + 1)
    session.rollback()  # a read ended: on SQLite the next one sees what is committed by then
    built = 0
    for key, build in list(found.items())[:limit]:
        if _built(session, offered, build, today, zone):
            built += 1
        else:
            begin_write(session)
            session.execute(delete(KeptReport).where(KeptReport.key == key))
        session.commit()
    return built, len(found) > limit


def _built(session: Session, offered: catalogue.Catalogue, build: kept.Build, today: date, zone: str) -> bool:
    known = offered.reports.get(build.identifier)
    if known is None:
        return False
    scope = ReportScope(build.region_id, build.authority_id)
    values, errors = catalogue.parse(session, known.report, json.loads(build.parameters), scope, today, zone)
    if errors:
        return False
    with kept.reading(session, build):
        try:
            catalogue.build(session, known, values, scope)
        except Refused:  # no longer held to its scope
            return False
        except (OperationalError, InterfaceError):  # the database's trouble: the worker tries again
            raise
        except Exception:  # a report's own fault must not stop the worker, nor its e-mail
            session.rollback()
            log.exception("report %s could not be built again; forgotten until read again", build.identifier)
            return False
    return True
