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


def clean_text(value: str, *, field: str, limit: int, label: str, required: bool = True) -> str:
    """What a service stores from a free-text field: `value` stripped, or a refusal naming
    `field` — empty (when `required`), longer than `limit`, or holding a NUL character
    (PostgreSQL cannot store one: a refusal here, not a database error later)."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: f"Write {label}."})
    if len(text) > limit:
        raise ValidationError({field: f"Keep {label} to {limit:,} characters ({len(text):,} now)."})
    if "\x00" in text:
        raise ValidationError({field: "This text holds a character that cannot be stored."})
    return text
