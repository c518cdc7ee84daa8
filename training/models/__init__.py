"""Training's models, split by concern (DESIGN.md: a file past ~500 lines becomes a package);
imports stay `from training.models import Track`."""

from training.models.crosstraining import ExternalLearning, Rotation
from training.models.learning import Enrolment, QuizAttempt, StepCompletion
from training.models.sessions import CalendarFeed, Session, SessionSignup
from training.models.tracks import QuizOption, QuizQuestion, TaggedTrackSkill, Track, TrackStep

__all__ = [
    "CalendarFeed",
    "Enrolment",
    "ExternalLearning",
    "QuizAttempt",
    "QuizOption",
    "QuizQuestion",
    "Rotation",
    "Session",
    "SessionSignup",
    "StepCompletion",
    "TaggedTrackSkill",
    "Track",
    "TrackStep",
]
