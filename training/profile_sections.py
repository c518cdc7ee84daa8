"""What training adds to a person's profile (`people.hooks`): their learning. The person and
the managers of their team see the hours by source, the completed tracks with their
certificates and the recent external learning (in the hours once it has happened and was
approved or needed no approval; planned before that); everyone else sees the completed tracks
they may open themselves."""

from __future__ import annotations

from django.utils import timezone

from people.hooks import ProfileSection, profile_section
from people.models import Team
from training.models import Enrolment, ExternalLearning, Track
from training.selectors.hours import learning_hours

SHOWN_TRACKS = 10
SHOWN_EXTERNAL = 5


def _sees_everything(viewer, person) -> bool:
    """The person, and managers of their team (a role asked first: it is already read, so
    colleagues cost no query)."""
    if viewer.pk == person.pk:
        return True
    if not (person.team_id and viewer.is_manager):
        return False
    return Team.objects.filter(pk=person.team_id, managers=viewer).exists()


@profile_section("training.learning", order=30)
def learning(viewer, person) -> ProfileSection | None:
    """The "Learning" section; nothing for a colleague when `person` completed no track they
    may open. Whatever the numbers: one query for a colleague (their completed tracks), three
    for the person (and the hours, and the external learning), four for their manager (and
    the check that they manage them); the viewer's roles are read once per request."""
    full = _sees_everything(viewer, person)
    completed = list(
        Enrolment.objects.completed()
        .filter(user=person, track__in=Track.objects.visible_to(viewer))
        .select_related("track")
        .order_by("-completed_at", "-pk")[: SHOWN_TRACKS + 1]
    )
    if not full and not completed:
        return None
    context = {
        "person": person,
        "full": full,
        "is_me": viewer.pk == person.pk,
        "completed": completed[:SHOWN_TRACKS],
        "more_completed": len(completed) > SHOWN_TRACKS,
    }
    if full:
        today = timezone.localdate()
        context["today"] = today
        context["hours"] = learning_hours(user=person, today=today)
        context["external"] = list(
            ExternalLearning.objects.filter(person=person)
            .exclude(approval=ExternalLearning.Approval.DECLINED)
            .order_by("-starts_on", "-pk")[:SHOWN_EXTERNAL]
        )
    return ProfileSection("training/includes/profile_learning.html", context)
