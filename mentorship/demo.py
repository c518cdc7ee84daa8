"""Demo mentorship for `manage.py seed_demo`: three programmes (classic onboarding mentoring,
reverse mentoring on tools and technology, peer mentoring), mentoring profiles for mentors and
mentees, pairings in every state a programme manager meets (active with a plan, at risk,
completed with feedback from both sides, a request waiting for the demo `mentor`), and
unmatched mentees, the demo `agent` among them, for a cohort proposal.

Idempotent: programmes are matched by slug and only created once; the profiles and the
activity are made once, when the programmes are first created. Everything goes through the
services people use (request, accept, complete, feedback; goals, meetings, action items and
milestones), the plan's at the moment it happened (`now=`); then the pairings' dates are moved
back so the demo has a history, and what the services told people then is marked read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from mentorship.models import (
    Goal,
    Meeting,
    MentoringProfile,
    MentorRequest,
    Milestone,
    MilestoneTemplate,
    Pairing,
    PairingFeedback,
    Program,
)
from mentorship.models.programs import DEFAULT_REQUIRED_TRACK_SLUG, DEFAULT_WEIGHTS
from mentorship.services import pairings, plans
from notifications.models import Notification
from people.models import User
from training.models import Track, TrackStep
from training.services import learning, progress

ONBOARDING, REVERSE, PEER = "onboarding-mentoring", "reverse-mentoring-tools", "peer-mentoring"

# slug: (name, kind, description, weeks, cadence days, required track, managers, weights,
# milestone templates)
PROGRAMS = {
    ONBOARDING: (
        "Onboarding mentoring",
        Program.Kind.CLASSIC,
        "Every new colleague gets an experienced mentor from another team for their first "
        "three months: someone to ask the questions you would not ask your manager.",
        12, 14, DEFAULT_REQUIRED_TRACK_SLUG, ["manager"], DEFAULT_WEIGHTS,
        [("First meeting and goals agreed", 7), ("Midpoint check-in", 42), ("Wrap-up", 84)],
    ),
    # No training prerequisite: reverse mentors are the juniors who know the tools best, and
    # the mentor-training track is a coaching course for experienced colleagues (only experts
    # have completed it in the demo); requiring it would leave this programme without mentors.
    REVERSE: (
        "Reverse mentoring: tools and technology",
        Program.Kind.REVERSE,
        "Colleagues who live in our tools every day show team leads and specialists the "
        "shortcuts, the integrations and the settings that save an hour a week.",
        8, 14, None, ["mentor"],
        {**DEFAULT_WEIGHTS, "skills": 40, "expertise": 20, "goals": 10, "cross_team": 10},
        [("Pick the tools to learn", 7), ("Try them on real tickets", 28),
         ("Show your team one trick", 56)],
    ),
    PEER: (
        "Peer mentoring",
        Program.Kind.PEER,
        "Colleagues at the same level swap what they know best, one short call a week.",
        6, 7, None, ["manager"],
        {**DEFAULT_WEIGHTS, "experience": 20, "interests": 15, "expertise": 15},
        [("Agree what to swap", 3), ("Wrap-up", 42)],
    ),
}  # fmt: skip

# Mentors: username: (topics, capacity, availability). Most of the onboarding mentors have
# completed mentor training in the training demo; theo.laurent has not, so "why not Theo?"
# has an answer.
MENTORS = {
    "mentor": (["api troubleshooting", "account recovery", "sql", "coaching"], 3,
               "Tuesday and Thursday afternoons."),
    "diego.alvarez": (["sso", "webhooks", "two-factor auth"], 2, "Mornings, by video."),
    "kwame.mensah": (["complaints handling", "de-escalation", "chargebacks", "vip accounts"], 2,
                     "Any day after the 2 pm queue peak."),
    "noah.dubois": (["sso", "webhooks", "api troubleshooting"], 1, "Fridays."),
    "ivan.ivanov": (["complaints handling", "incident communication", "refunds"], 2,
                    "Wednesdays."),
    "theo.laurent": (["webhooks", "sso"], 2, "Late afternoons."),
    # Reverse mentors: newer colleagues who know the tools.
    "tom.becker": (["sso", "two-factor auth", "zendesk administration"], 2, "Lunchtimes."),
    "aisha.okafor": (["macros", "product training", "reporting"], 2, "Mornings."),
    "oscar.berg": (["sso", "account recovery", "reporting"], 1, "Thursdays."),
    # Peers.
    "mei.chen": (["chargebacks", "payment failures"], 1, "After the morning stand-up."),
    "lukas.novak": (["de-escalation", "tone and empathy"], 2, "Mondays."),
    "sofia.rossi": (["account reviews", "renewals"], 1, "Any afternoon."),
}  # fmt: skip

# Mentees: username: (skills to develop, what they want, preferred format).
MENTEES = {
    "agent": (["chargebacks", "de-escalation"], "Handle chargebacks without asking for help, "
              "and get ready to apply for the escalations team.", "video"),
    "priya.shah": (["chargebacks", "de-escalation"], "Own chargebacks end to end.", "in_person"),
    "hannah.weber": (["complaints handling", "tone and empathy"],
                     "Stay calm with angry callers.", "video"),
    "leila.rahimi": (["refunds", "complaints handling"], "Know the refund exceptions.", "chat"),
    "zara.khan": (["onboarding", "sso"], "Run onboarding calls for technical customers.", "video"),
    "chloe.martin": (["sql", "reporting"], "Answer billing data questions myself.", "video"),
    "fatima.haddad": (["product training", "onboarding"], "Find my feet in Customer Success.",
                      "in_person"),
    "mateo.garcia": (["account recovery", "two-factor auth"], "Handle lock-outs alone.", "any"),
    "ines.costa": (["refunds", "vat"], "Learn VAT refunds.", "chat"),
    "ben.clarke": (["de-escalation", "complaints handling"], "Learn how Escalations works.",
                   "in_person"),
    "manager": (["sso", "zendesk administration"], "Understand the tools my team uses.", "video"),
    "editor": (["reporting", "macros"], "Build better macros from the search data.", "any"),
    "kwame.mensah": (["reporting", "sso"], "Pull my own escalation reports.", "any"),
    "omar.farouk": (["chargebacks"], "Learn how billing handles disputes.", "chat"),
    "samir.nasser": (["webhooks"], "Debug webhooks without a developer.", "video"),
    "grace.murphy": (["renewals"], "Prepare renewals earlier.", "any"),
}  # fmt: skip

# Mentees who have joined a programme and wait for a mentor: the cohort to match.
UNMATCHED = {
    ONBOARDING: ["agent", "fatima.haddad", "mateo.garcia", "ines.costa", "ben.clarke"],
    REVERSE: ["editor", "kwame.mensah"],
    PEER: ["samir.nasser", "grace.murphy"],
}


def seed(*, log=print) -> None:
    if Program.objects.filter(slug__in=PROGRAMS).exists():
        log("Demo mentorship exists; left as it is.")
        return
    with transaction.atomic():
        people = {user.username: user for user in User.objects.select_related("team")}
        programs = _programs(people)
        _profiles(people)
        made = _activity(people, programs)
        for slug, usernames in UNMATCHED.items():
            for username in usernames:
                pairings.participation_join(program=programs[slug], mentee=people[username])
    log(f"Demo mentorship: {len(programs)} programmes, {made} pairings.")


def _programs(people) -> dict[str, Program]:
    programs = {}
    for slug, spec in PROGRAMS.items():
        name, kind, description, weeks, cadence, track, managers, weights, milestones = spec
        program = Program(
            slug=slug, name=name, kind=kind, description=description, duration_weeks=weeks,
            cadence_days=cadence, weights=dict(weights),
            required_track=Track.objects.filter(slug=track).first() if track else None,
        )  # fmt: skip
        program.full_clean()
        program.save()
        program.managers.set([people[m] for m in managers])
        for title, offset in milestones:
            MilestoneTemplate.objects.create(program=program, title=title, offset_days=offset)
        programs[slug] = program
    return programs


def _profiles(people) -> None:
    for username in MENTORS.keys() | MENTEES.keys():
        topics, capacity, availability = MENTORS.get(username, ([], 1, ""))
        develop, goals, preferred = MENTEES.get(username, ([], "", "any"))
        profile, _ = MentoringProfile.objects.update_or_create(
            user=people[username],
            defaults={
                "open_to_mentor": username in MENTORS,
                "capacity": capacity,
                "availability": availability,
                "goals": goals,
                "preferred_format": preferred,
            },
        )
        profile.full_clean()
        profile.topics.set(topics)
        profile.develop.set(develop)


# --- History ----------------------------------------------------------------------------------


@contextmanager
def _long_ago(when: datetime) -> Iterator[None]:
    """What the services tell people while history is written happened at `when`, and was
    read since."""
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    Notification.objects.filter(pk__gt=last).update(created_at=when, read_at=when)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _started(program, mentor, mentee, *, days_ago: int, message: str,
             kept_up: bool = True) -> Pairing:  # fmt: skip
    """A pairing the mentee asked for two days before the mentor accepted, `days_ago`; the
    milestones due since are done (`kept_up`), or only the first."""
    now = timezone.now()
    answered = now - timedelta(days=days_ago)
    asked = answered - timedelta(days=2)
    with _long_ago(answered):
        pairing = pairings.pairing_request(
            program=program, mentee=mentee, mentor=mentor, message=message
        )
        pairing = pairings.pairing_accept(pairing=pairing, mentor=mentor)
    # The services date everything today; the pair started weeks ago.
    shift = timedelta(days=days_ago)
    Pairing.objects.filter(pk=pairing.pk).update(
        created_at=asked, started_on=pairing.started_on - shift, ends_on=pairing.ends_on - shift
    )
    MentorRequest.objects.filter(pairing=pairing).update(
        created_at=asked,
        expires_at=asked + timedelta(days=program.accept_window_days),
        responded_at=answered,
    )
    for milestone in pairing.milestones.all():
        Milestone.objects.filter(pk=milestone.pk).update(due_on=milestone.due_on - shift)
    pairing.refresh_from_db()
    past = [m for m in pairing.milestones.all() if m.due_on < timezone.localdate()]
    for milestone in past if kept_up else past[:1]:
        done = _at(milestone.due_on, 16)
        plans.milestone_mark(milestone=milestone, user=mentee, done=True, now=done)
    return pairing


def _meeting(pairing, *, days_ago: int, by, agenda: str, notes: str = "", actions=(),
             hour: int = 10, minutes: int = 30) -> Meeting:  # fmt: skip
    """A meeting `days_ago` (negative: ahead, planned today) at `hour`, logged by `by`;
    `actions` are (title, owner, due in days from the meeting, done)."""
    starts = _at(timezone.localdate() - timedelta(days=days_ago), hour)
    data = {"starts_at": starts, "duration_minutes": minutes, "agenda": agenda, "notes": notes}
    if days_ago < 0:  # planned: the other is told, and has not read it yet
        return plans.meeting_add(pairing=pairing, user=by, data=data)
    with _long_ago(starts):
        meeting = plans.meeting_add(pairing=pairing, user=by, data=data, now=starts)
        for title, owner, due_in, done in actions:
            due = starts.date() + timedelta(days=due_in)
            item = plans.action_item_add(
                meeting=meeting, user=by, data={"title": title, "owner": owner, "due_on": due},
                now=starts,
            )  # fmt: skip
            if done:
                plans.action_item_mark(item=item, user=owner, done=True, now=_at(due, 12))
    return meeting


def _goal(pairing, title: str, *, progress: int = 0, met_days_ago: int | None = None,
          track: Track | None = None, due_in: int | None = None) -> Goal:  # fmt: skip
    """A goal the mentee wrote the day after the start; met `met_days_ago` when given."""
    met = met_days_ago is not None
    when = (
        timezone.now() - timedelta(days=met_days_ago)
        if met
        else _at(pairing.started_on + timedelta(days=1), 11)
    )
    data = {
        "title": title,
        "progress": progress,
        "status": Goal.Status.MET if met else Goal.Status.IN_PROGRESS,
        "track": track,
        "due_on": timezone.localdate() + timedelta(days=due_in) if due_in is not None else None,
    }
    with _long_ago(when):
        return plans.goal_add(pairing=pairing, user=pairing.mentee, data=data, now=when)


def _activity(people, programs) -> int:
    onboarding = programs[ONBOARDING]
    p = people
    made = 0

    # Active, with a full plan: the demo mentor and a new billing agent, a month in.
    active = _started(
        onboarding,
        p["mentor"],
        p["priya.shah"],
        days_ago=30,
        message="I'd like to own chargebacks end to end. Could you help?",
    )
    priya, mentor = p["priya.shah"], p["mentor"]
    de_escalation = Track.objects.filter(slug="conflict-resolution-and-de-escalation").first()
    _goal(active, "Handle a chargeback from start to finish on my own", progress=60, due_in=30)
    if de_escalation is not None:
        _start_track(de_escalation, priya)
        _goal(active, "Complete the de-escalation track", track=de_escalation, due_in=45)
    _goal(active, "Suggest one improvement in the team huddle", met_days_ago=9)
    _meeting(
        active,
        days_ago=28,
        by=priya,
        agenda="Get to know each other; what should the next twelve weeks bring?",
        notes="Priya wants to own chargebacks end to end. We agreed three goals and start "
        "with the dispute timeline.",
        actions=[("Read the chargeback dispute timeline article", priya, 7, True)],
    )
    _meeting(
        active,
        days_ago=14,
        by=mentor,
        minutes=45,
        agenda="Two live disputes, step by step.",
        notes="Walked through two live disputes. Priya drafted the evidence letter for "
        "the Acme dispute herself.",
        actions=[
            ("Draft the evidence letter for the next dispute", priya, 19, False),
            ("Share the SQL query for dispute volumes", mentor, 11, False),
        ],
    )
    _meeting(
        active,
        days_ago=-2,
        by=priya,
        hour=14,
        agenda="Review the evidence letter; plan the de-escalation track.",
    )
    made += 1

    # Active, three weeks in, one meeting.
    hannah = p["hannah.weber"]
    calm = _started(
        onboarding,
        p["kwame.mensah"],
        hannah,
        days_ago=20,
        message="Angry callers throw me. How do you stay calm?",
    )
    _goal(calm, "Take an angry caller to a solution without escalating", progress=30)
    _meeting(
        calm,
        days_ago=12,
        by=hannah,
        agenda="How Escalations opens a difficult call.",
        notes="Kwame's three opening sentences for a furious caller; Hannah will try "
        "them this week.",
        actions=[("Use the three opening sentences on five calls", hannah, 7, True)],
    )
    made += 1

    # At risk: nothing since the first meeting, more than two cadences ago.
    leila = p["leila.rahimi"]
    quiet = _started(
        onboarding,
        p["ivan.ivanov"],
        leila,
        days_ago=50,
        message="Could you teach me the refund exceptions?",
        kept_up=False,  # the midpoint check-in is overdue
    )
    _goal(quiet, "Know when a refund exception applies", progress=20)
    _meeting(
        quiet,
        days_ago=44,
        by=leila,
        agenda="The refund exceptions, first pass.",
        notes="Went through the first four refund exceptions with real tickets.",
    )
    made += 1

    # Completed two weeks ago, with feedback from both sides.
    zara, noah = p["zara.khan"], p["noah.dubois"]
    done = _started(
        onboarding,
        noah,
        zara,
        days_ago=100,
        message="I run onboarding calls and customers keep asking about SSO.",
    )
    _goal(done, "Explain our SSO set-up on an onboarding call", met_days_ago=40)
    _goal(done, "Run a technical onboarding call alone", met_days_ago=20)
    for n, days in enumerate((95, 81, 67, 53, 39, 25)):
        _meeting(
            done,
            days_ago=days,
            by=zara if n % 2 else noah,
            agenda="SSO questions from this fortnight's calls.",
            notes=f"Session {n + 1}: worked through the SSO questions Zara collected.",
        )
    finished = timezone.now() - timedelta(days=14)
    with _long_ago(finished):
        done = pairings.pairing_complete(pairing=done, user=noah, now=finished)
        for author, rating, comments in (
            (zara, 5, "Noah explained SSO so I can explain it to customers. Worth every hour."),
            (noah, 4, "Great questions every time; we could have started with real calls sooner."),
        ):
            feedback = pairings.feedback_give(
                pairing=done, author=author, rating=rating, comments=comments
            )
            PairingFeedback.objects.filter(pk=feedback.pk).update(created_at=finished)
    made += 1

    # Waiting for the demo mentor's answer, asked two days ago.
    chloe = p["chloe.martin"]
    waiting = pairings.pairing_request(
        program=onboarding,
        mentee=chloe,
        mentor=mentor,
        message="I'd like to answer billing data questions myself. Could you teach me SQL?",
    )
    asked = timezone.now() - timedelta(days=2)
    Pairing.objects.filter(pk=waiting.pk).update(created_at=asked)
    MentorRequest.objects.filter(pairing=waiting).update(
        created_at=asked, expires_at=asked + timedelta(days=onboarding.accept_window_days)
    )
    Notification.objects.filter(url=waiting.get_absolute_url()).update(created_at=asked)
    made += 1

    # Reverse: a junior agent shows the team lead the tools.
    manager, tom = p["manager"], p["tom.becker"]
    tools = _started(
        programs[REVERSE],
        tom,
        manager,
        days_ago=21,
        message="I'd like to understand SSO well enough to coach my team.",
    )
    _goal(tools, "Set up an SSO test account without help", progress=50)
    _meeting(
        tools,
        days_ago=7,
        by=tom,
        agenda="The SSO test tenant.",
        notes="Tom showed the SSO test tenant and the three settings customers get wrong.",
        actions=[("Reset a test user's two-factor auth", manager, 7, False)],
    )
    made += 1

    # Peer: two experienced agents from different teams swap what they know.
    omar = p["omar.farouk"]
    swap = _started(
        programs[PEER],
        p["mei.chen"],
        omar,
        days_ago=10,
        message="Escalations gets a lot of disputes. Could we swap?",
    )
    _goal(swap, "Answer a chargeback escalation without handing it back", progress=40)
    _meeting(
        swap,
        days_ago=5,
        by=omar,
        agenda="How billing reads a dispute.",
        notes="Mei showed how billing reads a dispute; Omar explained how escalated "
        "customers hear the word refund.",
    )
    made += 1
    return made


def _start_track(track: Track, user: User) -> None:
    """The mentee is on their way through the track the goal links to: enrolled, first step
    done (the goal's progress follows it, and it meets the goal when they finish)."""
    enrolment = learning.track_enrol(track=track, user=user)
    first = track.steps.filter(kind=TrackStep.Kind.ARTICLE).order_by("position").first()
    if first is not None:
        progress.step_complete(enrolment=enrolment, step=first)
