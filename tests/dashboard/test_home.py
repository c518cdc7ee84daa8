"""The personal home page and the demo organisation."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kb.models import Article
from people.models import Role, Team, User
from tests.factories import NotificationFactory, UserFactory


def test_home_greets_and_shows_latest_notifications(agent_client, agent):
    NotificationFactory(recipient=agent, message="Your mentor replied")
    body = agent_client.get("/").content.decode()
    assert f"Hello, {agent.name}" in body
    assert "Your mentor replied" in body


def test_home_asks_to_finish_an_incomplete_profile(client, team):
    newbie = UserFactory(team=team, job_title="")
    client.force_login(newbie)
    body = client.get("/").content.decode()
    assert "Finish your profile" in body
    assert "job title, skills, interests" in body


def test_home_lists_teammates_but_not_other_teams(agent_client, mentor, outsider):
    body = agent_client.get("/").content.decode()
    assert mentor.get_absolute_url() in body
    assert outsider.get_absolute_url() not in body


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_realistic():
    call_command("seed_demo", stdout=None)
    counts = (User.objects.count(), Team.objects.count(), Article.objects.count())
    changed = User.objects.get(username="agent")
    changed.set_password("my own password")
    changed.save()
    call_command("seed_demo", stdout=None)
    assert (User.objects.count(), Team.objects.count(), Article.objects.count()) == counts
    assert counts[0] >= 30
    assert counts[1] >= 3
    assert User.objects.get(username="agent").check_password("my own password")
    for username, role in [
        ("agent", Role.AGENT),
        ("mentor", Role.MENTOR),
        ("manager", Role.MANAGER),
        ("editor", Role.KB_EDITOR),
        ("admin", Role.ADMIN),
    ]:
        assert User.objects.with_role(role).filter(username=username).exists()
    assert User.objects.get(username="mentor").check_password("huddle-demo")
    assert User.objects.filter(skills__isnull=False).distinct().count() >= 25
    assert User.objects.profile_incomplete().exists()  # someone for the onboarding reminder
    assert Article.objects.published().exists()
    assert Article.objects.awaiting_review().exists()
