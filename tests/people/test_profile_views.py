"""Directory, profile and profile editing: own profile only, bad input changes nothing."""

from __future__ import annotations

import pytest

from people.models import User
from tests.factories import UserFactory


def test_profile_shows_skills_team_and_goals(agent_client, agent):
    agent.career_goals = "Handle chargebacks alone"
    agent.save()
    response = agent_client.get(f"/people/u/{agent.username}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "refunds" in body
    assert "Billing Support" in body
    assert "Handle chargebacks alone" in body


def test_unknown_person_is_404(agent_client):
    assert agent_client.get("/people/u/nobody-here/").status_code == 404


def _results(client, query: str) -> str:
    """The directory's result list alone (what htmx swaps in), without the page header."""
    return client.get(f"/people/?{query}", headers={"HX-Request": "true"}).content.decode()


def test_inactive_person_is_hidden(agent_client):
    gone = UserFactory(username="gone", is_active=False)
    assert agent_client.get(f"/people/u/{gone.username}/").status_code == 404
    assert gone.get_absolute_url() not in _results(agent_client, "q=gone")
    assert "0 people" in _results(agent_client, "q=gone")


def test_user_edits_own_profile(agent_client, agent):
    response = agent_client.post(
        f"/people/u/{agent.username}/edit/",
        {
            "display_name": "Alex A.",
            "job_title": "Senior Agent",
            "experience_level": "experienced",
            "timezone": "Europe/Berlin",
            "skills": "refunds, chargebacks",
            "interests": "coaching",
            "career_goals": "Lead",
            "email": "alex@example.com",
            "email_notifications": "",
        },
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.display_name == "Alex A."
    assert agent.timezone == "Europe/Berlin"
    assert agent.email_notifications is False
    assert sorted(agent.skills.names()) == ["chargebacks", "refunds"]
    assert list(agent.interests.names()) == ["coaching"]
    assert agent.profile_gaps() == []


def test_skills_and_interests_are_separate_vocabularies(agent):
    agent.interests.set(["refunds"])
    assert list(User.objects.filter(skills__name="refunds")) == [agent]
    assert [t.name for t in agent.interests.all()] == ["refunds"]
    from people.models import Interest, Skill

    assert Skill.objects.filter(name="refunds").count() == 1
    assert Interest.objects.filter(name="refunds").count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_edits_someone_elses_profile(client, agent, manager, method):
    client.force_login(manager)  # even a manager
    before = User.objects.get(pk=agent.pk).display_name
    response = getattr(client, method)(
        f"/people/u/{agent.username}/edit/", {"display_name": "Hacked", "timezone": "UTC"}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=agent.pk).display_name == before


VALID = {"timezone": "UTC", "experience_level": "new", "job_title": "Agent"}


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("timezone", "Mars/Olympus", "Select a valid choice"),
        ("experience_level", "wizard", "Select a valid choice"),
        ("display_name", "x" * 101, "at most 100 characters"),
        ("email", "not-an-email", "valid email"),
        ("skills", ", ".join(f"skill {n}" for n in range(31)), "at most 30"),
        ("skills", "y" * 51, "at most 50 characters"),
        ("career_goals", "z" * 2001, "at most 2000 characters"),
    ],
)
def test_bad_profile_input_gives_form_errors_and_changes_nothing(
    agent_client, agent, field, value, error
):
    before = User.objects.values().get(pk=agent.pk)
    skills_before = sorted(agent.skills.names())
    response = agent_client.post(f"/people/u/{agent.username}/edit/", {**VALID, field: value})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert User.objects.values().get(pk=agent.pk) == before
    assert sorted(agent.skills.names()) == skills_before


def test_directory_filters_by_skill_team_and_text(agent_client, agent, outsider):
    sql_person = UserFactory(username="sql-person", skills=["sql"], team=outsider.team)
    by_skill = _results(agent_client, "skill=SQL")
    assert sql_person.get_absolute_url() in by_skill
    assert agent.get_absolute_url() not in by_skill
    by_team = _results(agent_client, "team=tech")
    assert outsider.get_absolute_url() in by_team
    assert agent.get_absolute_url() not in by_team
    by_text = _results(agent_client, "q=refun")
    assert agent.get_absolute_url() in by_text
    assert outsider.get_absolute_url() not in by_text


def test_directory_htmx_request_gets_the_results_partial(agent_client):
    assert "<html" not in _results(agent_client, "q=a")


def test_manager_sees_their_team_with_profile_status(manager_client, agent, outsider):
    incomplete = UserFactory(username="newbie", team=agent.team, job_title="")
    response = manager_client.get("/people/my-team/")
    assert response.status_code == 200
    body = response.content.decode()
    assert agent.get_absolute_url() in body
    assert incomplete.get_absolute_url() in body
    assert "Incomplete" in body
    assert outsider.get_absolute_url() not in body  # not their team


@pytest.mark.parametrize("who", ["agent", "mentor", "editor", "outsider"])
def test_only_managers_get_the_team_overview(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/people/my-team/").status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_directory_query_count_is_constant(agent_client, django_assert_max_num_queries, size):
    UserFactory.create_batch(size, skills=["a", "b", "c"], interests=["d"])
    with django_assert_max_num_queries(8):
        assert agent_client.get("/people/").status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_team_pages_query_counts_are_constant(
    manager_client, team, django_assert_max_num_queries, size
):
    UserFactory.create_batch(size, team=team, skills=["a", "b"], roles=["Agent"])
    with django_assert_max_num_queries(8):
        assert manager_client.get("/people/my-team/").status_code == 200
    with django_assert_max_num_queries(8):
        assert manager_client.get(f"/people/teams/{team.slug}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert manager_client.get("/people/teams/").status_code == 200
