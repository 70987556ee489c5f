"""CSV cells that are safe to open in a spreadsheet: the search export and the agreements export
write every cell through :func:`csv_cell`."""

from __future__ import annotations

import re

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets
# (``-2+3+cmd|' /C calc'!A0``, ``=HYPERLINK(...)``); the full-width forms are read as the ASCII
# ones by some of them, and a leading tab, CR or LF is skipped before the formula is parsed.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = frozenset("\t\r\n")
# A spreadsheet opened with ';' or ',' as its separator (Vietnamese Excel uses ';') splits a cell
# there, so a formula after one ("VNPT; =HYPERLINK(...)") would start a cell of its own.
INNER_FORMULA = re.compile(r"([;,][\s\u00a0]*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])")


def csv_cell(value) -> str:
    """One CSV cell; lists joined by "; "; formula-looking text defused (OWASP: a leading '), at
    the start and after every ';' or ','."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = INNER_FORMULA.sub(r"\1'", "" if value is None else str(value))
    first, first_visible = text[:1], text.lstrip()[:1]
    if first and (first in CONTROL_STARTS or first_visible in FORMULA_STARTS):
        return "'" + text
    return text
