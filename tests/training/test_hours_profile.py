"""Learning hours on the profile: completed tracks, sessions attended and external learning
that has happened (approved or needing no approval) add up; learning still ahead or waiting
for approval shows apart as planned; the person and their managers see the hours and
external learning, colleagues only the completed tracks they may open themselves; constant
queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from people.models import Role
from tests.factories import TeamFactory, UserFactory
from tests.search.pages import parse
from tests.training.builders import enrol, make_session, make_track
from training.models import ExternalLearning, SessionSignup
from training.selectors.hours import ZERO, learning_hours
from training.services.crosstraining import external_decide, external_log

SIZES = [2, 8]
# The profile page seen by the person's manager, measured at both sizes on SQLite and
# PostgreSQL: the page and kb's section (7), this section's four, mentorship's two, and
# recognition's three (latest kudos with their count, latest praise with its count, badges),
# questions' one (the answers counted), and the dashboard's one (whether the manager may
# hand over this person's work).
PROFILE_QUERIES = 18


def _completed(user, track, n: int = 0):
    return enrol(
        user, track, status="completed", completed_at=timezone.now() - timedelta(days=n),
        certificate_code=f"CODE-{user.pk}-{track.pk}",
    )  # fmt: skip


def _attended(user, session, attended=True):
    return SessionSignup.objects.create(
        session=session, user=user, status="confirmed", attended=attended
    )


def _days(offset: int):
    return timezone.localdate() + timedelta(days=offset)


def _external(person, hours: str, *, ago: int = 30, **data):
    """An entry whose last day was `ago` days ago (negative: still ahead)."""
    data = {"title": "Course", "kind": "course", "starts_on": _days(-ago - 1),
            "ends_on": _days(-ago), "hours": Decimal(hours), **data}  # fmt: skip
    return external_log(person=person, data=data, ask_approval=data.pop("ask", False))


def test_hours_add_up_from_the_three_sources(agent, editor, manager):
    _completed(agent, make_track(owner=editor, title="Refunds", estimated_minutes=90))
    _completed(agent, make_track(owner=editor, title="Empathy", estimated_minutes=45))
    enrol(agent, make_track(owner=editor, title="Unfinished", estimated_minutes=600))
    _attended(agent, make_session(organiser=editor, title="Roundtable", days=-3))
    _attended(
        agent,
        make_session(
            organiser=editor, title="Workshop", days=-10,
            ends_at=timezone.now() - timedelta(days=10) + timedelta(minutes=150),
            starts_at=timezone.now() - timedelta(days=10),
        ),
    )  # fmt: skip
    _attended(agent, make_session(organiser=editor, title="Missed", days=-5), attended=False)
    _external(agent, "7.5")  # needed no approval
    approved = _external(agent, "4", ask=True)
    external_decide(entry=approved, manager=manager, approve=True)
    _external(agent, "1.5", ago=0, title="Ended today")
    declined = _external(agent, "40", ask=True)
    external_decide(entry=declined, manager=manager, approve=False, reason="No budget")
    _completed(editor, make_track(owner=editor, title="Someone else's", estimated_minutes=60))

    hours = learning_hours(user=agent)
    assert hours.tracks == Decimal("2.3")  # 135 minutes
    assert hours.sessions == Decimal("3.5")  # 60 + 150 minutes
    assert hours.external == Decimal("13.0")
    assert hours.total == Decimal("18.8")
    assert hours.total == hours.tracks + hours.sessions + hours.external
    assert (hours.track_count, hours.session_count, hours.external_count) == (2, 2, 3)
    assert (hours.planned, hours.planned_count) == (Decimal("0.0"), 0)


def test_learning_not_happened_yet_or_not_approved_is_planned_not_counted(agent, manager):
    _external(agent, "12", ago=-40, ask=True, title="Conference next year")  # ahead, pending
    _external(agent, "3", ago=-1, title="Course tomorrow")  # ahead, no approval needed
    _external(agent, "2", ago=5, ask=True, title="Past, still pending")
    approved_ahead = _external(agent, "6", ago=-10, ask=True, title="Approved, ahead")
    external_decide(entry=approved_ahead, manager=manager, approve=True)
    declined = _external(agent, "40", ago=-20, ask=True)
    external_decide(entry=declined, manager=manager, approve=False, reason="No budget")

    hours = learning_hours(user=agent)
    assert (hours.external, hours.external_count, hours.total) == (Decimal("0.0"), 0, ZERO)
    assert (hours.planned, hours.planned_count) == (Decimal("23.0"), 4)
    assert (hours.pending, hours.pending_count) == (Decimal("14.0"), 2)
    # The day it ends, what needed no approval counts.
    later = learning_hours(user=agent, today=_days(1))
    assert (later.external, later.planned) == (Decimal("3.0"), Decimal("20.0"))


def test_nothing_learned_is_zero(agent):
    hours = learning_hours(user=agent)
    assert hours.total == Decimal("0.0")
    assert hours.track_count == 0


@pytest.mark.parametrize("size", SIZES)
def test_hours_take_one_query(agent, editor, size, django_assert_num_queries):
    for i in range(size):
        _completed(agent, make_track(owner=editor, title=f"Track {i}"))
        _attended(agent, make_session(organiser=editor, title=f"Session {i}", days=-1 - i))
        _external(agent, "1")
    with django_assert_num_queries(1):
        hours = learning_hours(user=agent)
    assert hours.track_count == size


def _section(client, viewer, person):
    client.force_login(viewer)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    return parse(response).find("section", aria_labelledby="profile-learning-h")


@pytest.fixture
def learner(agent, editor):
    _completed(agent, make_track(owner=editor, title="Refunds", estimated_minutes=60))
    _external(agent, "3", title="Support Driven Expo")
    return agent


def test_the_person_and_their_manager_see_hours_and_external_learning(client, learner, manager):
    for viewer in (learner, manager):
        section = _section(client, viewer, learner)
        text = section.text()
        assert _facts(section)["Total"] == "4 h"  # whole hours without ".0"
        assert "Support Driven Expo" in text
        code = learner.training_enrolments.get().certificate_code
        assert section.find("a", href=f"/training/certificates/{code}/")


def _facts(section) -> dict[str, str]:
    facts = section.find("dl")
    names = [dt.text() for dt in facts.find_all("dt")]
    return dict(zip(names, [dd.text() for dd in facts.find_all("dd")], strict=True))


def test_nothing_yet_reads_none_yet(client, agent):
    facts = _facts(_section(client, agent, agent))
    assert facts == {
        "Training tracks": "None yet",
        "Sessions attended": "None yet",
        "External learning": "None yet",
        "Total": "None yet",
    }


def test_planned_learning_shows_apart_from_the_total(client, agent, manager):
    _external(agent, "12", ago=-40, ask=True, title="Conference next year")
    facts = _facts(_section(client, agent, agent))
    assert facts["Total"] == "None yet"
    assert facts["Planned"].startswith("12 h, waiting for approval")
    _external(agent, "2.5", title="Workshop last month")
    _external(agent, "3", ago=-2, title="Course ahead")
    section = _section(client, agent, agent)
    facts = _facts(section)
    assert facts["External learning"] == "2.5 h (1 attended)"
    assert facts["Total"] == "2.5 h"
    assert facts["Planned"].startswith("15 h, 12 h of it waiting for approval")
    text = " ".join(section.text().split())
    assert "Conference next year Course · " in text
    assert "12 h · waiting for approval" in text
    assert "3 h · planned" in text


def test_a_colleague_sees_only_completed_tracks(client, learner, mentor, outsider):
    for viewer in (mentor, outsider):
        text = _section(client, viewer, learner).text()
        assert "Refunds" in text
        assert "Support Driven Expo" not in text
        assert " h " not in f" {text} "


def test_a_team_only_track_is_not_shown_to_others(client, agent, editor, outsider, team):
    track = make_track(owner=editor, title="Billing internals", visibility="teams")
    track.teams.set([team])
    _completed(agent, track)
    assert _section(client, outsider, agent) is None
    assert "Billing internals" in _section(client, agent, agent).text()


def test_nothing_to_show_a_colleague_shows_no_section(client, agent, mentor):
    assert _section(client, mentor, agent) is None
    assert _section(client, agent, agent) is not None  # the person sees their zero hours


def test_a_manager_of_another_team_is_a_colleague_here(client, learner):
    boss = UserFactory(team=TeamFactory(slug="sales"), roles=[Role.MANAGER])
    boss.team.managers.add(boss)
    assert "Support Driven Expo" not in _section(client, boss, learner).text()


def test_declined_external_learning_is_not_listed(client, agent, manager):
    entry = _external(agent, "3", title="Declined course", ask=True)
    external_decide(entry=entry, manager=manager, approve=False, reason="No")
    assert "Declined course" not in _section(client, agent, agent).text()
    assert ExternalLearning.objects.count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_the_profile_query_count_is_constant(
    client, agent, editor, manager, size, django_assert_max_num_queries
):
    for i in range(size):
        _completed(agent, make_track(owner=editor, title=f"Track {i}"), n=i)
        _attended(agent, make_session(organiser=editor, title=f"Session {i}", days=-1 - i))
        _external(agent, "1", title=f"Course {i}")
    client.force_login(manager)
    with django_assert_max_num_queries(PROFILE_QUERIES):
        response = client.get(agent.get_absolute_url())
    section = parse(response).find("section", aria_labelledby="profile-learning-h")
    assert len(section.find_all("li")) == size + min(size, 5)


@pytest.mark.parametrize("size", SIZES)
def test_the_section_reads_in_four_queries_at_most(
    agent, editor, manager, mentor, size, django_assert_max_num_queries
):
    from training.profile_sections import learning

    for i in range(size):
        _completed(agent, make_track(owner=editor, title=f"Track {i}"), n=i)
        _external(agent, "1", title=f"Course {i}")
    for viewer in (manager, mentor, agent):
        assert viewer.role_names is not None  # read once per request, before any section
    # The manager check, completed tracks, the hours, recent external learning.
    with django_assert_max_num_queries(4):
        learning(manager, agent)
    manager_view = learning(manager, agent)
    assert len(manager_view.context["completed"]) == size
    with django_assert_max_num_queries(1):
        colleague_view = learning(mentor, agent)
    with django_assert_max_num_queries(3):
        learning(agent, agent)
    assert "hours" not in colleague_view.context
