"""The routing sweep: a "customer waiting" question escalated to the asker's team lead once,
after QUESTIONS_ESCALATE_MINUTES; a normal question re-routed to the next experts once per
round after a working day (Friday to Monday), three rounds at most; nothing once answered,
closed or deflected; each person told once, also when sweeps overlap; the beat task."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from people.models import Role
from questions import tasks
from questions.models import Question, Route
from questions.services.routing import question_route, questions_route_due
from questions.working_days import working_days_after, working_days_before
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question

ZONE = "America/New_York"
NY = ZoneInfo(ZONE)
FRIDAY_4PM = datetime(2024, 5, 3, 16, 0, tzinfo=NY)
MONDAY_4PM = datetime(2024, 5, 6, 16, 0, tzinfo=NY)
URGENT = Question.Urgency.CUSTOMER_WAITING


def experts(team, n: int):
    return [
        UserFactory(
            username=f"expert{i}", display_name=f"Expert {i:02}", team=team,
            roles=[Role.AGENT], skills=["refunds"],
        )
        for i in range(n)
    ]  # fmt: skip


def told(kind: str) -> list[tuple[int, int]]:
    """(recipient, how many) per person told `kind`."""
    rows = Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True)
    return sorted((pk, list(rows).count(pk)) for pk in set(rows))


# --- working days -------------------------------------------------------------------------


def test_a_working_day_after_friday_afternoon_is_monday_afternoon():
    assert working_days_after(FRIDAY_4PM, 1, zone=NY) == MONDAY_4PM
    wednesday = datetime(2024, 5, 1, 9, 30, tzinfo=NY)
    assert working_days_after(wednesday, 2, zone=NY) == datetime(2024, 5, 3, 9, 30, tzinfo=NY)


def test_a_weekend_moment_counts_from_monday_morning():
    saturday = datetime(2024, 5, 4, 10, 0, tzinfo=NY)
    assert working_days_after(saturday, 1, zone=NY) == datetime(2024, 5, 7, 0, 0, tzinfo=NY)


def test_working_days_use_the_organisations_clock(settings):
    settings.TIME_ZONE = ZONE
    # 21:00 on Friday in UTC is still Friday afternoon in New York.
    friday_utc = FRIDAY_4PM.astimezone(ZoneInfo("UTC"))
    assert working_days_after(friday_utc, 1) == MONDAY_4PM
    assert working_days_before(MONDAY_4PM, 1) == datetime(2024, 5, 3, 0, 0, tzinfo=NY)


# --- escalation -----------------------------------------------------------------------------


@pytest.fixture
def waiting(agent, manager):
    """A "customer waiting" question asked at `asked` by the agent, whose team lead is the
    manager."""
    return make_question(
        author=agent, title="Customer on the line: refund?", urgency=URGENT,
        created_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip


@pytest.mark.django_db
def test_a_waiting_customer_is_escalated_to_the_team_lead_once(waiting, manager, settings):
    settings.QUESTIONS_ESCALATE_MINUTES = 15
    asked = waiting.created_at
    assert questions_route_due(now=asked + timedelta(minutes=14)) == 0
    assert questions_route_due(now=asked + timedelta(minutes=15)) == 1
    assert questions_route_due(now=asked + timedelta(minutes=20)) == 0
    assert told("questions.escalate") == [(manager.pk, 1)]
    note = Notification.objects.get(kind="questions.escalate")
    assert note.dedupe_key == f"questions.escalate:{waiting.pk}:{manager.pk}"
    assert "Customer waiting over 15 minutes" in note.message
    assert note.url == waiting.get_absolute_url()
    route = Route.objects.get(question=waiting)
    assert (route.person, route.kind) == (manager, Route.Kind.TEAM_LEAD)


@pytest.mark.django_db
def test_no_escalation_once_answered(waiting, mentor):
    make_answer(question=waiting, author=mentor)
    assert questions_route_due(now=waiting.created_at + timedelta(minutes=30)) == 0
    assert not Notification.objects.filter(kind="questions.escalate").exists()


@pytest.mark.django_db
def test_no_escalation_a_day_later(waiting):
    assert questions_route_due(now=waiting.created_at + timedelta(hours=25)) == 0


@pytest.mark.django_db
def test_the_lead_is_escalated_to_only_when_able_to_read_it(agent, manager, other_team):
    hidden = make_question(
        author=agent, title="Refund for a tech-only case", urgency=URGENT, teams=[other_team],
        created_at=timezone.now() - timedelta(minutes=30),
    )  # fmt: skip
    assert questions_route_due(now=timezone.now()) == 0
    assert not Route.objects.filter(question=hidden).exists()


@pytest.mark.django_db
def test_a_lead_asking_is_not_escalated_to_themselves(manager):
    make_question(
        author=manager, title="My customer is waiting: refund?", urgency=URGENT,
        created_at=timezone.now() - timedelta(minutes=30),
    )  # fmt: skip
    assert questions_route_due(now=timezone.now()) == 0


@pytest.mark.django_db
def test_an_inactive_lead_is_not_told(waiting, manager):
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    assert questions_route_due(now=timezone.now()) == 0


@pytest.mark.django_db
def test_a_lead_already_asked_as_an_expert_still_hears_the_customer_waits(waiting, manager):
    Route.objects.create(question=waiting, person=manager, reason="lists refunds")
    assert questions_route_due(now=timezone.now()) == 1
    assert told("questions.escalate") == [(manager.pk, 1)]


# --- re-routing -----------------------------------------------------------------------------


@pytest.fixture
def friday(settings, agent, team):
    """A normal question asked on Friday at 16:00 in New York and routed then to two of seven
    experts."""
    settings.TIME_ZONE = ZONE
    settings.QUESTIONS_EXPERTS_PER_ROUND = 2
    settings.QUESTIONS_REROUTE_WORKING_DAYS = 1
    people = experts(team, 7)
    question = make_question(author=agent, tags=["refunds"], created_at=FRIDAY_4PM)
    question_route(question=question, now=FRIDAY_4PM)
    return question, people


@pytest.mark.django_db
def test_an_unanswered_question_goes_to_the_next_experts_once_per_working_day(friday):
    question, people = friday
    assert questions_route_due(now=MONDAY_4PM - timedelta(minutes=1)) == 0
    assert questions_route_due(now=MONDAY_4PM) == 2
    assert questions_route_due(now=MONDAY_4PM + timedelta(hours=3)) == 0
    tuesday = MONDAY_4PM + timedelta(days=1)
    assert questions_route_due(now=tuesday) == 2
    # Three rounds at most, though three experts were never asked.
    assert questions_route_due(now=tuesday + timedelta(days=1)) == 0
    assert questions_route_due(now=tuesday + timedelta(days=3)) == 0
    rounds = list(Route.objects.filter(question=question).values_list("person", "round"))
    assert rounds == [(p.pk, n) for n, pair in ((1, people[:2]), (2, people[2:4]),
                                                (3, people[4:6])) for p in pair]  # fmt: skip
    assert told("questions.route") == [(p.pk, 1) for p in people[:6]]


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["answered", "closed", "deflected"])
def test_no_rerouting_once_answered_closed_or_deflected(friday, outcome, mentor):
    question, _ = friday
    if outcome == "answered":
        make_answer(question=question, author=mentor)
    else:
        other = make_question(author=mentor, title="The same question, answered before")
        Question.objects.filter(pk=question.pk).update(
            status=outcome, closed_at=FRIDAY_4PM, deflected_by_question=other
        )
    assert questions_route_due(now=MONDAY_4PM + timedelta(hours=1)) == 0
    assert Route.objects.filter(question=question, round__gt=1).count() == 0


@pytest.mark.django_db
def test_a_question_nobody_knew_reaches_an_expert_who_came_later(settings, agent, team):
    settings.TIME_ZONE = ZONE
    question = make_question(author=agent, tags=["chargebacks"], created_at=FRIDAY_4PM)
    assert question_route(question=question, now=FRIDAY_4PM) == []
    assert questions_route_due(now=MONDAY_4PM) == 0
    newcomer = UserFactory(team=team, roles=[Role.AGENT], skills=["chargebacks"])
    assert questions_route_due(now=MONDAY_4PM + timedelta(minutes=5)) == 1
    assert Route.objects.get(question=question).person == newcomer


@pytest.mark.django_db
def test_a_waiting_customer_is_escalated_not_rerouted(settings, agent, team):
    settings.TIME_ZONE = ZONE
    experts(team, 4)
    urgent = make_question(author=agent, tags=["refunds"], urgency=URGENT, created_at=FRIDAY_4PM)
    question_route(question=urgent, now=FRIDAY_4PM)
    questions_route_due(now=MONDAY_4PM + timedelta(hours=1))
    assert not Route.objects.filter(question=urgent, round__gt=1).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_a_sweep_with_nothing_due_reads_once(size, settings, agent, team):
    settings.TIME_ZONE = ZONE
    for i in range(size):
        make_question(author=agent, title=f"Asked a moment ago {i}", created_at=FRIDAY_4PM)
    with CaptureQueriesContext(connection) as queries:
        assert questions_route_due(now=FRIDAY_4PM + timedelta(hours=2)) == 0
    assert len(queries) == 1


# --- overlapping sweeps and the beat task ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_overlapping_sweeps_tell_each_person_once(settings, agent, team, manager):
    settings.TIME_ZONE = ZONE
    settings.QUESTIONS_EXPERTS_PER_ROUND = 2
    people = experts(team, 4)
    normal = make_question(author=agent, tags=["refunds"], created_at=FRIDAY_4PM)
    question_route(question=normal, now=FRIDAY_4PM)
    make_question(
        author=agent, title="Customer waiting on a refund", urgency=URGENT,
        created_at=MONDAY_4PM - timedelta(minutes=20),
    )  # fmt: skip

    results = run_in_threads(lambda i: questions_route_due(now=MONDAY_4PM), count=4)

    assert sum(results) == 3  # two experts of round 2 and the team lead
    assert told("questions.route") == [(p.pk, 1) for p in people]
    assert told("questions.escalate") == [(manager.pk, 1)]
    assert Route.objects.filter(question=normal, round=2).count() == 2


@pytest.mark.django_db
def test_the_beat_task_runs_the_sweep(waiting, manager):
    assert tasks.questions_route_due() == 1
    assert tasks.questions_route_due() == 0  # the next beat finds nothing new to tell
    assert told("questions.escalate") == [(manager.pk, 1)]
