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

from flask import Flask, g
from flask_babel import get_locale, get_translations, gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

__all__ = ["SafeLazyString", "install", "lazy_gettext", "translations"]


def translations():
    """This request's catalogue (Flask-Babel's `get_translations()`), found once per request.

    Flask-Babel finds it anew for every message: its context on `g` three times, the
    locale, the locale's name as a cache key; that was a few per cent of a page's CPU
    (about sixty messages a page; bench/README.md, pages). The catalogue is kept beside
    Flask-Babel's locale in its request context, with the locale it was found for: a
    `force_locale` block (a mail in the recipient's language) or a `refresh()` changes
    that locale, and the catalogue is found again."""
    try:
        context = g._flask_babel
        locale, found = context.portal_translations
        if locale is context.babel_locale:
            return found
    except (AttributeError, RuntimeError):  # not yet this request, or outside a request
        pass
    found = get_translations()
    if g:
        g._flask_babel.portal_translations = (get_locale(), found)
    return found


def install(app: Flask) -> None:
    """Templates translate through `translations()` (installed after Flask-Babel's own)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: translations().ugettext(string),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )


class SafeLazyString(LazyString):
    """A lazily translated message whose HTML form escapes what was put into it."""

    def __init__(self, string: str, **variables):
        super().__init__(gettext, string, **variables)
        self._string = string
        self._variables = variables

    def __html__(self) -> Markup:
        template = Markup(escape(translations().ugettext(self._string)))
        return template % self._variables if self._variables else template


def lazy_gettext(string: str, **variables) -> SafeLazyString:
    """`flask_babel.lazy_gettext`, escaping interpolated values when shown in a page."""
    return SafeLazyString(string, **variables)
