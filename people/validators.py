"""Validators every app reuses for what people type."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

# Bidirectional overrides and isolates reorder what a reader sees ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def validate_single_line(value: str) -> None:
    """One line of text: no line breaks, tabs, NUL or other control characters, and no
    bidirectional overrides. For titles, names and other one-line fields, which end up in
    email subjects, headers and page titles where a newline breaks things."""
    bad = sorted(
        {c for c in value if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS}
    )
    if bad:
        shown = ", ".join(f"U+{ord(c):04X}" for c in bad[:3])
        raise ValidationError(
            "Use a single line without control characters (found %(chars)s).",
            code="control_characters",
            params={"chars": shown},
        )
