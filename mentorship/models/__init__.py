"""Mentorship's models, split by concern; imports stay `from mentorship.models import Pairing`."""

from mentorship.models.pairings import MentorRequest, Pairing, PairingFeedback
from mentorship.models.plans import ActionItem, Goal, Meeting, Milestone
from mentorship.models.profiles import (
    MentoringProfile,
    TaggedDevelopSkill,
    TaggedMentoringTopic,
)
from mentorship.models.programs import MilestoneTemplate, Participation, Program

__all__ = [
    "ActionItem",
    "Goal",
    "Meeting",
    "MentorRequest",
    "MentoringProfile",
    "Milestone",
    "MilestoneTemplate",
    "Pairing",
    "PairingFeedback",
    "Participation",
    "Program",
    "TaggedDevelopSkill",
    "TaggedMentoringTopic",
]
