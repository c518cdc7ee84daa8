"""Bringing questions to the people who know: the likely experts when a question is asked,
the next ones when nobody answered within a working day, and the asker's team lead when a
customer has been waiting too long.

Each person is brought a question once (`Route`'s unique constraint) and told once
(`notify`'s dedupe keys), whatever the reruns and concurrent sweeps: the question's row is
locked while its routes are written, and a duplicate insert is skipped in its savepoint.
Nothing is sent once a question has an answer or is no longer open.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from notifications.services import notify
from people.models import Team, User
from questions.models import Question, Route
from questions.querysets import QUESTION_AUDIENCE
from questions.selectors.experts import likely_experts
from questions.working_days import working_days_after, working_days_before
from searchkit.audience import principals

# Rounds of experts a question is brought to (the first when asked, then one per
# QUESTIONS_REROUTE_WORKING_DAYS unanswered): past three, more strangers would be noise.
MAX_ROUNDS = 3
# Re-routing looks back this many working-day periods: rounds 2 and 3 fall within the
# first two periods when the sweep runs, and the slack covers a sweep that was down. A
# question whose round found nobody is tried again at each sweep until then, never after.
REROUTE_HORIZON_PERIODS = MAX_ROUNDS + 1
# A customer does not wait a day on the line: past that the question is no longer
# escalated (which also keeps the sweep's read short).
ESCALATE_WITHIN = timedelta(hours=24)


def _locked_if_unanswered(question: Question) -> Question | None:
    """`question` as it is now, its row locked until the transaction ends (concurrent
    routings of it wait here), or None when it was answered, closed or deflected."""
    return (
        Question.objects.unanswered().select_for_update(of=("self",)).filter(pk=question.pk).first()
    )


def _add_route(**fields) -> Route | None:
    """A new route, or None when the person already has one for the question."""
    route = Route(**fields)
    route.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the rest of the round
            route.save()
    except IntegrityError:
        return None
    return route


def _route_round(question: Question, round: int, now: datetime) -> tuple[list[Route], int]:
    """The routes a round created and how many people were told."""
    question = _locked_if_unanswered(question)
    if question is None or round < 1:
        return [], 0
    routed = list(question.routes.values_list("person_id", "kind", "round"))
    # Each round happens once: a rerun (or a second sweep) finds it done.
    if any(kind == Route.Kind.EXPERT and done >= round for _, kind, done in routed):
        return [], 0
    experts = likely_experts(
        question=question,
        exclude=[person_id for person_id, _, _ in routed],
        limit=settings.QUESTIONS_EXPERTS_PER_ROUND,
    )
    prefix = "Customer waiting: " if question.is_urgent else ""
    routes, told = [], 0
    for expert in experts:
        route = _add_route(
            question=question,
            person=expert.person,
            kind=Route.Kind.EXPERT,
            round=round,
            reason=expert.reason,
            created_at=now,
        )
        if route is None:
            continue
        routes.append(route)
        sent = notify(
            recipient=expert.person,
            kind="questions.route",
            message=f"{prefix}You may know this: “{question.title}” — {expert.reason_to_them}",
            url=question.get_absolute_url(),
            dedupe_key=f"questions.route:{question.pk}:{expert.person.pk}",
        )
        told += sent is not None
    return routes, told


@transaction.atomic
def question_route(
    *, question: Question, round: int = 1, now: datetime | None = None
) -> list[Route]:
    """Bring `question` to up to QUESTIONS_EXPERTS_PER_ROUND likely experts it was not
    brought to before (`likely_experts`), each told once "You may know this" with the reason
    they were picked ("Customer waiting: " first for an urgent question). Returns the routes
    created: none when the question is answered or no longer open, or this round already
    happened. `now` is when the round happens (the sweep's clock)."""
    return _route_round(question, round, now or timezone.now())[0]


@transaction.atomic
def _escalate(question: Question, now: datetime) -> int:
    """Tell the asker's team leads who may read `question`; returns how many were told."""
    question = _locked_if_unanswered(question)
    if question is None:
        return 0
    asker = User.objects.select_related("team").get(pk=question.author_id)
    if asker.team is None:
        return 0
    leads = list(
        asker.team.managers.active().exclude(pk=asker.pk).prefetch_related("groups").order_by("pk")
    )
    admitted = set(QUESTION_AUDIENCE.tokens(question))
    waited = settings.QUESTIONS_ESCALATE_MINUTES
    told = 0
    for lead in leads:
        lead.__dict__["role_names"] = frozenset(g.name for g in lead.groups.all())
        if not principals(lead) & admitted:
            continue
        # A lead who was already asked as an expert keeps that route; the message still
        # tells them the customer is waiting.
        _add_route(
            question=question,
            person=lead,
            kind=Route.Kind.TEAM_LEAD,
            round=1,
            reason=f"team lead of {asker.team.name}"[:200],
            created_at=now,
        )
        sent = notify(
            recipient=lead,
            kind="questions.escalate",
            message=(
                f"Customer waiting over {waited} minutes: {asker.name} asked “{question.title}” "
                "and nobody has answered yet."
            ),
            url=question.get_absolute_url(),
            dedupe_key=f"questions.escalate:{question.pk}:{lead.pk}",
        )
        told += sent is not None
    return told


def _due_questions(now: datetime):
    """The one read of the sweep: open, unanswered questions that may be due, with their last
    round of experts. Whether a normal one is due in working days is decided in Python."""
    period = settings.QUESTIONS_REROUTE_WORKING_DAYS
    escalate_at = now - timedelta(minutes=settings.QUESTIONS_ESCALATE_MINUTES)
    last = Route.objects.filter(question=OuterRef("pk"), kind=Route.Kind.EXPERT).order_by(
        "-round", "-created_at"
    )
    escalated = Route.objects.filter(question=OuterRef("pk"), kind=Route.Kind.TEAM_LEAD)
    # Someone to escalate to: an active manager of the asker's team other than the asker.
    has_lead = Team.managers.through.objects.filter(
        team_id=OuterRef("author__team_id"), user__is_active=True
    ).exclude(user_id=OuterRef("author_id"))
    urgent = (
        Q(urgency=Question.Urgency.CUSTOMER_WAITING)
        & Q(created_at__lte=escalate_at, created_at__gt=escalate_at - ESCALATE_WITHIN)
        & Q(Exists(has_lead))
        & ~Q(Exists(escalated))
    )
    # One working day is at least 23 hours (a daylight-saving night), whatever the calendar.
    normal = (
        Q(urgency=Question.Urgency.NORMAL)
        & Q(created_at__gte=working_days_before(now, period * REROUTE_HORIZON_PERIODS))
        & Q(last_at__lte=now - timedelta(hours=24 * period - 1))
        & (Q(last_round__isnull=True) | Q(last_round__lt=MAX_ROUNDS))
    )
    return (
        Question.objects.unanswered()
        .annotate(
            last_round=Subquery(last.values("round")[:1]),
            last_at=Coalesce(Subquery(last.values("created_at")[:1]), F("created_at")),
        )
        .filter(urgent | normal)
        .order_by("created_at", "pk")
    )


def questions_route_due(*, now: datetime) -> int:
    """The periodic sweep: (a) escalate each "customer waiting" question unanswered for
    QUESTIONS_ESCALATE_MINUTES to the asker's team leads; (b) bring each normal question
    unanswered QUESTIONS_REROUTE_WORKING_DAYS working days after its last round to the next
    experts, up to MAX_ROUNDS rounds. Each question in its own transaction, each person told
    once even when sweeps overlap. Returns how many people were told."""
    told = 0
    period = settings.QUESTIONS_REROUTE_WORKING_DAYS
    for question in _due_questions(now):
        if question.is_urgent:
            told += _escalate(question, now)
        elif working_days_after(question.last_at, period) <= now:
            with transaction.atomic():
                told += _route_round(question, (question.last_round or 1) + 1, now)[1]
    return told
