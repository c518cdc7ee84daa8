"""What mentorship adds to a person's profile (`people.hooks`): whether they are open to
mentor and on what, with the places they have left, and their current mentoring roles as
counts per programme. Never who they mentor or are mentored by, never their plans: the
pairs' details stay with the pair and the people who run their programme."""

from __future__ import annotations

from django.db.models import Count, Q

from mentorship.models import MentoringProfile, Pairing
from people.hooks import ProfileSection, directory_note, profile_section

# Topics named on a directory card; the profile page lists them all.
CARD_TOPICS = 3
NOT_TAKING = "not taking mentees now"


@profile_section("mentorship.roles", order=40)
def mentoring(viewer, person) -> ProfileSection | None:
    """The "Mentoring" section; nothing when `person` is neither open to mentor nor in a
    running pairing (except on their own profile, which points at the mentoring profile).
    Three queries whatever the numbers: the profile with its load, its topics, the roles."""
    is_me = viewer.pk == person.pk
    profile = (
        MentoringProfile.objects.filter(user=person, open_to_mentor=True, user__is_active=True)
        .with_load()
        .first()
    )
    topics = list(profile.topics.order_by("name")) if profile else []
    roles = (
        Pairing.objects.running()
        .filter(Q(mentor=person) | Q(mentee=person))
        .values("program__name", "mentor_id")
        .annotate(n=Count("pk"))
        .order_by("program__name")
    )
    mentoring, mentee_of = [], []
    for row in roles:
        if row["mentor_id"] == person.pk:
            mentoring.append((row["program__name"], row["n"]))
        else:
            mentee_of.append(row["program__name"])
    if profile is None and not mentoring and not mentee_of and not is_me:
        return None
    context = {
        "person": person,
        "is_me": is_me,
        "profile": profile,
        "topics": topics,
        "places_free": max(0, profile.capacity - profile.load) if profile else 0,
        "mentoring": mentoring,
        "mentee_of": mentee_of,
    }
    return ProfileSection("mentorship/includes/profile_mentoring.html", context)


@directory_note("mentorship.open")
def open_to_mentor(viewer, people) -> dict[int, str]:
    """ "Open to mentor on refunds, chargebacks · 1 place free" on the cards of people open to
    mentoring, so a manager looking for a mentor finds them in the directory. Two queries
    for the whole page: the open profiles with their load, and their topics."""
    profiles = (
        MentoringProfile.objects.filter(user__in=[p.pk for p in people], open_to_mentor=True)
        .with_load()
        .prefetch_related("topics")
    )
    notes = {}
    for profile in profiles:
        topics = sorted(t.name for t in profile.topics.all())
        shown = ", ".join(topics[:CARD_TOPICS]) + (" …" if len(topics) > CARD_TOPICS else "")
        free = profile.capacity - profile.load
        # The profile section's words: "1 place free", or "not taking mentees now" when full.
        places = f"{free} place{'s' if free != 1 else ''} free" if free > 0 else NOT_TAKING
        notes[profile.user_id] = (
            f"Open to mentor on {shown} · {places}" if topics else f"Open to mentor · {places}"
        )
    return notes
