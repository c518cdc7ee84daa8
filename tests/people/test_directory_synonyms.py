"""The people directory's search applies the editors' synonym groups (filled in by the search
app through `people.hooks`): "2fa" finds people skilled in "two-factor authentication"."""

from __future__ import annotations

import pytest

from people import hooks
from search import services as search_services
from tests.factories import UserFactory


@pytest.fixture
def security_expert(team):
    return UserFactory(
        username="sam", display_name="Sam Keller", team=team,
        skills=["Two-Factor Authentication"], job_title="Support Agent",
    )  # fmt: skip


def _found(client, q: str) -> str:
    response = client.get("/people/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_a_synonym_finds_people_skilled_in_the_other_words(
    client, agent, editor, security_expert, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    assert security_expert.get_absolute_url() not in _found(client, "2fa")
    with django_capture_on_commit_callbacks(execute=True):
        search_services.synonym_save(user=editor, terms="2FA, two-factor authentication, mfa")
    for q in ("2fa", " 2FA ", "MFA"):
        assert security_expert.get_absolute_url() in _found(client, q), q
    assert "1 person" in _found(client, "2fa")


def test_the_job_title_matches_synonyms_too(client, agent, editor):
    lead = UserFactory(username="lead", job_title="Chargeback specialist")
    search_services.synonym_save(user=editor, terms="refund, chargeback")
    client.force_login(agent)
    assert lead.get_absolute_url() in _found(client, "refund")


def test_synonyms_never_match_names(client, agent, editor):
    """A group widens what someone knows, not who they are: nobody named "Refund" turns up
    for "chargeback"."""
    namesake = UserFactory(username="refundsmith", display_name="Refund Smith", job_title="")
    search_services.synonym_save(user=editor, terms="refund, chargeback")
    client.force_login(agent)
    assert namesake.get_absolute_url() not in _found(client, "chargeback")


def test_a_deleted_group_stops_matching_at_once(
    client, agent, editor, security_expert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        group = search_services.synonym_save(user=editor, terms="2fa, two-factor authentication")
    client.force_login(agent)
    assert security_expert.get_absolute_url() in _found(client, "2fa")
    with django_capture_on_commit_callbacks(execute=True):
        search_services.synonym_delete(user=editor, synonym=group)
    assert security_expert.get_absolute_url() not in _found(client, "2fa")


def test_inactive_people_stay_hidden_whatever_the_synonyms(client, agent, editor):
    gone = UserFactory(username="gone", skills=["two-factor authentication"], is_active=False)
    search_services.synonym_save(user=editor, terms="2fa, two-factor authentication")
    client.force_login(agent)
    assert gone.get_absolute_url() not in _found(client, "2fa")


def test_expanders_are_bounded_and_never_repeat_the_typed_words(monkeypatch):
    monkeypatch.setattr(hooks, "_expanders", {})
    monkeypatch.setattr(hooks, "discover", lambda module_name: None)
    hooks.query_expander("test.many")(lambda text: [text.upper(), *(f"w{i}" for i in range(50))])
    hooks.query_expander("test.again")(lambda text: ["W1", "  two   words "])
    words = hooks.expand_query("Typed")
    assert "typed" not in words
    # Expanders run in name order; "W1" from the second one is already there.
    assert words[:3] == ["w1", "two words", "w0"]
    assert words.count("w1") == 1
    assert len(words) == hooks.MAX_EXPANSIONS


@pytest.mark.parametrize("size", [3, 30])
def test_directory_search_with_synonyms_query_count_is_constant(
    client, agent, editor, size, django_assert_max_num_queries
):
    search_services.synonym_save(user=editor, terms="2fa, two-factor authentication")
    UserFactory.create_batch(size, skills=["two-factor authentication", "b"])
    client.force_login(agent)
    # The directory's own (session, user, roles, count, page, skills) and the synonym groups
    # (read once, then cached), and the apps' card notes (mentorship's open mentors: 1).
    with django_assert_max_num_queries(9):
        body = _found(client, "2fa")
    assert f"{size} people" in body
