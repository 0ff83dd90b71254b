"""Text cells a spreadsheet would run as a formula, made inert (OWASP's CSV injection rule).

A cell that starts with = + - @, a tab or a carriage return is read by Excel, LibreOffice and Google Sheets
as a formula, so a nickname such as `=HYPERLINK(...)` would run on the teacher's machine. Such a cell is
prefixed with a single quote, which spreadsheets show as text. Numbers (−12.5, 1e-07) stay numbers.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """The value as the export should write it: text that could start a formula gets a leading quote."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or NUMBER.fullmatch(value):
        return value
    return "'" + value
