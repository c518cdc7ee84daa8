"""What questions add to a person's profile (`people.hooks`): how many answers they gave, how
many of them were accepted, and their latest accepted answers. Only answers to questions the
viewer may read count or show: a restricted question's title never reaches a colleague who
may not open it, nor does its answer add to a figure."""

from __future__ import annotations

from django.db.models import Count, Q

from people.hooks import ProfileSection, profile_section
from questions.models import Answer

SHOWN = 3


@profile_section("questions.answers", order=20)
def answers(viewer, person) -> ProfileSection | None:
    """The "Questions" section; nothing on a colleague's profile when they answered nothing
    the viewer may read (one's own profile always shows it, with where to start). One query
    for the figures, one more for the latest accepted answers when there are some."""
    given = Answer.objects.visible_to(viewer).filter(author=person)
    counts = given.aggregate(
        given=Count("pk"), accepted=Count("pk", filter=Q(accepted_at__isnull=False))
    )
    is_me = viewer.pk == person.pk
    if not counts["given"] and not is_me:
        return None
    latest = []
    if counts["accepted"]:
        latest = list(
            given.accepted().select_related("question").order_by("-accepted_at", "-pk")[:SHOWN]
        )
    context = {
        "person": person,
        "is_me": is_me,
        "given": counts["given"],
        "accepted": counts["accepted"],
        "latest": latest,
    }
    return ProfileSection("questions/includes/profile_section.html", context)
