"""Hand-over when someone leaves or changes team: what moves (`kinds`), what it would do
(`preview`), doing it (`services`) and the form. Re-exported so callers import one place."""

from dashboard.handover.kinds import KIND_KEYS, KINDS, Scope
from dashboard.handover.preview import (
    Preview,
    can_hand_over,
    default_successor,
    handover_preview,
    handover_url,
    require_hand_over,
    scope_for,
)
from dashboard.handover.services import handover_apply

__all__ = [
    "KINDS",
    "KIND_KEYS",
    "Preview",
    "Scope",
    "can_hand_over",
    "default_successor",
    "handover_apply",
    "handover_preview",
    "handover_url",
    "require_hand_over",
    "scope_for",
]
