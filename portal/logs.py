"""Log records that cannot carry a personal identity number.

The portal never formats an identity number into a message, but an exception raised
deep in a library might quote one back. Every log record in the process is built by
`RedactingLogRecord`, which replaces anything shaped like a personnummer or
samordningsnummer in the message and in the traceback text before any handler sees it.
"""

from __future__ import annotations

import json
import logging
import re
import time

IDENTITY_NUMBER = re.compile(r"(?<![\d])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d])")
REPLACEMENT = "[personnummer]"


def redact(text: str) -> str:
    return IDENTITY_NUMBER.sub(REPLACEMENT, text)


class RedactingLogRecord(logging.LogRecord):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.exc_info and not self.exc_text:
            self.exc_text = redact(logging.Formatter().formatException(self.exc_info))

    def getMessage(self) -> str:
        return redact(super().getMessage())


def install() -> None:
    """Make every logger in the process build redacting records (idempotent)."""
    if logging.getLogRecordFactory() is not RedactingLogRecord:
        logging.setLogRecordFactory(RedactingLogRecord)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log collector: time (UTC), level, logger, message
    and the traceback, each already redacted by `RedactingLogRecord`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info or record.exc_text:
            entry["exception"] = record.exc_text or redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


def use_format(kind: str) -> None:
    """`json`: the root logger writes JSON lines to standard error (replacing its
    handlers); `text` leaves logging as Flask and the server set it up."""
    if kind != "json":
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    if root.level == logging.WARNING:
        root.setLevel(logging.INFO)
    from flask.logging import default_handler

    logging.getLogger("portal").removeHandler(default_handler)
