"""kb pages from the outside: who may see and do what, bad input, constant query counts."""

from __future__ import annotations

import pytest

from kb import services
from kb.models import Article, ArticleRevision
from tests.factories import UserFactory

ROLES = ["agent", "mentor", "editor", "outsider"]


def _as(client, request, who):
    client.force_login(request.getfixturevalue(who))
    return client


@pytest.fixture
def draft(make_article, agent):
    return make_article(author=agent, title="Half-written refund guide")


# --- seeing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("agent", 200), ("mentor", 200), ("editor", 200), ("outsider", 404)]
)
def test_restricted_article_is_404_outside_its_teams(
    client, request, restricted_article, who, status
):
    url = restricted_article.get_absolute_url()
    assert _as(client, request, who).get(url).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("agent", 200), ("mentor", 404), ("editor", 200), ("outsider", 404)]
)
def test_drafts_are_seen_by_their_author_and_editors_only(client, request, draft, who, status):
    assert _as(client, request, who).get(draft.get_absolute_url()).status_code == status


@pytest.mark.parametrize("who", ROLES)
def test_hidden_articles_are_absent_from_lists_counts_and_tags(
    client, request, restricted_article, draft, published_article, who
):
    c = _as(client, request, who)
    listing = c.get("/kb/").content.decode()
    category = c.get(f"/kb/c/{published_article.category.slug}/").content.decode()
    assert published_article.get_absolute_url() in listing
    sees_restricted = who != "outsider"
    assert (restricted_article.get_absolute_url() in listing) is sees_restricted
    assert (restricted_article.get_absolute_url() in category) is sees_restricted
    expected = 2 if sees_restricted else 1
    assert f"{expected} article{'s' if expected > 1 else ''}" in listing
    assert draft.get_absolute_url() not in listing  # drafts live in "My articles"
    restricted_article.tags.add("escalation-secret")
    assert ("escalation-secret" in c.get("/kb/tags/").content.decode()) is sees_restricted


def test_readers_keep_the_published_text_while_an_edit_waits(
    client, agent, mentor, published_article
):
    client.force_login(agent)
    form = _form(published_article, title="Refunds, rewritten")
    assert client.post(f"/kb/a/{published_article.slug}/edit/", form).status_code == 302
    client.post(f"/kb/a/{published_article.slug}/submit/")
    client.force_login(mentor)
    body = client.get(published_article.get_absolute_url()).content.decode()
    assert "How to issue a refund" in body
    assert "Refunds, rewritten" not in body


# --- doing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("agent", 200), ("editor", 200), ("mentor", 403)])
def test_only_author_owner_and_editors_edit(client, request, published_article, who, status):
    c = _as(client, request, who)
    assert c.get(f"/kb/a/{published_article.slug}/edit/").status_code == status
    before = published_article.revisions.count()
    response = c.post(f"/kb/a/{published_article.slug}/edit/", _form(published_article, title="X"))
    assert response.status_code == (302 if status == 200 else 403)
    assert published_article.revisions.count() == before + (status == 200)


def test_outsider_cannot_even_find_a_restricted_article_to_edit(
    client, outsider, restricted_article
):
    client.force_login(outsider)
    for suffix in ("edit/", "revisions/", "compare/", "revisions/1/"):
        assert client.get(f"/kb/a/{restricted_article.slug}/{suffix}").status_code == 404


@pytest.mark.parametrize("action", ["approve", "send-back", "archive"])
@pytest.mark.parametrize(("who", "status"), [("agent", 403), ("mentor", 404)])
def test_only_editors_publish_send_back_and_archive(
    client, request, make_article, agent, action, who, status
):
    """The author may open the article in review but not publish it (403); anyone else who
    is not an editor may not even open it (404, as for every hidden article)."""
    article = make_article(author=agent)
    client.force_login(agent)
    client.post(f"/kb/a/{article.slug}/submit/")
    before = Article.objects.values().get(pk=article.pk)
    c = _as(client, request, who)
    assert c.post(f"/kb/a/{article.slug}/{action}/", {"comment": "no"}).status_code == status
    assert Article.objects.values().get(pk=article.pk) == before


def test_editor_compares_then_publishes_and_can_send_back(client, agent, editor, make_article):
    article = make_article(author=agent)
    client.force_login(agent)
    client.post(f"/kb/a/{article.slug}/submit/")
    client.force_login(editor)
    assert "Half" not in client.get("/kb/review/").content.decode()
    assert article.get_absolute_url() in client.get("/kb/review/").content.decode()
    response = client.post(f"/kb/a/{article.slug}/send-back/", {"comment": ""})
    assert Article.objects.get(pk=article.pk).submitted_at is not None  # empty comment refused
    assert response.status_code == 302
    client.post(f"/kb/a/{article.slug}/approve/")
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_review_queue_is_for_editors(client, request, db):
    for who, status in [("agent", 403), ("outsider", 403), ("editor", 200)]:
        assert _as(client, request, who).get("/kb/review/").status_code == status


