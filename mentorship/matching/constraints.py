"""Hard constraints: who may not mentor whom in a programme, each with the reason a manager
reads when they ask "why not X?". Matching leaves these pairs out entirely; the pairing
services check them again, under the lock on the mentor's profile, before saving anything.

Read for any number of mentees and mentors in a constant number of queries (four): most
reasons belong to the mentor alone (inactive, not open, at capacity, untrained), the rest to
a pair (themselves, their manager, already paired).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from mentorship.models import MentoringProfile, Pairing, Program
from people.models import Team, User
from training.models import Enrolment

# What an earlier pairing in the same programme says about suggesting the pair again. A
# withdrawn request says nothing: the mentee may ask the same person again.
_PAST_PAIRING = {
    Pairing.Status.PROPOSED: "Already proposed as their mentor in this programme.",
    Pairing.Status.ACTIVE: "Already their mentor in this programme.",
    Pairing.Status.COMPLETED: "Already mentored them in this programme.",
    Pairing.Status.ENDED: "Mentored them in this programme; it ended early.",
    Pairing.Status.DECLINED: "Declined to mentor them in this programme.",
    Pairing.Status.EXPIRED: "Did not answer their request in this programme in time.",
}


@dataclass(frozen=True)
class Exclusions:
    """The hard constraints of one programme for some mentees and mentors."""

    by_mentor: dict[int, tuple[str, ...]] = field(default_factory=dict)
    by_pair: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)

    def reasons(self, mentee_id: int, mentor_id: int) -> tuple[str, ...]:
        """Why `mentor_id` may not mentor `mentee_id` (empty: they may)."""
        return self.by_mentor.get(mentor_id, ()) + self.by_pair.get((mentee_id, mentor_id), ())

    def allows(self, mentee_id: int, mentor_id: int) -> bool:
        return not self.reasons(mentee_id, mentor_id)


def load_exclusions(
    *,
    program: Program,
    mentees: Iterable[User],
    mentor_ids: Iterable[int],
    now: datetime | None = None,
) -> Exclusions:
    """The hard constraints between `mentees` and the people `mentor_ids` in `program`."""
    mentees = list(mentees)
    mentor_ids = set(mentor_ids)
    by_mentor: dict[int, list[str]] = defaultdict(list)
    by_pair: dict[tuple[int, int], list[str]] = defaultdict(list)

    people = User.objects.filter(pk__in=mentor_ids)
    profiles = {
        p["user_id"]: p
        for p in MentoringProfile.objects.filter(user__in=mentor_ids)
        .with_load(now)
        .values("user_id", "open_to_mentor", "capacity", "load")
    }
    active = set(people.filter(is_active=True).values_list("pk", flat=True))
    trained = None
    if program.required_track_id:
        trained = set(
            Enrolment.objects.completed()
            .filter(track_id=program.required_track_id, user__in=mentor_ids)
            .values_list("user_id", flat=True)
        )
    for mentor_id in mentor_ids:
        profile = profiles.get(mentor_id)
        if mentor_id not in active:
            by_mentor[mentor_id].append("Inactive: their account is switched off.")
        if profile is None or not profile["open_to_mentor"]:
            by_mentor[mentor_id].append("Not open to mentoring.")
        elif profile["load"] >= profile["capacity"]:
            by_mentor[mentor_id].append(
                f"At capacity: {profile['load']} of {profile['capacity']} mentees."
            )
        if trained is not None and mentor_id not in trained:
            by_mentor[mentor_id].append(
                f"Has not completed the mentor training track “{program.required_track}”."
            )

    team_ids = {m.team_id for m in mentees if m.team_id}
    managed = defaultdict(set)  # team id -> its managers
    for team_id, manager_id in Team.managers.through.objects.filter(
        team_id__in=team_ids, user_id__in=mentor_ids
    ).values_list("team_id", "user_id"):
        managed[team_id].add(manager_id)
    past = Pairing.objects.filter(
        Q(program=program, mentee__in=[m.pk for m in mentees], mentor__in=mentor_ids)
        & ~Q(status=Pairing.Status.WITHDRAWN)
    ).values_list("mentee_id", "mentor_id", "status")
    for mentee_id, mentor_id, status in past:
        reason = _PAST_PAIRING[status]
        if reason not in by_pair[(mentee_id, mentor_id)]:
            by_pair[(mentee_id, mentor_id)].append(reason)
    for mentee in mentees:
        if mentee.pk in mentor_ids:
            by_pair[(mentee.pk, mentee.pk)].append("That is the mentee themselves.")
        for manager_id in managed.get(mentee.team_id, ()):
            by_pair[(mentee.pk, manager_id)].append(f"{mentee.name}'s own manager.")
    return Exclusions(
        by_mentor={k: tuple(v) for k, v in by_mentor.items()},
        by_pair={k: tuple(v) for k, v in by_pair.items()},
    )


def exclusion_reasons(
    *, program: Program, mentee: User, mentor: User, now: datetime | None = None
) -> tuple[str, ...]:
    """Why `mentor` may not mentor `mentee` in `program` (empty: they may)."""
    found = load_exclusions(program=program, mentees=[mentee], mentor_ids=[mentor.pk], now=now)
    return found.reasons(mentee.pk, mentor.pk)
