"""Recognition's writes, split by concern; imports stay `from recognition.services import …`."""

from recognition.services.kudos import (
    comment_add,
    kudos_give,
    kudos_remove,
    kudos_report,
    kudos_restore,
    reaction_toggle,
    wallet_locked,
)

__all__ = [
    "comment_add",
    "kudos_give",
    "kudos_remove",
    "kudos_report",
    "kudos_restore",
    "reaction_toggle",
    "wallet_locked",
]
