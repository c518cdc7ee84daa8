"""What every CSV download shares: cells a spreadsheet shows as text."""

from __future__ import annotations

# A cell starting with one of these is a formula to a spreadsheet (CSV injection); tab and
# carriage return too, as some spreadsheets drop them and read what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """`value` as a cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
