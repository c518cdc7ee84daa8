"""`/api/articles/`: the knowledge base through the API, with the pages' visibility rule
(a restricted or unpublished article is a 404 for whoever may not open it), filters, the
helpful vote and comments through kb's services, and bad input answered with a 4xx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.models import Article, ArticleComment, ArticleFeedback, Category
from notifications.models import Notification
from tests.factories import UserFactory, make_article

URL = "/api/articles/"


@pytest.fixture
def articles(db, editor, outsider, other_team):
    """An article everyone reads (in a topic of Billing), one for the outsider's team only,
    and a draft by the editor."""
    billing = Category.objects.create(name="Billing", slug="billing")
    topic = Category.objects.create(name="Refunds", slug="refunds", parent=billing)
    public = make_article(
        author=editor, approved_by=editor, title="Refund a card payment", category=topic,
        type=Article.Type.HOWTO, tags=["refunds"],
    )  # fmt: skip
    hidden = make_article(
        author=outsider, approved_by=editor, title="Escalate a server outage",
        visibility=Article.Visibility.TEAMS, teams=[other_team], category=billing,
    )  # fmt: skip
    draft = make_article(author=editor, title="Draft about chargebacks", category=billing)
    return {"public": public, "hidden": hidden, "draft": draft}


def _as(client, user):
    client.force_login(user)
    return client


def _slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "listed"),
    [("agent", {"public"}), ("outsider", {"public", "hidden"}), ("editor", {"public", "hidden"})],
)
def test_the_list_holds_the_published_articles_each_person_may_read(
    client, articles, request, who, listed
):
    response = _as(client, request.getfixturevalue(who)).get(URL)
    assert _slugs(response) == {articles[name].slug for name in listed}


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("agent", "public", 200),
        ("agent", "hidden", 404),
        ("agent", "draft", 404),
        ("outsider", "hidden", 200),
        ("outsider", "draft", 404),
        ("editor", "hidden", 200),
        ("editor", "draft", 200),  # as the page opens it for the people who work on it
    ],
)
def test_one_article_opens_exactly_as_its_page_does(client, articles, request, who, name, status):
    response = _as(client, request.getfixturevalue(who)).get(f"{URL}{articles[name].slug}/")
    assert response.status_code == status
    page = client.get(articles[name].get_absolute_url())
    assert page.status_code == status


def test_anonymous_callers_are_refused(client, articles):
    for url in (URL, f"{URL}{articles['public'].slug}/"):
        assert client.get(url).status_code in (401, 403)
    response = client.post(f"{URL}{articles['public'].slug}/vote/", {"helpful": True})
    assert response.status_code in (401, 403)
    assert not ArticleFeedback.objects.exists()


def test_the_detail_carries_text_owner_verification_tags_and_category(agent_client, articles):
    article = articles["public"]
    body = agent_client.get(f"{URL}{article.slug}/").json()
    assert body["title"] == "Refund a card payment"
    assert body["body_markdown"].startswith("## Steps")
    assert "<strong>Refund</strong>" in body["body_html"]
    assert body["owner"]["username"] == "editor"
    assert body["category"] == {"slug": "refunds", "name": "Refunds", "parent": "billing"}
    assert [tag["slug"] for tag in body["tags"]] == ["refunds"]
    assert body["verification"]["verified_at"] is not None
    assert body["verification"]["lapsed"] is False
    assert body["verification"]["every_days"] == 90
    assert body["status"] == "published"


def test_an_editor_reads_a_drafts_newest_text(client, editor, articles):
    body = _as(client, editor).get(f"{URL}{articles['draft'].slug}/").json()
    assert body["title"] == "Draft about chargebacks"
    assert body["status"] == "draft"


# --- filters, ordering, bad input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "listed"),
    [
        ({"type": "howto"}, {"public"}),
        ({"type": "faq"}, set()),
        ({"category": "billing"}, {"public", "hidden"}),  # a top-level one includes its topics
        ({"category": "refunds"}, {"public"}),
        ({"category": "no-such-category"}, set()),
        ({"tag": "refunds"}, {"public"}),
        ({"tag": "no-such-tag"}, set()),
    ],
)
def test_filters_narrow_the_list(client, outsider, articles, params, listed):
    response = _as(client, outsider).get(URL, params)
    assert _slugs(response) == {articles[name].slug for name in listed}


def test_updated_since_lists_what_changed_after_the_moment(client, outsider, articles):
    old = timezone.now() - timedelta(days=30)
    Article.objects.filter(pk=articles["hidden"].pk).update(updated_at=old)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    response = _as(client, outsider).get(URL, {"updated_since": since})
    assert _slugs(response) == {articles["public"].slug}


def test_ordering_by_updated_at(client, outsider, articles):
    Article.objects.filter(pk=articles["public"].pk).update(
        updated_at=timezone.now() - timedelta(days=3)
    )
    client = _as(client, outsider)
    newest_first = [r["slug"] for r in client.get(URL).json()["results"]]
    oldest = client.get(URL, {"ordering": "updated_at"}).json()["results"]
    oldest_first = [r["slug"] for r in oldest]
    assert newest_first == [articles["hidden"].slug, articles["public"].slug]
    assert oldest_first == list(reversed(newest_first))


@pytest.mark.parametrize(
    "query",
    [
        "category=a%00b",
        "tag=%00",
        "tag=" + "x" * 5000,
        "type=nonsense",
        "updated_since=not-a-date",
        "updated_since=99999-01-01T00:00:00",
    ],
)
def test_malformed_filters_are_a_400_with_a_message(agent_client, articles, query):
    response = agent_client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()


@pytest.mark.parametrize(
    "url",
    [
        f"{URL}?page=99999999999999999999",
        f"{URL}?page=-1",
        f"{URL}a%00b/",
        f"{URL}{'x' * 3000}/",
        f"{URL}no-such-article/vote/",
    ],
)
def test_nul_bytes_huge_numbers_and_unknown_slugs_are_a_json_404(agent_client, articles, url):
    response = agent_client.get(url) if "vote" not in url else agent_client.post(url, {})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# --- the helpful vote -------------------------------------------------------------------------


def test_a_vote_goes_through_the_feedback_service(agent_client, agent, articles):
    article = articles["public"]
    url = f"{URL}{article.slug}/vote/"
    response = agent_client.post(url, {"helpful": True}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["helpful"] is True
    no = {"helpful": False, "reason": "outdated", "comment": "Old screenshots"}
    assert agent_client.post(url, no, content_type="application/json").status_code == 200
    vote = ArticleFeedback.objects.get(article=article, user=agent)
    assert (vote.helpful, vote.reason) == (False, "outdated")
    # The owner hears of the "no", as from the page.
    assert Notification.objects.filter(recipient=article.owner, kind="kb.feedback").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"helpful": False},  # a "no" says what was wrong
        {"helpful": False, "reason": "nonsense"},
        {"helpful": "maybe"},
        {"helpful": True, "comment": "a\x00b"},
        {"helpful": True, "comment": "x" * 1001},
        {},
    ],
)
def test_a_bad_vote_is_a_400_and_stores_nothing(agent_client, articles, data):
    url = f"{URL}{articles['public'].slug}/vote/"
    response = agent_client.post(url, data, content_type="application/json")
    assert response.status_code == 400
    assert not ArticleFeedback.objects.exists()


@pytest.mark.parametrize("name", ["hidden", "draft"])
def test_nobody_votes_or_comments_on_what_they_may_not_read(agent_client, articles, name):
    slug = articles[name].slug
    vote = agent_client.post(f"{URL}{slug}/vote/", {"helpful": True})
    comment = agent_client.post(f"{URL}{slug}/comments/", {"body": "Hello"})
    assert (vote.status_code, comment.status_code) == (404, 404)
    assert agent_client.get(f"{URL}{slug}/comments/").status_code == 404
    assert not ArticleFeedback.objects.exists()
    assert not ArticleComment.objects.exists()


def test_an_editor_cannot_vote_on_a_draft_either(client, editor, articles):
    # Votes and comments are for published articles, as on the page.
    url = f"{URL}{articles['draft'].slug}/vote/"
    assert _as(client, editor).post(url, {"helpful": True}).status_code == 404


# --- comments ---------------------------------------------------------------------------------


def test_comments_are_posted_through_the_service_and_listed(agent_client, agent, articles):
    article = articles["public"]
    url = f"{URL}{article.slug}/comments/"
    response = agent_client.post(url, {"body": "Does this cover vouchers?"})
    assert response.status_code == 201
    assert response.json()["author"]["username"] == "agent"
    listed = agent_client.get(url).json()
    assert [c["body"] for c in listed["results"]] == ["Does this cover vouchers?"]
    assert Notification.objects.filter(recipient=article.owner, kind="kb.comment").exists()


@pytest.mark.parametrize(
    "body", ["", "   ", "a\x00b", "x" * 5001, "Ask @nobody-by-that-name about it"]
)
def test_a_bad_comment_is_a_400_and_stores_nothing(agent_client, articles, body):
    url = f"{URL}{articles['public'].slug}/comments/"
    response = agent_client.post(url, {"body": body}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()
    assert not ArticleComment.objects.exists()


# --- query counts -----------------------------------------------------------------------------

LIST_QUERIES = 7
COMMENTS_QUERIES = 7


@pytest.mark.parametrize("size", [3, 25])
def test_the_list_query_count_is_constant(
    client, editor, team, size, django_assert_max_num_queries
):
    for n in range(size):
        make_article(
            author=editor, approved_by=editor, title=f"Refund case number {n}",
            tags=["refunds", f"case-{n}"],
        )  # fmt: skip
    reader = UserFactory(team=team)
    client.force_login(reader)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(URL)
    assert response.json()["count"] == size
    slug = Article.objects.first().slug
    for n in range(size):
        ArticleComment.objects.create(
            article=Article.objects.first(), author=UserFactory(), body=f"Comment {n}"
        )
    with django_assert_max_num_queries(COMMENTS_QUERIES):
        response = client.get(f"{URL}{slug}/comments/")
    assert response.json()["count"] == size
