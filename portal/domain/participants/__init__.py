"""Participants: registration and consent (`registration`), personal identity numbers
(`privacy`) and retention (`retention`).

May use: the shared domain modules and `portal.models`.
"""

from portal.domain._moved import forwarder

__getattr__ = forwarder(__name__, "registration")