def test_compare_and_restore(client, agent, published_article):
    client.force_login(agent)
    client.post(f"/kb/a/{published_article.slug}/edit/", _form(published_article, body="New body"))
    diff = client.get(f"/kb/a/{published_article.slug}/compare/?from=1&to=2").content.decode()
    assert "diff_sub" in diff or "diff_chg" in diff
    assert client.post(f"/kb/a/{published_article.slug}/revisions/1/restore/").status_code == 302
    latest = ArticleRevision.objects.filter(article=published_article).first()
    assert (latest.number, latest.change_note) == (3, "Restored revision 1")
    for bad in ("?from=abc", "?from=99", "?to=-1"):
        assert client.get(f"/kb/a/{published_article.slug}/compare/{bad}").status_code == 404


# --- bad input -------------------------------------------------------------------------------


def _form(article=None, **changes):
    data = {
        "title": "How to issue a refund",
        "summary": "",
        "body": "## Steps\n\nOpen the order and choose **Refund**.",
        "type": "howto",
        "category": str(article.category_id) if article else "",
        "tags": "refunds",
        "owner": str(article.owner_id) if article else "",
        "visibility": "everyone",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"title": ""}, "This field is required"),
        ({"title": "t" * 201}, "at most 200 characters"),
        ({"body": "b" * 100_001}, "at most 100000 characters"),
        ({"category": "999999"}, "Select a valid choice"),
        ({"type": "novel"}, "Select a valid choice"),
        ({"visibility": "teams"}, "Choose at least one team"),
        ({"tags": ", ".join(f"t{n}" for n in range(21))}, "at most 20 tags"),
        ({"verification_days": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_input_gives_form_errors_and_saves_nothing(
    agent_client, agent, category, published_article, changes, error
):
    counts = (Article.objects.count(), ArticleRevision.objects.count())
    form = _form(published_article, **changes)
    for url in ("/kb/new/", f"/kb/a/{published_article.slug}/edit/"):
        response = agent_client.post(url, form)
        assert response.status_code == 400
        assert error in response.content.decode()
    assert (Article.objects.count(), ArticleRevision.objects.count()) == counts


def test_new_article_starts_from_its_type_template(agent_client):
    body = agent_client.get("/kb/new/?type=troubleshooting").content.decode()
    for section in ("## Symptoms", "## Cause", "## Resolution", "## Escalation"):
        assert section in body
    assert "## Question" in agent_client.get("/kb/new/?type=faq").content.decode()


# --- query counts ----------------------------------------------------------------------------


@pytest.fixture
def many(make_article, agent, editor, team):
    def create(n):
        for i in range(n):
            make_article(
                author=agent, title=f"Article {i}", tags=["a", f"t{i}"], approved_by=editor
            )
            draft = make_article(author=agent, title=f"Pending {i}")
            from kb.services import article_submit

            article_submit(article=draft, user=agent)

    return create


# Measured: list 8, category 11, article 24 (it records the view), review queue 4, the
# same at both sizes. The follow button (category and article pages) is one query each; the
# article's experts three (kb.selectors.article_experts); recognition's panel (the thanks,
# through kb.hooks) reads 1 query, questions' source-question panel 1.
PAGE_QUERY_LIMITS = {"list": 8, "category": 11, "article": 24, "review": 4}


@pytest.mark.parametrize("size", [2, 15])
def test_query_counts_are_constant(
    client, editor, many, size, django_assert_max_num_queries, search_index
):
    # `search_index`: an empty index, so "more like this" finds the same whatever ran before.
    many(size)
    article = Article.objects.published().first()
    for person in UserFactory.create_batch(size):
        services.comment_add(
            article=article, author=person, body=f"Question from @{editor.username}"
        )
        services.feedback_give(article=article, user=person, helpful=False, reason="unclear")
    client.force_login(editor)
    pages = {
        "list": "/kb/",
        "category": f"/kb/c/{article.category.slug}/",
        "article": article.get_absolute_url(),
        "review": "/kb/review/",
    }
    for name, url in pages.items():
        with django_assert_max_num_queries(PAGE_QUERY_LIMITS[name]):
            assert client.get(url).status_code == 200, url


def test_owner_sets_a_per_article_verification_interval(agent_client, published_article):
    form = _form(published_article, verification_days="30")
    assert agent_client.post(f"/kb/a/{published_article.slug}/edit/", form).status_code == 302
    published_article.refresh_from_db()
    assert published_article.effective_verification_days == 30


def test_a_refused_action_is_a_message_not_an_error(agent_client, published_article):
    # Nothing changed since publishing: submitting is refused with a clear message.
    response = agent_client.post(f"/kb/a/{published_article.slug}/submit/", follow=True)
    assert response.status_code == 200
    assert "There is no unpublished change to submit." in response.content.decode()
