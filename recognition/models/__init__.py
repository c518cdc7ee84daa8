"""Recognition's models, split by concern; imports stay `from recognition.models import Kudos`."""

from recognition.models.badges import Badge, BadgeAward
from recognition.models.kudos import Kudos, KudosComment, KudosRecipient, Reaction, Wallet
from recognition.models.nominations import APPROVERS_GROUP, Award, Nomination
from recognition.models.praise import Praise, SuccessStory
from recognition.models.rewards import Redemption, Reward
from recognition.models.values import Value

__all__ = [
    "APPROVERS_GROUP",
    "Award",
    "Badge",
    "BadgeAward",
    "Kudos",
    "KudosComment",
    "KudosRecipient",
    "Nomination",
    "Praise",
    "Reaction",
    "Redemption",
    "Reward",
    "SuccessStory",
    "Value",
    "Wallet",
]
