"""Translated messages that stay safe in a page whatever is interpolated into them.

Flask-Babel's lazy strings tell Jinja they are already safe HTML (`__html__` returns the
text as it is), so a lazily translated message with a value interpolated —
``_("No plugin named %(name)s.", name=request.args["plugin"])`` — put the value's
markup into the page unescaped. `lazy_gettext` here is Flask-Babel's, except that in a
page (`__html__`) the translated text and every interpolated value are escaped; as
plain text (`str()`: mail, files, logs) it reads as before. Every module of the portal
and of its plugins imports its lazy translations from here (a test makes sure).
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

__all__ = ["SafeLazyString", "lazy_gettext"]


class SafeLazyString(LazyString):
    """A lazily translated message whose HTML form escapes what was put into it."""

    def __init__(self, string: str, **variables):
        super().__init__(gettext, string, **variables)
        self._string = string
        self._variables = variables

    def __html__(self) -> Markup:
        template = Markup(escape(gettext(self._string)))
        return template % self._variables if self._variables else template


def lazy_gettext(string: str, **variables) -> SafeLazyString:
    """`flask_babel.lazy_gettext`, escaping interpolated values when shown in a page."""
    return SafeLazyString(string, **variables)
