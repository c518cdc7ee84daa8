"""Reads for the home page: one selector per section, each a fixed number of queries
whatever the amount of data, returning plain results (lists, frozen sections)."""

from dashboard.selectors.articles import (
    POPULAR_DAYS,
    Recommended,
    recommended_articles,
    review_queue,
    review_queue_count,
    verification_due_owned,
)
from dashboard.selectors.below import (
    KUDOS_DAYS,
    MyRecognition,
    my_recognition,
    recent_notifications,
    teammates,
    upcoming_sessions,
)
from dashboard.selectors.common import SHOWN, Group, Item, Section, Urgency
from dashboard.selectors.today import Today, what_needs_me

__all__ = [
    "KUDOS_DAYS",
    "POPULAR_DAYS",
    "SHOWN",
    "Group",
    "Item",
    "MyRecognition",
    "Recommended",
    "Section",
    "Today",
    "Urgency",
    "my_recognition",
    "recent_notifications",
    "recommended_articles",
    "review_queue",
    "review_queue_count",
    "teammates",
    "upcoming_sessions",
    "verification_due_owned",
    "what_needs_me",
]
