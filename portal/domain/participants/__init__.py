"""Participants: registration and consent (`registration`), personal identity numbers
(`privacy`), retention (`retention`) and removing a registration made by mistake
(`mistaken`).

May use: the shared domain modules and `portal.models`.
"""

from portal.domain._moved import forwarder

__getattr__ = forwarder(__name__, "registration")
