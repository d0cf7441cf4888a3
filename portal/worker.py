"""The background worker's loop: run periodic tasks until a stop signal.

`portal worker` runs every periodic task (expire offers, send reminders, drain the
e-mail outbox, build again the reports a write made stale); `portal outbox send --loop`
runs only the outbox. A stop signal lets the current task finish; a database error is
reported and the loop carries on, so a database restart does not end the worker.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError


@dataclass
class Outcome:
    """What one run of a task did: a line to report, whether it changed anything (the
    loop reports only changes), and whether more is waiting (the loop goes on at once)."""

    line: str
    changed: bool = False
    more: bool = False


def run(
    tasks: list[Callable[[], Outcome]],
    *,
    interval: float,
    echo: Callable[[str], None],
    on_database_error: Callable[[], None],
) -> None:
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        while not stop.is_set():
            more = False
            for task in tasks:
                try:
                    outcome = task()
                except SQLAlchemyError as error:
                    on_database_error()
                    echo(f"Database error, trying again in {interval:g} s: {type(error).__name__}")
                    continue
                if outcome.changed:
                    echo(outcome.line)
                more = more or outcome.more
            if not more:
                stop.wait(interval)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
