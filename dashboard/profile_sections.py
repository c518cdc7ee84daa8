"""What the dashboard adds to a person's profile (`people.hooks`): the hand-over link, for
those who may hand the person's work over (an admin, a manager of their team)."""

from __future__ import annotations

from dashboard.handover.preview import can_hand_over, handover_url
from people.hooks import ProfileSection, profile_section


@profile_section("dashboard.handover", order=90)
def handover(viewer, person) -> ProfileSection | None:
    """A link to hand over `person`'s work; nothing for anyone else (one query at most: the
    teams the viewer manages)."""
    if not can_hand_over(actor=viewer, person=person):
        return None
    return ProfileSection(
        "dashboard/includes/handover_link.html",
        {"person": person, "url": handover_url(person)},
    )
