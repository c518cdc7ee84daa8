"""kb pages without a count elsewhere: their database queries stay the same at two data sizes,
so an N+1 (a query per article, tag, owner or revision) shows up as a failure.

The list, category, article and review pages are pinned in test_article_views.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kb import services
from kb.models import Article, Category
from people.models import Role
from tests.factories import UserFactory, make_article

SIZES = [2, 12]

# Measured, the same at both sizes (2 and 12) on SQLite and PostgreSQL. Every page starts with
# the session, the user and their roles (3 queries), then reads:
# - mine: the articles with category, owner and revisions joined, and their tags (2);
# - tags: the tags with their counts (1);
# - verification: the verification intervals in use, then each list (mine, my team's) with
#   its tags (1 + 2 + 2);
# - revisions: the article, its revisions with their editors joined (2).
LIMITS = {"mine": 5, "tags": 4, "verification": 8, "revisions": 5}


def _verified_days_ago(article: Article, days: int) -> None:
    Article.objects.filter(pk=article.pk).update(verified_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def topic(db) -> Category:
    """A topic below a top-level category, so rows show "Billing / Refunds" (the parent)."""
    parent = Category.objects.create(name="Billing", slug="billing")
    return Category.objects.create(name="Refunds", slug="refunds", parent=parent)


@pytest.mark.parametrize("size", SIZES)
def test_my_articles_query_count_is_constant(
    client, agent, editor, topic, size, django_assert_max_num_queries
):
    for i in range(size):
        # Written by the agent: a draft, one in review, one published, each with its own tags.
        make_article(author=agent, title=f"Draft {i}", tags=["drafts", f"d{i}"], category=topic)
        in_review = make_article(author=agent, title=f"Pending {i}", tags=[f"p{i}"])
        services.article_submit(article=in_review, user=agent)
        make_article(author=agent, title=f"Published {i}", tags=[f"x{i}"], approved_by=editor)
        # Written by someone else, owned by the agent.
        make_article(
            author=UserFactory(), owner=agent, title=f"Handed over {i}", approved_by=editor
        )
    client.force_login(agent)
    with django_assert_max_num_queries(LIMITS["mine"]):
        response = client.get("/kb/mine/")
    assert response.status_code == 200
    assert response.content.decode().count('class="article-row"') == 4 * size


@pytest.mark.parametrize("size", SIZES)
def test_tags_page_query_count_is_constant(
    client, agent, editor, other_team, size, django_assert_max_num_queries
):
    for i in range(size):
        make_article(
            author=agent, title=f"Tagged {i}", tags=["common", f"tag-{i}"], approved_by=editor
        )
        make_article(
            author=agent,
            title=f"Other team {i}",
            tags=[f"hidden-{i}"],
            visibility=Article.Visibility.TEAMS,
            teams=[other_team],
            approved_by=editor,
        )
    client.force_login(UserFactory(team=agent.team, roles=[Role.AGENT]))
    with django_assert_max_num_queries(LIMITS["tags"]):
        response = client.get("/kb/tags/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"#common ({size})" in body
    assert body.count('class="tag"') == size + 1  # "common" and one of its own per article
    assert "hidden-" not in body


@pytest.mark.parametrize("size", SIZES)
def test_verification_page_query_count_is_constant(
    client, agent, editor, team, topic, size, django_assert_max_num_queries
):
    for i in range(size):
        mine = make_article(
            author=agent, title=f"Mine {i}", tags=["old", f"m{i}"], category=topic,
            approved_by=editor,
        )  # fmt: skip
        # Each owned by a different teammate, so owners cannot come from one cached row.
        teammate = UserFactory(team=team, roles=[Role.AGENT])
        theirs = make_article(
            author=teammate, title=f"Theirs {i}", tags=[f"t{i}"], verification_days=30,
            approved_by=editor,
        )  # fmt: skip
        _verified_days_ago(mine, 100)
        _verified_days_ago(theirs, 40)
        make_article(author=agent, title=f"Fresh {i}", approved_by=editor)  # not due
    client.force_login(agent)
    with django_assert_max_num_queries(LIMITS["verification"]):
        response = client.get("/kb/verification/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="article-row"') == 2 * size
    assert "Fresh" not in body


@pytest.mark.parametrize("size", SIZES)
def test_revision_list_query_count_is_constant(
    client, agent, editor, team, size, django_assert_max_num_queries
):
    article = make_article(author=agent, title="Revised", approved_by=editor)
    for i in range(size):
        # Each revision by another editor, so editor names cannot come from one cached row.
        services.article_update(
            article=article,
            editor=UserFactory(team=team, roles=[Role.KB_EDITOR]),
            content={"title": f"Revised {i}", "summary": "", "body": f"Version {i}."},
            meta={},
            change_note=f"Change {i}",
        )
    client.force_login(agent)
    with django_assert_max_num_queries(LIMITS["revisions"]):
        response = client.get(f"/kb/a/{article.slug}/revisions/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('name="from"') == size + 1  # the first revision and one per edit
    assert f"Change {size - 1}" in body


# Following: the session, user and roles (3), the followed articles with category, owner,
# revisions and follower counts joined, and their tags (2), the followed categories with
# their parents and follower counts (1). Measured: 6 at both sizes.
FOLLOWING_LIMIT = 6


@pytest.mark.parametrize("size", SIZES)
def test_following_page_query_count_is_constant(
    client, agent, editor, team, topic, size, django_assert_max_num_queries
):
    for i in range(size):
        article = make_article(
            author=UserFactory(team=team), title=f"Followed {i}", tags=[f"f{i}"], category=topic,
            approved_by=editor,
        )  # fmt: skip
        services.follow_add(user=agent, article=article)
        services.follow_add(user=UserFactory(team=team), article=article)
        topic_i = Category.objects.create(name=f"Topic {i}", slug=f"t-{i}", parent=topic.parent)
        services.follow_add(user=agent, category=topic_i)
    client.force_login(agent)
    with django_assert_max_num_queries(FOLLOWING_LIMIT):
        response = client.get("/kb/following/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="article-row"') == size
    assert body.count("3 followers.") == size  # the owner, the agent and one more
    assert body.count('aria-pressed="true"') == 2 * size


def test_article_page_with_experts_query_count_is_constant(client, agent, editor, team):
    """The article page's queries are the same with 2 and with 12 experts, each owning
    articles on its tags and listing it as a skill (the selector's own count is pinned in
    test_experts.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = make_article(author=agent, title="Reset a VPN token", tags=["vpn", "security"],
                           approved_by=editor)  # fmt: skip
    client.force_login(agent)
    client.get(article.get_absolute_url())  # the first view is recorded, later ones not
    counts = []
    made = 0
    for size in SIZES:
        for i in range(made, size):
            expert = UserFactory(team=team, roles=[Role.AGENT], skills=["VPN", f"s{i}"])
            make_article(author=expert, title=f"VPN {i}", tags=["vpn", f"t{i}"],
                         approved_by=editor)  # fmt: skip
        made = size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert response.content.decode().count("owns 1 article on vpn · skill: VPN") == min(size, 5)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
