"""The profile's sections from apps above people (`people.hooks`), and the one kb fills:
the articles a person owns and last verified, among those the viewer may read."""

from __future__ import annotations

import pytest

from kb.models import Article
from kb.services import article_archive, article_verify
from people import hooks
from people.models import Role
from tests.factories import UserFactory, make_article
from tests.search.pages import parse

SIZES = [2, 12]

# Measured, the same at both sizes (2 and 12) on SQLite: the profile page's own six (session,
# user, roles; the person with their team, skills, interests), then kb's section: the two
# counts in one query, the owned and the verified articles with revision and category (3);
# training's section, for a colleague: the completed tracks they may open (1); mentorship's
# section: the mentoring profile with its load, the running roles (2); recognition's section:
# the latest kudos with their count, the latest praise with its count, the badges (3);
# questions' section: the answers given and accepted counted (1).
PROFILE_WITH_ARTICLES_LIMIT = 16


def _profile(client, person):
    response = client.get(f"/people/u/{person.username}/")
    assert response.status_code == 200
    return response


def _titles(response, label_start: str) -> list[str]:
    """The titles of one of the section's lists ("Articles … owns"/"… last verified")."""
    page = parse(response)
    lists = [
        ul for ul in page.find_all("ul") if ul.attrs.get("aria-label", "").endswith(label_start)
    ]
    return [a.text().strip() for ul in lists for a in ul.find_all("a")]


@pytest.fixture
def expert(team):
    return UserFactory(username="expert", team=team, roles=[Role.AGENT])


def test_profile_lists_the_articles_the_person_owns_and_verified(client, agent, editor, expert):
    owned = make_article(author=agent, owner=expert, title="Reset a VPN token", approved_by=editor)
    checked = make_article(author=agent, title="Split a refund", approved_by=editor)
    article_verify(article=checked, user=editor)
    client.force_login(agent)
    response = _profile(client, expert)
    assert _titles(response, "owns") == [owned.title]
    assert _titles(response, "last verified") == []
    editor_page = _profile(client, editor)
    # Only the verification made on purpose counts; approving "Reset a VPN token" does not.
    assert _titles(editor_page, "last verified") == ["Split a refund"]
    assert "Articles owned <span" in editor_page.content.decode()


def test_hidden_articles_never_appear_or_count(client, agent, editor, expert, outsider, team):
    make_article(author=expert, title="Open to all", approved_by=editor)
    make_article(
        author=expert, title="Billing team only", visibility=Article.Visibility.TEAMS,
        teams=[team], approved_by=editor,
    )  # fmt: skip
    make_article(author=expert, title="Still a draft")
    archived = make_article(author=expert, title="Retired rules", approved_by=editor)
    article_archive(article=archived, editor=editor)
    client.force_login(outsider)
    response = _profile(client, expert)
    body = response.content.decode()
    assert _titles(response, "owns") == ["Open to all"]
    assert "(1)" in body
    for hidden in ("Billing team only", "Still a draft", "Retired rules"):
        assert hidden not in body
    client.force_login(agent)  # same team: the restricted one too, never the draft
    assert sorted(_titles(_profile(client, expert), "owns")) == ["Billing team only", "Open to all"]


def test_no_articles_no_section(client, agent, expert):
    client.force_login(agent)
    assert "Articles owned" not in _profile(client, expert).content.decode()


def test_long_lists_show_the_newest_and_say_how_many_more(client, agent, editor, expert):
    for i in range(12):
        make_article(author=expert, title=f"Guide {i}", approved_by=editor)
    client.force_login(agent)
    response = _profile(client, expert)
    assert len(_titles(response, "owns")) == 10
    assert "(12)" in response.content.decode()
    assert "and 2 more" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_profile_query_count_is_constant_with_articles(
    client, agent, editor, team, size, django_assert_max_num_queries
):
    # An editor, so they may verify articles others own.
    person = UserFactory(
        team=team, roles=[Role.AGENT, Role.KB_EDITOR], skills=[f"s{i}" for i in range(size)]
    )
    for i in range(size):
        make_article(author=person, title=f"Owned {i}", tags=[f"t{i}"], approved_by=editor)
        other = make_article(
            author=UserFactory(team=team), title=f"Checked {i}", approved_by=editor
        )
        article_verify(article=other, user=person)
    client.force_login(agent)
    with django_assert_max_num_queries(PROFILE_WITH_ARTICLES_LIMIT):
        response = _profile(client, person)
    assert len(_titles(response, "owns")) == min(size, 10)
    assert len(_titles(response, "last verified")) == min(size, 10)


def test_sections_come_in_order_and_none_means_no_section(client, agent, monkeypatch):
    monkeypatch.setattr(hooks, "_sections", dict(hooks._sections))
    hooks.profile_section("test.second", order=900)(
        lambda viewer, person: hooks.ProfileSection(
            "includes/avatar.html", {"person": person, "large": True}
        )
    )
    hooks.profile_section("test.first", order=1)(lambda viewer, person: None)
    calls = []
    hooks.profile_section("test.sees", order=2)(
        lambda viewer, person: calls.append((viewer, person))
    )
    sections = hooks.profile_sections(viewer=agent, person=agent)
    assert sections[-1].template == "includes/avatar.html"
    assert calls == [(agent, agent)]
    client.force_login(agent)
    assert 'class="avatar large"' in _profile(client, agent).content.decode()
