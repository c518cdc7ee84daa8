"""“My mentoring”: everything a person has going on in mentorship, as a mentor and as a
mentee, read in a constant number of queries (their profile, their pairings with their
health, the programmes, the feedback they gave), whatever the number of pairings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone

from mentorship.models import MentoringProfile, Pairing, PairingFeedback, Participation, Program
from people.models import User

# How long a declined or expired request stays on the page, pointing at the next suggestions.
RECENT_ANSWER = timedelta(days=30)
PAST_SHOWN = 10
PAST = (Pairing.Status.COMPLETED, Pairing.Status.ENDED)


@dataclass(frozen=True)
class NextMeeting:
    """The viewer's next meeting: when, in which pairing, with whom."""

    starts_at: datetime
    pairing: Pairing
    other: User
    as_mentor: bool


@dataclass(frozen=True)
class ProgramRow:
    """A programme the viewer takes part in as a mentee, with their pairing in it (None:
    they have no mentor there yet)."""

    program: Program
    pairing: Pairing | None


@dataclass(frozen=True)
class MyMentoring:
    profile: MentoringProfile | None
    load: int  # mentees taken: active pairings and proposals still open, as capacity counts
    next_meeting: NextMeeting | None
    waiting: tuple[Pairing, ...]  # proposals to me as the mentor, still open
    mentees: tuple[Pairing, ...]  # active, with `with_health()`
    mentors: tuple[Pairing, ...]  # active, with `with_health()`
    requests: tuple[Pairing, ...]  # my requests as a mentee, waiting for the mentor
    answered: tuple[Pairing, ...]  # my recent requests declined or expired, not replaced
    past: tuple[Pairing, ...]
    more_past: bool
    feedback_due: tuple[Pairing, ...]  # completed, my feedback not given yet
    programs: tuple[ProgramRow, ...]  # the programmes I take part in as a mentee
    open_programs: tuple[Program, ...]  # open programmes I could join
    managed_programs: tuple[Program, ...]

    @property
    def places_free(self) -> int:
        if self.profile is None or not self.profile.open_to_mentor:
            return 0
        return max(0, self.profile.capacity - self.load)

    @property
    def is_empty(self) -> bool:
        """Nothing going on: no pairing of any kind and no programme joined."""
        return not (
            self.waiting
            or self.mentees
            or self.mentors
            or self.requests
            or self.answered
            or self.past
            or self.programs
        )


def _holds_slot(pairing: Pairing, now: datetime) -> bool:
    """The rule of `PairingQuerySet.holding_slot`, on a pairing already read."""
    if pairing.is_active:
        return True
    return pairing.is_proposed and pairing.request.expires_at > now


def _next_meeting(user, running: list[Pairing]) -> NextMeeting | None:
    upcoming = [p for p in running if p.next_meeting_at is not None]
    if not upcoming:
        return None
    pairing = min(upcoming, key=lambda p: (p.next_meeting_at, p.pk))
    as_mentor = pairing.mentor_id == user.pk
    other = pairing.mentee if as_mentor else pairing.mentor
    return NextMeeting(pairing.next_meeting_at, pairing, other, as_mentor)


def _programs(user) -> list[Program]:
    """Open programmes, and those the viewer takes part in or runs, with `joined` and
    `manages` (one query)."""
    if user.is_superuser:
        manages = Value(True)
    else:
        manages = Exists(
            Program.managers.through.objects.filter(program_id=OuterRef("pk"), user_id=user.pk)
        )
    return list(
        Program.objects.annotate(
            joined=Exists(Participation.objects.filter(program=OuterRef("pk"), mentee=user.pk)),
            manages=manages,
        )
        .filter(Q(is_open=True) | Q(joined=True) | Q(manages=True))
        .order_by("name", "pk")
    )


def my_mentoring(*, user, now: datetime | None = None) -> MyMentoring:
    """The “My mentoring” page of `user` at `now`."""
    now = now or timezone.now()
    profile = MentoringProfile.objects.filter(user=user).first()
    pairings = list(
        Pairing.objects.filter(Q(mentor=user) | Q(mentee=user))
        .with_health(now)
        .select_related("program", "mentor", "mentee", "request")
        .order_by("-created_at", "-pk")
    )
    as_mentor = [p for p in pairings if p.mentor_id == user.pk]
    as_mentee = [p for p in pairings if p.mentee_id == user.pk]
    running = [p for p in pairings if p.is_active]

    def still_open(p: Pairing) -> bool:
        return p.is_proposed and p.request.expires_at > now

    def has_mentor(p: Pairing) -> bool:
        return p.is_active or p.status == Pairing.Status.COMPLETED or still_open(p)

    # A declined or expired request matters until the mentee has a mentor in that programme
    # again (or a month has passed): it says what happened and where to look next. One per
    # programme, the newest.
    matched_in = {p.program_id for p in as_mentee if has_mentor(p)}
    answered: dict[int, Pairing] = {}
    for p in as_mentee:
        if (
            p.status in (Pairing.Status.DECLINED, Pairing.Status.EXPIRED)
            and p.program_id not in matched_in
            and (p.request.responded_at or p.request.expires_at) > now - RECENT_ANSWER
        ):
            answered.setdefault(p.program_id, p)

    past = [p for p in pairings if p.status in PAST]
    completed_ids = [p.pk for p in past if p.status == Pairing.Status.COMPLETED]
    given = set()
    if completed_ids:
        given = set(
            PairingFeedback.objects.filter(author=user, pairing__in=completed_ids).values_list(
                "pairing_id", flat=True
            )
        )
    feedback_due = [p for p in past if p.status == Pairing.Status.COMPLETED and p.pk not in given]

    programs = _programs(user)
    mine_by_program: dict[int, Pairing] = {}
    for p in as_mentee:  # newest first: the live or completed one wins
        if has_mentor(p):
            mine_by_program.setdefault(p.program_id, p)
    return MyMentoring(
        profile=profile,
        load=sum(1 for p in as_mentor if _holds_slot(p, now)),
        next_meeting=_next_meeting(user, running),
        waiting=tuple(p for p in as_mentor if still_open(p)),
        mentees=tuple(p for p in as_mentor if p.is_active),
        mentors=tuple(p for p in as_mentee if p.is_active),
        requests=tuple(p for p in as_mentee if still_open(p)),
        answered=tuple(answered.values()),
        past=tuple(past[:PAST_SHOWN]),
        more_past=len(past) > PAST_SHOWN,
        feedback_due=tuple(feedback_due),
        programs=tuple(
            ProgramRow(program, mine_by_program.get(program.pk))
            for program in programs
            if program.joined
        ),
        open_programs=tuple(p for p in programs if p.is_open and not p.joined),
        managed_programs=tuple(p for p in programs if p.manages),
    )
