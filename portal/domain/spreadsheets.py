"""Spreadsheet-safe text: what every CSV or XLSX the portal writes passes through.

Text people wrote (names, notes, an analysis, a plugin's labels) reaches cells of
downloaded files; a spreadsheet program runs a cell that starts like a formula.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Text a spreadsheet program would run as a formula (OWASP's list: = + - @ tab CR).
    Only text: a negative number is a number."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralised(text: str) -> str:
    """A text cell a spreadsheet cannot run: a leading apostrophe before text that starts
    like a formula (what OWASP advises for CSV); other text as it is. Text people
    wrote (an analysis, a plugin's labels) reaches report cells, so every list-style
    format that is opened in a spreadsheet writes its cells through this or, where the
    format has cell types (XLSX), stores such text as a string cell."""
    return f"'{text}" if is_formula_like(text) else text
