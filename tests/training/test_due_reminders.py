"""Due-date reminders: due in 3 days, due today, overdue (then weekly) and the managers'
escalation, each exactly once per occasion (every sweep runs twice), none for completed or
withdrawn enrolments, by the learner's own date, in a constant number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from notifications.engine import reminder_sources
from notifications.models import Notification
from notifications.services import reminders_sweep
from people.models import Role
from tests.factories import UserFactory
from tests.training.builders import enrol, make_track
from training.models import Enrolment, Track
from training.reminders.due import overdue_occasion

DUE = date(2031, 3, 10)
KINDS = ("training.due_soon", "training.due_today", "training.overdue")
ESCALATION = "training.overdue_escalation"
SOURCES = (*KINDS, ESCALATION)
SIZES = [2, 12]


def at(days: int, hour: int = 9) -> datetime:
    """`days` after the due date, at `hour` UTC."""
    return datetime.combine(DUE + timedelta(days=days), datetime.min.time(), tzinfo=UTC).replace(
        hour=hour
    )


def sweep(days: int, hour: int = 9) -> None:
    """Twice at the same moment: the second finds nothing new."""
    reminders_sweep(now=at(days, hour))
    reminders_sweep(now=at(days, hour))


def sent(kind: str, recipient=None) -> list[str]:
    notes = Notification.objects.filter(kind=kind)
    if recipient is not None:
        notes = notes.filter(recipient=recipient)
    return list(notes.order_by("pk").values_list("dedupe_key", flat=True))


@pytest.fixture
def due(agent, manager, track) -> Enrolment:
    return enrol(agent, track, assigned_by=manager, due_on=DUE)


def test_due_in_three_days_is_sent_once(due, agent):
    sweep(-4)
    assert sent("training.due_soon") == []
    sweep(-3)
    sweep(-2)
    sweep(-1)
    assert sent("training.due_soon", agent) == [f"training.due-soon:{due.pk}:{DUE}"]
    message = Notification.objects.get(kind="training.due_soon").message
    assert message.startswith("“Refunds basics” is due in 3 days")
    assert Notification.objects.get(kind="training.due_soon").url == due.track.get_absolute_url()


def test_due_today_is_sent_once_on_the_day(due, agent):
    sweep(-1)
    assert sent("training.due_today") == []
    sweep(0, hour=0)
    sweep(0, hour=23)
    assert sent("training.due_today", agent) == [f"training.due-today:{due.pk}:{DUE}"]


def test_overdue_the_day_after_then_weekly(due, agent):
    sweep(0)
    assert sent("training.overdue") == []
    for day in range(1, 7):
        sweep(day)
    assert sent("training.overdue", agent) == [f"training.overdue:{due.pk}:{DUE}:1"]
    sweep(7)
    sweep(8)
    sweep(14)
    sweep(15)
    assert sent("training.overdue", agent) == [
        f"training.overdue:{due.pk}:{DUE}:{n}" for n in (1, 7, 14)
    ]


def test_a_missed_sweep_still_sends_what_is_owed(due, agent):
    sweep(9)  # nothing ran for nine days: the reminder of the week it is now
    assert sent("training.overdue", agent) == [f"training.overdue:{due.pk}:{DUE}:7"]


def test_each_occasion_once_across_the_whole_life_of_a_due_date(due, agent, manager):
    for day in range(-5, 16):
        sweep(day)
    assert [len(sent(kind, agent)) for kind in KINDS] == [1, 1, 3]
    assert len(sent(ESCALATION)) == 1


def test_the_managers_hear_once_when_it_is_overdue(due, agent, manager, team):
    co_manager = UserFactory(team=team, roles=[Role.MANAGER])
    gone = UserFactory(team=team, roles=[Role.MANAGER], is_active=False)
    team.managers.add(co_manager, gone)
    sweep(0)
    assert sent(ESCALATION) == []
    sweep(1)
    sweep(7)
    sweep(30)
    assert sent(ESCALATION, manager) == [f"training.overdue-escalate:{due.pk}:{DUE}:{manager.pk}"]
    assert len(sent(ESCALATION, co_manager)) == 1
    assert sent(ESCALATION, gone) == []
    assert sent(ESCALATION, agent) == []
    note = Notification.objects.filter(kind=ESCALATION, recipient=manager).get()
    assert agent.name in note.message
    assert note.url == "/training/team/?team=billing&status=overdue"


def test_a_learner_managing_their_own_team_is_not_told_twice(manager, track):
    enrol(manager, track, due_on=DUE)
    sweep(1)
    assert len(sent("training.overdue", manager)) == 1
    assert sent(ESCALATION) == []


def test_a_new_due_date_is_a_new_set_of_occasions(due, agent):
    sweep(-3)
    sweep(0)
    moved = DUE + timedelta(days=10)
    Enrolment.objects.filter(pk=due.pk).update(due_on=moved)
    sweep(1)  # not overdue any more: the new date is 9 days away
    assert sent("training.overdue") == []
    sweep(7)  # 3 days before the new date
    sweep(10)
    assert sent("training.due_soon", agent) == [
        f"training.due-soon:{due.pk}:{DUE}",
        f"training.due-soon:{due.pk}:{moved}",
    ]
    assert sent("training.due_today", agent)[-1] == f"training.due-today:{due.pk}:{moved}"


@pytest.mark.parametrize(
    "change",
    [
        {"status": "completed", "completed_at": at(-5), "certificate_code": "DONE-1"},
        {"status": "withdrawn", "withdrawn_at": at(-5)},
    ],
    ids=["completed", "withdrawn"],
)
def test_nothing_for_completed_or_withdrawn_enrolments(due, change):
    Enrolment.objects.filter(pk=due.pk).update(**change)
    for day in (-3, 0, 1, 7, 14):
        sweep(day)
    assert not Notification.objects.filter(kind__in=SOURCES).exists()


def test_completing_stops_the_reminders(due, agent):
    sweep(1)
    Enrolment.objects.filter(pk=due.pk).update(
        status="completed", completed_at=at(2), certificate_code="DONE-2"
    )
    sweep(7)
    assert len(sent("training.overdue", agent)) == 1


def test_nothing_for_inactive_learners_or_unpublished_tracks(due, agent, track):
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    sweep(-3)
    sweep(1)
    agent.is_active = True
    agent.save(update_fields=["is_active"])
    Track.objects.filter(pk=track.pk).update(status="draft", published_at=None)
    sweep(0)
    sweep(7)
    assert not Notification.objects.filter(kind__in=SOURCES).exists()


def test_the_learners_own_date_decides(track, team):
    """At 12:00 UTC on the 9th it is already the 10th in Kiritimati (UTC+14), and still the
    9th in Los Angeles; at 03:00 UTC on the 10th it is the 9th in Los Angeles."""
    kiribati = UserFactory(team=team, timezone="Pacific/Kiritimati")
    los_angeles = UserFactory(team=team, timezone="America/Los_Angeles")
    enrol(kiribati, track, due_on=DUE)
    enrol(los_angeles, track, due_on=DUE)
    sweep(-1, hour=12)
    assert len(sent("training.due_today", kiribati)) == 1
    assert sent("training.due_today", los_angeles) == []
    sweep(0, hour=3)
    assert sent("training.due_today", los_angeles) == []
    sweep(0, hour=9)
    assert len(sent("training.due_today", los_angeles)) == 1
    sweep(0, hour=11)  # the 11th in Kiritimati: overdue there
    assert len(sent("training.overdue", kiribati)) == 1
    assert sent("training.overdue", los_angeles) == []


@pytest.mark.parametrize(("days_late", "occasion"), [(1, 1), (6, 1), (7, 7), (13, 7), (14, 14)])
def test_overdue_occasions(days_late, occasion):
    assert overdue_occasion(days_late) == occasion


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SOURCES)
def test_sources_query_count_is_constant(
    name, size, editor, team, manager, django_assert_max_num_queries
):
    """One query for the enrolments (learner, team and track joined), and for the
    escalation one more for the teams' managers, however many enrolments are due."""
    tracks = [make_track(owner=editor, title=f"Track {i}", task=True) for i in range(size)]
    offsets = (-3, 0, 1, 7)
    for i in range(size):
        other_team = UserFactory(roles=[Role.AGENT]).team  # a team of their own
        other_team.managers.add(UserFactory(team=other_team, roles=[Role.MANAGER]))
        for n, offset in enumerate(offsets):
            person = UserFactory(team=team if n % 2 else other_team)
            enrol(person, tracks[i], due_on=DUE + timedelta(days=-offset))
    source = reminder_sources()[name]
    with django_assert_max_num_queries(2 if name == ESCALATION else 1):
        reminders = list(source(at(0, hour=12)))
    assert len(reminders) >= size
