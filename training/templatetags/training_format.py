"""How training pages write a length of time: `duration` for minutes ("45 min", "1 h",
"1 h 30 min") and `hours` for decimal hours ("12 h", "1.5 h"), so an estimate reads the same
on every page; `breakable_url` lets a long link wrap after its slashes only."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_TENTH = Decimal("0.1")


@register.filter
def duration(minutes) -> str:
    """Whole minutes as "45 min", "1 h" or "1 h 30 min"; empty for anything else."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    if minutes < 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@register.filter
def hours(value) -> str:
    """Decimal hours to a tenth, without a trailing ".0": "12 h", "1.5 h"; empty for
    anything that is not a finite number."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    if not number.is_finite():
        return ""
    number = number.quantize(_TENTH, rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if text.endswith(".0"):
        text = text[:-2]
    if text == "-0":
        text = "0"
    return f"{text} h"


# After each slash that ends a part of the path, not inside "://".
_BREAK_AFTER = re.compile(r"(?<=/)(?!/)")


@register.filter
def breakable_url(url) -> SafeString:
    """`url` as text that wraps only between its parts (after a slash), each part kept on
    one line: a link printed on a certificate stays readable on a phone."""
    parts = [part for part in _BREAK_AFTER.split(str(url or "")) if part]
    if len(parts) > 1 and parts[0].endswith("://"):
        parts[:2] = [parts[0] + parts[1]]  # the scheme stays with the host
    return mark_safe(
        "<wbr>".join(f'<span class="url-part">{conditional_escape(part)}</span>' for part in parts)
    )
