"""Suggested edits: readers propose, the owner or an editor accepts or declines."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kb import services
from kb.models import Article, ArticleSuggestion
from notifications.models import Notification
from people.models import Role
from tests.concurrency import run_in_threads
from tests.factories import UserFactory

NEW_BODY = "## Steps\n\nOpen the order, choose **Refund** and confirm the amount."


def _suggest(client, article, **fields):
    text = article.published_revision or article.latest_revision
    data = {
        "title": text.title,
        "summary": text.summary,
        "body": NEW_BODY,
        "note": "The confirmation step is missing",
        **fields,
    }
    return client.post(f"/kb/a/{article.slug}/suggest/", data)


@pytest.fixture
def reader_client(client, mentor):
    client.force_login(mentor)
    return client


@pytest.fixture
def suggestion(published_article, mentor) -> ArticleSuggestion:
    return services.suggestion_create(
        article=published_article, author=mentor,
        content={"title": "How to issue a refund", "summary": "", "body": NEW_BODY},
        note="Missing step",
    )  # fmt: skip


def test_a_reader_suggests_an_edit_and_the_owner_is_told(reader_client, published_article):
    response = _suggest(reader_client, published_article)
    suggestion = ArticleSuggestion.objects.get()
    assert response.status_code == 302
    assert response.url == suggestion.get_absolute_url()
    assert suggestion.status == "pending"
    assert suggestion.body == NEW_BODY
    note = Notification.objects.get(kind="kb.suggestion")
    assert note.recipient == published_article.owner
    assert note.url == suggestion.get_absolute_url()
    published_article.refresh_from_db()
    assert published_article.published_revision.body != NEW_BODY  # readers see no change
    assert published_article.latest_revision == published_article.published_revision


def test_the_article_page_offers_readers_a_suggestion_and_owners_the_waiting_ones(
    client, mentor, agent, published_article, suggestion
):
    client.force_login(mentor)
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "Change your suggested edit" in page
    assert suggestion.get_absolute_url() in page
    client.force_login(agent)  # the owner
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "Suggested edits waiting for you" in page
    assert suggestion.get_absolute_url() in page
    assert "Suggest an edit" not in page


def test_suggesting_again_replaces_the_open_suggestion(reader_client, published_article):
    _suggest(reader_client, published_article)
    _suggest(reader_client, published_article, body=NEW_BODY + "\n\nThen tell the customer.")
    suggestion = ArticleSuggestion.objects.get()
    assert suggestion.body.endswith("Then tell the customer.")


def test_an_unchanged_or_empty_suggestion_is_a_form_error(reader_client, published_article):
    unchanged = _suggest(
        reader_client, published_article, body=published_article.published_revision.body
    )
    assert unchanged.status_code == 400
    assert b"Change something" in unchanged.content
    empty = _suggest(reader_client, published_article, body="", title="")
    assert empty.status_code == 400
    assert not ArticleSuggestion.objects.exists()


def test_people_who_may_edit_are_sent_to_the_editor(client, agent, published_article):
    client.force_login(agent)
    response = client.get(f"/kb/a/{published_article.slug}/suggest/")
    assert response.status_code == 302
    assert response.url.endswith("/edit/")


def test_a_hidden_or_unpublished_article_takes_no_suggestion(
    client, outsider, make_article, agent, editor, team
):
    restricted = make_article(
        author=agent, approved_by=editor, visibility="teams", teams=[team], title="Team only"
    )
    draft = make_article(author=agent, title="A draft")
    client.force_login(outsider)
    for article in (restricted, draft):
        assert client.get(f"/kb/a/{article.slug}/suggest/").status_code == 404
        assert _suggest(client, article).status_code == 404
    assert not ArticleSuggestion.objects.exists()


def test_only_its_author_and_the_deciders_see_a_suggestion(
    client, suggestion, outsider, agent, editor
):
    url = suggestion.get_absolute_url()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}accept/").status_code == 404
    for person in (agent, editor, suggestion.author):
        client.force_login(person)
        assert client.get(url).status_code == 200


def test_the_owner_accepts_and_it_goes_to_review_credited_to_the_reader(
    client, agent, mentor, published_article, suggestion
):
    client.force_login(agent)  # the owner, not an editor
    response = client.post(f"{suggestion.get_absolute_url()}accept/")
    assert response.status_code == 302
    article = Article.objects.get(pk=published_article.pk)
    assert article.latest_revision.body == NEW_BODY
    assert article.latest_revision.editor == mentor
    assert "Suggested by" in article.latest_revision.change_note
    assert article.submitted_at is not None  # waits for an editor
    assert article.published_revision == published_article.published_revision
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert suggestion.revision == article.latest_revision
    told = Notification.objects.get(recipient=mentor, kind="kb.suggestion")
    assert "accepted for review" in told.message


def test_an_editor_accepts_and_it_is_published(
    client, editor, mentor, published_article, suggestion
):
    UserFactory(username="editor2", roles=[Role.KB_EDITOR])
    reviews = Notification.objects.filter(kind="kb.review").count()
    client.force_login(editor)
    client.post(f"{suggestion.get_absolute_url()}accept/")
    article = Article.objects.get(pk=published_article.pk)
    assert article.published_revision.body == NEW_BODY
    assert article.published_revision.editor == mentor
    assert (
        "is published" in Notification.objects.get(recipient=mentor, kind="kb.suggestion").message
    )
    # The editor's acceptance was the review: no other editor is asked for one.
    assert Notification.objects.filter(kind="kb.review").count() == reviews


def test_a_reader_cannot_accept_their_own_suggestion(client, mentor, suggestion):
    client.force_login(mentor)
    assert client.post(f"{suggestion.get_absolute_url()}accept/").status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_accepting_a_suggestion_made_on_an_older_text_is_refused(
    client, agent, published_article, suggestion
):
    services.article_update(
        article=published_article, editor=agent, meta={},
        content={"title": "How to issue a refund", "summary": "", "body": "Owner's own change"},
    )  # fmt: skip
    client.force_login(agent)
    response = client.post(f"{suggestion.get_absolute_url()}accept/", follow=True)
    assert b"changed since this suggestion" in response.content
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    assert Article.objects.get(pk=published_article.pk).latest_revision.body == "Owner's own change"
    assert b"Merge in the editor" in client.get(suggestion.get_absolute_url()).content


def test_merging_in_the_editor_saves_the_owners_text_and_closes_the_suggestion(
    client, agent, mentor, published_article, suggestion
):
    client.force_login(agent)
    form = client.get(f"/kb/a/{published_article.slug}/edit/?suggestion={suggestion.pk}")
    assert NEW_BODY.split("\n")[-1].encode() in form.content.replace(b"&quot;", b'"')
    data = {
        "title": "How to issue a refund", "summary": "", "body": NEW_BODY + "\n\nMerged.",
        "type": "article", "category": published_article.category_id, "owner": agent.pk,
        "visibility": "everyone", "base_revision": published_article.latest_revision.number,
        "suggestion": suggestion.pk, "change_note": "Merged a suggestion",
    }  # fmt: skip
    assert client.post(f"/kb/a/{published_article.slug}/edit/", data).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert suggestion.revision.body.endswith("Merged.")
    assert Notification.objects.filter(recipient=mentor, message__contains="merged").exists()


def test_declining_needs_a_reason_which_the_reader_is_told(client, agent, mentor, suggestion):
    client.force_login(agent)
    url = f"{suggestion.get_absolute_url()}decline/"
    missing = client.post(url, {"note": ""})
    assert missing.status_code == 400
    assert b"Say why" in missing.content
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    client.post(url, {"note": "Refunds over 100 need a supervisor"})
    suggestion.refresh_from_db()
    assert suggestion.status == "declined"
    assert suggestion.decided_by == agent
    told = Notification.objects.get(recipient=mentor, kind="kb.suggestion")
    assert "Refunds over 100 need a supervisor" in told.message


def test_a_decided_suggestion_cannot_be_decided_again(agent, editor, suggestion):
    services.suggestion_decline(suggestion=suggestion, user=agent, note="No")
    with pytest.raises(ValidationError, match="already"):
        services.suggestion_accept(suggestion=suggestion, user=editor)


def test_when_the_owner_has_left_the_editors_are_told(published_article, agent, mentor, editor):
    agent.is_active = False
    agent.save()
    services.suggestion_create(
        article=published_article, author=mentor,
        content={"title": "How to issue a refund", "summary": "", "body": NEW_BODY},
    )  # fmt: skip
    assert Notification.objects.get(kind="kb.suggestion").recipient == editor


@pytest.mark.django_db(transaction=True)
def test_two_deciders_accepting_at_once_publish_one_revision(make_article, agent, editor, mentor):
    article = make_article(author=agent, approved_by=editor)
    second_editor = UserFactory(username="editor2", roles=[Role.KB_EDITOR])
    suggestion = services.suggestion_create(
        article=article, author=mentor,
        content={"title": "How to issue a refund", "summary": "", "body": NEW_BODY},
    )  # fmt: skip
    deciders = [editor, second_editor]

    def accept(i):
        try:
            services.suggestion_accept(suggestion=ArticleSuggestion.objects.get(), user=deciders[i])
            return "accepted"
        except ValidationError:
            return "refused"

    assert sorted(run_in_threads(accept, 2)) == ["accepted", "refused"]
    assert article.revisions.count() == 2
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"


def test_suggestion_page_query_count_is_constant(
    client, agent, mentor, published_article, django_assert_max_num_queries
):
    for n in range(2):
        author = mentor if n == 0 else UserFactory()
        suggestion = services.suggestion_create(
            article=published_article, author=author,
            content={"title": "How to issue a refund", "summary": "", "body": NEW_BODY + "x" * n},
        )  # fmt: skip
    client.force_login(agent)
    with django_assert_max_num_queries(10):
        assert client.get(suggestion.get_absolute_url()).status_code == 200
