"""Feedback, comments, views, verification and attachments, from the outside."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kb import services
from kb.models import ArticleAttachment, ArticleComment, ArticleFeedback, ArticleView
from notifications.models import Notification
from tests.concurrency import run_in_threads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _feedback(client, article, **data):
    return client.post(f"/kb/a/{article.slug}/feedback/", data)


def test_one_vote_per_person_which_they_can_change(agent_client, mentor, published_article):
    agent_client.force_login(mentor)
    assert _feedback(agent_client, published_article, helpful="yes").status_code == 302
    _feedback(agent_client, published_article, helpful="no", reason="outdated", comment="Old")
    vote = ArticleFeedback.objects.get()
    assert (vote.helpful, vote.reason, vote.comment) == (False, "outdated", "Old")
    owner_notes = Notification.objects.filter(recipient=published_article.owner, kind="kb.feedback")
    assert owner_notes.count() == 1
    _feedback(agent_client, published_article, helpful="no", reason="unclear")
    assert owner_notes.count() == 1  # re-sending "no" does not nag the owner


@pytest.mark.parametrize(
    "data", [{"helpful": "no"}, {"helpful": "maybe"}, {"helpful": "no", "reason": "boring"}, {}]
)
def test_bad_feedback_is_a_form_error_and_stores_nothing(agent_client, published_article, data):
    assert _feedback(agent_client, published_article, **data).status_code == 400
    assert not ArticleFeedback.objects.exists()


def test_outsider_cannot_vote_or_comment_on_a_restricted_article(
    client, outsider, restricted_article
):
    client.force_login(outsider)
    assert _feedback(client, restricted_article, helpful="yes").status_code == 404
    url = f"/kb/a/{restricted_article.slug}/comments/"
    assert client.post(url, {"body": "hi"}).status_code == 404
    assert not ArticleFeedback.objects.exists()
    assert not ArticleComment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_by_one_person_store_one_row(make_article, agent, editor, mentor):
    article = make_article(author=agent, approved_by=editor)
    run_in_threads(
        lambda n: services.feedback_give(
            article=article, user=mentor, helpful=n % 2 == 0, reason="" if n % 2 == 0 else "unclear"
        ),
        count=4,
    )
    assert ArticleFeedback.objects.filter(article=article, user=mentor).count() == 1


def test_comment_mentions_notify_and_owner_hears(
    client, mentor, editor, published_article, outsider
):
    client.force_login(mentor)
    body = f"@{editor.username} is this still right? cc @{outsider.username}"
    response = client.post(f"/kb/a/{published_article.slug}/comments/", {"body": body})
    assert response.status_code == 302
    comment_notes = Notification.objects.filter(kind__in=["kb.mention", "kb.comment"])
    kinds = dict(comment_notes.values_list("recipient__username", "kind"))
    assert kinds[editor.username] == "kb.mention"
    assert kinds[published_article.owner.username] == "kb.comment"
    assert outsider.username in kinds  # the article is open to everyone


def test_mentions_do_not_leak_restricted_articles(client, mentor, outsider, restricted_article):
    client.force_login(mentor)
    client.post(f"/kb/a/{restricted_article.slug}/comments/", {"body": f"@{outsider.username}"})
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_comment_xss_is_escaped(agent_client, published_article):
    agent_client.post(
        f"/kb/a/{published_article.slug}/comments/", {"body": "<script>alert(1)</script>"}
    )
    page = agent_client.get(published_article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_bad_comment_is_refused(agent_client, published_article, body):
    response = agent_client.post(f"/kb/a/{published_article.slug}/comments/", {"body": body})
    assert response.status_code == 400
    assert not ArticleComment.objects.exists()


def test_only_owner_and_editors_resolve_comments(client, mentor, editor, published_article):
    comment = services.comment_add(article=published_article, author=mentor, body="Typo")
    url = f"/kb/a/{published_article.slug}/comments/{comment.pk}/resolve/"
    client.force_login(mentor)
    assert client.post(url).status_code == 403
    client.force_login(editor)
    assert client.post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_by == editor


def test_views_count_once_per_day_and_feed_recently_viewed(agent_client, agent, published_article):
    for _ in range(3):
        agent_client.get(published_article.get_absolute_url())
    assert ArticleView.objects.filter(user=agent).count() == 1
    listing = agent_client.get("/kb/").content.decode()
    assert "Recently viewed" in listing


def test_verify_by_owner_or_editor_only(client, agent, mentor, published_article):
    url = f"/kb/a/{published_article.slug}/verify/"
    client.force_login(mentor)
    assert client.post(url).status_code == 403
    client.force_login(agent)  # the owner
    assert client.post(url).status_code == 302
    published_article.refresh_from_db()
    assert published_article.verified_by == agent


def test_overdue_article_shows_the_banner_and_the_due_list(agent_client, published_article):
    from datetime import timedelta

    from django.utils import timezone

    type(published_article).objects.filter(pk=published_article.pk).update(
        verified_at=timezone.now() - timedelta(days=120)
    )
    assert "Unverified" in agent_client.get(published_article.get_absolute_url()).content.decode()
    assert (
        published_article.get_absolute_url()
        in agent_client.get("/kb/verification/").content.decode()
    )


def _upload(client, article, name, data):
    url = f"/kb/a/{article.slug}/attachments/"
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def test_attachment_upload_and_serving_respects_visibility(
    client, agent, outsider, settings, tmp_path, restricted_article
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(agent)
    assert _upload(client, restricted_article, "screen.png", PNG).status_code == 302
    item = ArticleAttachment.objects.get()
    assert client.get(item.get_absolute_url()).status_code == 200
    client.force_login(outsider)
    assert client.get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("virus.exe", b"MZ...", "not allowed"),
        ("fake.png", b"MZ not a png at all", "does not contain"),
        ("empty.pdf", b"", "empty"),
        ("page.html", b"<script>", "not allowed"),
    ],
)
def test_bad_attachments_are_refused(
    agent_client, published_article, settings, tmp_path, name, data, error
):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(agent_client, published_article, name, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ArticleAttachment.objects.exists()


def test_oversized_attachment_is_refused(agent_client, published_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(agent_client, published_article, "big.pdf", b"%PDF-" + b"0" * 10_485_760)
    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()


def test_readers_cannot_attach(client, mentor, published_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(mentor)
    assert _upload(client, published_article, "a.png", PNG).status_code == 403
