"""The words of a plan (meeting notes and agendas, goal titles and descriptions, action
items) are the pair's alone: the mentee's manager, a programme manager and an admin see the
pairing's health in numbers, an outsider nothing at all (404); none of them reads those
words on the page, in a notification or an email, or finds them through search. Feedback is
read by programme managers (and admins) only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mentorship.services import pairings as services
from mentorship.services import plans
from notifications.models import Notification
from notifications.services import reminders_sweep
from searchkit import pipeline
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.search.pages import result_snippets, result_titles

pytestmark = pytest.mark.django_db

# One made-up word per kind of private text, so a leak names its source.
NOTES, AGENDA, GOAL, GOAL_TEXT, ACTION = (
    "Quillwortian",
    "Marzipanic",
    "Zephyrinely",
    "Tamarindous",
    "Obsidianlike",
)
SECRETS = (NOTES, AGENDA, GOAL, GOAL_TEXT, ACTION)


@pytest.fixture
def boss(other_team):
    return UserFactory(username="progman", team=other_team)


@pytest.fixture
def admin(other_team):
    return UserFactory(username="admin", team=other_team, is_superuser=True, is_staff=True)


@pytest.fixture
def pairing(boss, mentor, agent, django_capture_on_commit_callbacks):
    """An active pairing whose plan holds every kind of private text: a goal, a meeting held
    with notes and an agenda, an action item each, and a meeting to come."""
    program = make_program(managers=[boss], cadence_days=7)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        pairing = make_pairing(program=program, mentor=mentor, mentee=agent)
        plans.goal_add(
            pairing=pairing,
            user=agent,
            data={"title": f"Learn {GOAL}", "description": f"Mostly {GOAL_TEXT}", "progress": 40},
        )
        held = plans.meeting_add(
            pairing=pairing,
            user=mentor,
            data={
                "starts_at": now - timedelta(days=3),
                "duration_minutes": 45,
                "agenda": f"Talk about {AGENDA}",
                "notes": f"We agreed on {NOTES}",
            },
        )
        for owner in (mentor, agent):
            plans.action_item_add(
                meeting=held,
                user=mentor,
                data={"title": f"Try {ACTION}", "owner": owner, "due_on": now.date()},
            )
        plans.meeting_add(
            pairing=pairing,
            user=agent,
            data={"starts_at": now + timedelta(days=1), "agenda": f"More {AGENDA}"},
        )
    return pairing


def _leaks(text: str) -> list[str]:
    return [word for word in SECRETS if word.lower() in text.lower()]


def test_the_pair_reads_their_plan(client, pairing, mentor, agent):
    """The words are on the page for the pair (so their absence elsewhere means something)."""
    for member in (mentor, agent):
        client.force_login(member)
        html = client.get(pairing.get_absolute_url()).content.decode()
        assert _leaks(html) == list(SECRETS)


@pytest.mark.parametrize("viewer", ["manager", "boss", "admin"])
def test_overseers_see_health_never_the_words(client, request, pairing, viewer):
    client.force_login(request.getfixturevalue(viewer))

    response = client.get(pairing.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "How it is going" in html
    assert "<dt>Meetings held</dt><dd>1</dd>" in html
    assert "0 of 1" in html  # goals met
    assert _leaks(html) == []


def test_an_outsider_gets_404_without_a_word(client, pairing, outsider):
    client.force_login(outsider)

    response = client.get(pairing.get_absolute_url())

    assert response.status_code == 404
    assert _leaks(response.content.decode()) == []


def test_no_notification_or_email_to_anyone_else_carries_the_words(
    pairing, mentor, agent, manager, boss, django_capture_on_commit_callbacks
):
    # Weeks of silence later: nudges to the pair, then the escalation to the manager; then
    # the manager extends it and a programme manager ends it.
    with django_capture_on_commit_callbacks(execute=True):
        for days in (2, 9, 16, 30, 45):
            reminders_sweep(now=timezone.now() + timedelta(days=days))
        services.pairing_extend(
            pairing=pairing, user=manager, ends_on=pairing.ends_on + timedelta(days=14)
        )
        services.pairing_end(pairing=pairing, user=boss, reason="The programme is paused.")

    others = Notification.objects.exclude(recipient__in=[mentor, agent])
    # The escalation reached the manager (so there was something to leak through).
    assert others.filter(recipient=manager, kind__startswith="mentorship.").exists()
    for note in others:
        assert _leaks(note.message) == [], note.kind
    pair_emails = {mentor.email, agent.email}
    assert [e for e in mail.outbox if manager.email in e.to]
    for email in mail.outbox:
        if set(email.to) - pair_emails:
            assert _leaks(f"{email.subject}\n{email.body}") == [], email.subject


@pytest.mark.parametrize("viewer", ["manager", "boss", "outsider", "mentor", "agent"])
def test_search_never_finds_the_words(client, request, search_index, pairing, editor, viewer):
    make_article(title="Calmcalling an angry customer", author=editor, approved_by=editor)
    pipeline.rebuild()
    client.force_login(request.getfixturevalue(viewer))

    found = client.get("/search/", {"q": "Calmcalling"})
    assert result_titles(found) == ["Calmcalling an angry customer"]  # the index is live
    for word in SECRETS:
        response = client.get("/search/", {"q": word})
        assert response.status_code == 200
        assert result_titles(response) == []
        assert result_snippets(response) == []


def test_feedback_is_for_programme_managers_only(
    client, pairing, mentor, agent, manager, boss, admin, outsider
):
    pairing = services.pairing_complete(pairing=pairing, user=mentor)
    services.feedback_give(pairing=pairing, author=agent, rating=2, comments="Frangipanish")
    services.feedback_give(pairing=pairing, author=mentor, rating=4, comments="Kumquatish")
    url = pairing.get_absolute_url()

    for reader in (boss, admin):
        client.force_login(reader)
        html = client.get(url).content.decode()
        assert "Frangipanish" in html
        assert "Kumquatish" in html
    for other in (mentor, agent, manager, outsider):
        client.force_login(other)
        html = client.get(url).content.decode()
        assert "Frangipanish" not in html
        assert "Kumquatish" not in html
    assert not [n for n in Notification.objects.all() if "Frangipanish" in n.message]
