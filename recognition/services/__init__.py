"""Recognition's writes, split by concern; imports stay `from recognition.services import …`."""

from recognition.services.badges import badges_award
from recognition.services.kudos import (
    comment_add,
    kudos_give,
    kudos_remove,
    kudos_report,
    kudos_restore,
    reaction_toggle,
    wallet_locked,
)
from recognition.services.nominations import (
    nomination_approve,
    nomination_create,
    nomination_reject,
)
from recognition.services.praise import praise_record, story_article_draft, story_create
from recognition.services.rewards import redemption_approve, redemption_decline, reward_redeem

__all__ = [
    "badges_award",
    "comment_add",
    "kudos_give",
    "kudos_remove",
    "kudos_report",
    "kudos_restore",
    "nomination_approve",
    "nomination_create",
    "nomination_reject",
    "praise_record",
    "reaction_toggle",
    "redemption_approve",
    "redemption_decline",
    "reward_redeem",
    "story_article_draft",
    "story_create",
    "wallet_locked",
]
