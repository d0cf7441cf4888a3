"""Log records that cannot carry a personal identity number.

The portal never formats an identity number into a message, but an exception raised
deep in a library might quote one back. Every log record in the process is built by
`RedactingLogRecord`, which replaces anything shaped like a personnummer or
samordningsnummer in the message and in the traceback text before any handler sees it.
"""

from __future__ import annotations

import logging
import re

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
