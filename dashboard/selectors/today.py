"""“What needs me today”: everything waiting for one person across the apps, each item
linking to where it is done, most urgent first.

Each group reads a fixed number of queries whatever the person has (a list of `SHOWN` rows
and its count), and each says "due", "overdue" and "waiting" with the owning app's own
rule (the queryset methods and selectors its reminders read), so the home page and the
reminders never disagree: kb's `verification_due`, questions' `routed_to` and `unanswered`,
training's `due_flags` and `StepCompletion.outdated`, mentorship's `with_health`,
`MentorRequest.open` and the plan nudges' windows, training's rotation approval sides,
recognition's `Nomination.can_be_decided_by`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from dashboard.selectors.articles import review_queue, verification_due_owned
from dashboard.selectors.common import SHOWN, WEEK_DAYS, Group, Item, Urgency, by_date, group
from dashboard.selectors.common import section as first_rows
from kb.models import Article
from mentorship.models import ActionItem, MentorRequest, Milestone, Pairing
from mentorship.reminders.plan import MILESTONE_NOTICE_DAYS
from people.models import User
from questions.models import Question
from recognition.models import Nomination
from search.models import ContentRequest
from training.models import Enrolment, Rotation, SessionSignup, StepCompletion, Track
from training.selectors.crosstraining import (
    managed_team_ids,
    rotation_sides,
    rotation_waiting_sides,
)
from training.selectors.learning import DUE_SOON_DAYS, due_flags
from training.selectors.team import local_today

_REVISION_TEXT = ("body", "rendered_html", "toc_html", "body_text")


def _no_text(*prefixes: str) -> list[str]:
    return [f"{prefix}__{name}" for prefix in prefixes for name in _REVISION_TEXT]


def _day(value, user: User) -> str:
    """A date, or a moment on `user`'s calendar, as "Tue 4 Mar"."""
    if isinstance(value, datetime):
        value = timezone.localtime(value, user.zone)
    return date_format(value, "D j M")


def _moment(value: datetime, user: User) -> str:
    return date_format(timezone.localtime(value, user.zone), "D j M, H:i")


@dataclass(frozen=True)
class Today:
    """The groups with something in them, the most urgent group first."""

    groups: tuple[Group, ...]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


# --- Knowledge base, search, questions -----------------------------------------------------


def _verification(user: User, now: datetime) -> Group | None:
    due = verification_due_owned(user=user, now=now)
    items = [
        Item(
            title=a.published_revision.title,
            url=a.get_absolute_url(),
            detail=f"{a.category} · verification due since {_day(a.verification_due_at, user)}",
            urgency=Urgency.OVERDUE,
            when=a.verification_due_at,
        )
        for a in due.items
    ]
    return group(
        key="verification", heading="Due for verification", items=items, total=due.total,
        more_url=reverse("kb:verification-due"), more_label="all articles due for verification",
    )  # fmt: skip


def _reviews(user: User) -> Group | None:
    waiting = review_queue(user=user)
    if waiting is None:
        return None
    items = [
        Item(
            title=a.latest_revision.title,
            url=a.get_absolute_url(),
            detail=f"by {a.latest_revision.editor.name} · submitted {_day(a.submitted_at, user)}",
            urgency=Urgency.WAITING,
            when=a.submitted_at,
        )
        for a in waiting.items
    ]
    return group(
        key="reviews", heading="Waiting for your review", items=items, total=waiting.total,
        more_url=reverse("kb:review-queue"), more_label="the review queue",
    )  # fmt: skip


def _content_requests(user: User) -> Group | None:
    """Open requests assigned to `user` (search's `visible_to`, narrowed to their own)."""
    mine = (
        ContentRequest.objects.visible_to(user)
        .filter(owner=user, status=ContentRequest.Status.OPEN)
        .order_by("created_at", "pk")
    )
    found = first_rows(mine)
    url = reverse("search:request-list")
    items = [
        Item(
            title=r.title,
            url=url,
            detail=f"Write or link the article · searched for “{r.query}”",
            urgency=Urgency.WAITING,
            when=r.created_at,
        )
        for r in found.items
    ]
    return group(
        key="requests", heading="Content requests assigned to you", items=items,
        total=found.total, more_url=url, more_label="all content requests",
    )  # fmt: skip


