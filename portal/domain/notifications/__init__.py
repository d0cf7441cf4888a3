"""Telling people what happened: in-app notifications (`inbox`) and the e-mail outbox
(`outbox`), both written in the transaction of the change they report.

May use: the shared domain modules and `portal.models`.
"""

from portal.domain._moved import forwarder

__getattr__ = forwarder(__name__, "inbox")
