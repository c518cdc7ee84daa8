"""What recognition adds to a person's profile (`people.hooks`): their badges with the date
earned, the kudos they received (how many, and the latest three), the customer praise naming
them, and a button to thank them; on one's own profile also the allowance left to give and
the balance of points to spend. Only counted kudos count or show (a reported or removed one
never does, here or anywhere else)."""

from __future__ import annotations

from people.hooks import ProfileSection, profile_section
from recognition.selectors.people import profile_recognition


@profile_section("recognition.kudos", order=50)
def recognition(viewer, person) -> ProfileSection:
    """The "Recognition" section, on every profile: even with nothing received yet it is where
    a colleague starts a thank-you. Four queries for a colleague's profile, eight for one's
    own (and the allowance and the balance)."""
    is_me = viewer.pk == person.pk
    context = {
        "person": person,
        "is_me": is_me,
        "can_thank": not is_me and person.is_active,
        "summary": profile_recognition(viewer=viewer, person=person),
    }
    return ProfileSection("recognition/includes/profile_recognition.html", context)