def _questions(user: User) -> Group | None:
    """Unanswered questions routed to `user` that they may read: a customer waiting first,
    then whoever has waited longest (the questions list's "unanswered" order)."""
    customer = Q(urgency=Question.Urgency.CUSTOMER_WAITING)
    routed = (
        Question.objects.visible_to(user)
        .unanswered()
        .routed_to(user)
        .exclude(author=user)
        .select_related("author")
        .defer("body", "body_html")
        .order_by(
            Case(When(customer, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "created_at",
            "pk",
        )
    )
    found = first_rows(routed)
    items = [
        Item(
            title=q.title,
            url=q.get_absolute_url(),
            detail=f"asked by {q.author.name} · {_day(q.created_at, user)}",
            urgency=(
                Urgency.CUSTOMER_WAITING
                if q.urgency == Question.Urgency.CUSTOMER_WAITING
                else Urgency.WAITING
            ),
            when=q.created_at,
        )
        for q in found.items
    ]
    return group(
        key="questions", heading="Questions waiting for your expertise", items=items,
        total=found.total, more_url=f"{reverse('questions:list')}?tab=for-me",
        more_label="questions brought to you",
    )  # fmt: skip


# --- Training ------------------------------------------------------------------------------


def _training(user: User, now: datetime) -> Group | None:
    """Tracks due within `DUE_SOON_DAYS` or overdue (`due_flags`, the learner's own date, as
    the due reminders count it), and steps whose article was updated since the learner read
    it (`StepCompletion.outdated`, on articles they may still read, as the reminder skips the
    others)."""
    today = local_today(user, now)
    enrolments = (
        Enrolment.objects.filter(user=user, track__status=Track.Status.PUBLISHED)
        .active()
        .filter(due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("track")
        .order_by("due_on", "pk")
    )
    due = first_rows(enrolments)
    readable = Article.objects.published().visible_to(user).values("pk")
    outdated = first_rows(
        StepCompletion.objects.outdated()
        .filter(
            enrolment__user=user,
            enrolment__track__status=Track.Status.PUBLISHED,
            step__article__in=readable,
        )
        .select_related("enrolment__track", "step__article__published_revision")
        .defer(*_no_text("step__article__published_revision"))
        .order_by("-step__article__updated_at", "pk")
    )
    items = []
    for enrolment in due.items:
        soon, late = due_flags(enrolment, today)
        if not (soon or late):
            continue
        when = "was due" if late else "due"
        items.append(
            Item(
                title=enrolment.track.title,
                url=enrolment.track.get_absolute_url(),
                detail=f"Training {when} {_day(enrolment.due_on, user)}",
                urgency=by_date(enrolment.due_on, today),
                when=enrolment.due_on,
            )
        )
    for completion in outdated.items:
        step, track = completion.step, completion.enrolment.track
        items.append(
            Item(
                title=f"{step.article.published_revision.title} (in {track.title})",
                url=reverse("training:step-detail", args=[track.slug, step.pk]),
                detail="Updated since you completed this step: read it again",
                urgency=Urgency.WAITING,
                when=step.article.updated_at,
            )
        )
    return group(
        key="training", heading="Training", items=items, total=due.total + outdated.total,
        more_url=reverse("training:mine"), more_label="my training",
    )  # fmt: skip


def _sessions(user: User, now: datetime) -> Group | None:
    """Sessions `user` has a seat in (confirmed, not the waitlist) that start within the
    week or are on now."""
    signups = (
        SessionSignup.objects.confirmed()
        .filter(
            user=user,
            session__status="scheduled",
            session__ends_at__gt=now,
            session__starts_at__lte=now + timedelta(days=WEEK_DAYS),
        )
        .select_related("session")
        .defer("session__agenda", "session__notes")
        .order_by("session__starts_at", "pk")
    )
    found = first_rows(signups)
    today = local_today(user, now)
    items = []
    for signup in found.items:
        session = signup.session
        starts = timezone.localtime(session.starts_at, user.zone)
        items.append(
            Item(
                title=session.title,
                url=session.get_absolute_url(),
                detail=f"{_moment(session.starts_at, user)} · {session.location or 'online'}",
                urgency=max(by_date(starts.date(), today), Urgency.TODAY),
                when=session.starts_at,
            )
        )
    return group(
        key="sessions", heading="Your sessions this week", items=items, total=found.total,
        more_url=reverse("training:session-list"), more_label="all sessions",
    )  # fmt: skip


def _rotations(user: User, now: datetime) -> Group | None:
    """Requested rotations waiting for an approval `user` gives (the rotation page's own
    `rotation_sides` and `rotation_waiting_sides`); only managers give any."""
    managed = managed_team_ids(user)
    if not managed:
        return None
    today = local_today(user, now)
    requested = (
        Rotation.objects.filter(status=Rotation.Status.REQUESTED)
        .filter(Q(participant__team__in=managed) | Q(host_team__in=managed))
        .upcoming(today)
        .select_related("participant", "host_team", "host_person")
        .defer("goals", "decline_reason", "reflection")
        .order_by("starts_on", "pk")
    )
    waiting = [r for r in requested if rotation_sides(r, user, managed) & rotation_waiting_sides(r)]
    items = [
        Item(
            title=f"{r.participant.name}: {r.get_kind_display().lower()} with "
            f"{r.host_person or r.host_team}",
            url=r.get_absolute_url(),
            detail=f"{_day(r.starts_on, user)} to {_day(r.ends_on, user)} · approve or decline",
            urgency=Urgency.WAITING,
            when=r.starts_on,
        )
        for r in waiting[:SHOWN]
    ]
    return group(
        key="rotations", heading="Rotations to approve", items=items, total=len(waiting),
        more_url=reverse("training:rotation-list"), more_label="all rotations",
    )  # fmt: skip


# --- Mentorship ----------------------------------------------------------------------------


def _mentoring(user: User, now: datetime) -> Group | None:
    """The next meeting of `user`'s active pairings (`with_health`), their overdue action
    items (the day after the due date, as the nudge counts it) and the milestones
    ("check-ins") of their active pairings due within `MILESTONE_NOTICE_DAYS` or past due."""
    today = local_today(user, now)
    member = Q(mentor=user) | Q(mentee=user)
    pairings = list(
        Pairing.objects.running().filter(member).with_health(now).select_related("mentor", "mentee")
    )
    items = []
    upcoming = [p for p in pairings if p.next_meeting_at is not None]
    if upcoming:
        pairing = min(upcoming, key=lambda p: (p.next_meeting_at, p.pk))
        other = pairing.mentee if pairing.mentor_id == user.pk else pairing.mentor
        starts = timezone.localtime(pairing.next_meeting_at, user.zone)
        items.append(
            Item(
                title=f"Mentoring meeting with {other.name}",
                url=pairing.get_absolute_url(),
                detail=f"Your next meeting: {_moment(pairing.next_meeting_at, user)}",
                urgency=by_date(starts.date(), today),
                when=pairing.next_meeting_at,
            )
        )
    actions = first_rows(
        ActionItem.objects.filter(
            owner=user, done=False, due_on__lt=today, meeting__pairing__status="active"
        )
        .annotate(pairing_pk=F("meeting__pairing_id"))
        .only("title", "due_on")
        .order_by("due_on", "pk")
    )
    for action in actions.items:
        items.append(
            Item(
                title=f"Action item: {action.title}",
                url=reverse("mentorship:pairing-detail", args=[action.pairing_pk]),
                detail=f"Due {_day(action.due_on, user)}: do it and tick it off",
                urgency=Urgency.OVERDUE,
                when=action.due_on,
            )
        )
    milestones = first_rows(
        Milestone.objects.filter(
            Q(pairing__mentor=user) | Q(pairing__mentee=user),
            done_at__isnull=True,
            pairing__status="active",
            due_on__lte=today + timedelta(days=MILESTONE_NOTICE_DAYS),
        ).order_by("due_on", "pk")
    )
    for milestone in milestones.items:
        items.append(
            Item(
                title=f"Check-in: {milestone.title}",
                url=reverse("mentorship:pairing-detail", args=[milestone.pairing_id]),
                detail=f"Milestone due {_day(milestone.due_on, user)}",
                urgency=by_date(milestone.due_on, today),
                when=milestone.due_on,
            )
        )
    return group(
        key="mentoring", heading="Mentoring", items=items,
        total=len(items) - len(actions.items) - len(milestones.items)
        + actions.total + milestones.total,
        more_url=reverse("mentorship:home"), more_label="my mentoring",
    )  # fmt: skip


def _mentor_requests(user: User, now: datetime) -> Group | None:
    """Requests to be `user`'s mentee still open (`MentorRequest.open`), expiring first."""
    today = local_today(user, now)
    found = first_rows(
        MentorRequest.objects.open(now)
        .filter(pairing__mentor=user)
        .select_related("pairing__mentee", "pairing__program")
        .defer("message")
        .order_by("expires_at", "pk")
    )
    items = []
    for request in found.items:
        pairing = request.pairing
        expires = timezone.localtime(request.expires_at, user.zone)
        items.append(
            Item(
                title=f"{pairing.mentee.name} asks you to be their mentor",
                url=pairing.get_absolute_url(),
                detail=f"{pairing.program} · accept or decline by {_moment(expires, user)}",
                urgency=min(by_date(expires.date(), today), Urgency.WAITING),
                when=request.expires_at,
            )
        )
    return group(
        key="mentor-requests", heading="Mentoring requests waiting for your answer",
        items=items, total=found.total, more_url=reverse("mentorship:home"),
        more_label="my mentoring",
    )  # fmt: skip


# --- Recognition ---------------------------------------------------------------------------


def _nominations(user: User) -> Group | None:
    """Pending nominations `user` may decide (`Nomination.can_be_decided_by`: approvers,
    never about themselves or made by them), oldest first."""
    if not Nomination.is_approver(user):
        return None
    pending = (
        Nomination.objects.visible_to(user)
        .pending()
        .exclude(nominee=user)
        .exclude(nominated_by=user)
        .select_related("award", "nominee")
        .defer("reason", "evidence")
        .order_by("created_at", "pk")
    )
    found = first_rows(pending)
    items = [
        Item(
            title=f"{n.nominee.name} for {n.award.name}",
            url=n.get_absolute_url(),
            detail=f"Nominated {_day(n.created_at, user)} · approve or reject",
            urgency=Urgency.WAITING,
            when=n.created_at,
        )
        for n in found.items
    ]
    return group(
        key="nominations", heading="Nominations to approve", items=items, total=found.total,
        more_url=reverse("recognition:nomination-list"), more_label="all nominations",
    )  # fmt: skip


def what_needs_me(*, user: User, now: datetime) -> Today:
    """Everything waiting for `user` at `now`, by group, the most urgent group first (ties
    keep the order below). A constant number of queries whatever they have."""
    groups = [
        _questions(user),
        _verification(user, now),
        _training(user, now),
        _mentoring(user, now),
        _mentor_requests(user, now),
        _sessions(user, now),
        _reviews(user),
        _content_requests(user),
        _rotations(user, now),
        _nominations(user),
    ]
    found = [g for g in groups if g is not None]
    return Today(groups=tuple(sorted(found, key=Group.sort_key)))
