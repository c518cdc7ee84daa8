"""Feedback, comments and uploads answer on the article page, errors beside the field;
comments show mentions as links, say "just now", and report unknown names."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb import services
from kb.models import ArticleComment, ArticleFeedback
from notifications.models import Notification
from tests.factories import UserFactory


def _field_error(html: str, field_id: str) -> bool:
    return f'id="{field_id}_error"' in html


def test_voting_no_without_a_reason_returns_to_the_article_with_the_error_there(
    client, mentor, published_article
):
    client.force_login(mentor)
    response = client.post(f"/kb/a/{published_article.slug}/feedback/", {"helpful": "no"})
    html = response.content.decode()
    assert response.status_code == 400
    assert published_article.published_revision.title in html  # the article page itself
    assert _field_error(html, "id_reason")
    assert "Tell us what was wrong" in html
    assert not ArticleFeedback.objects.exists()


def test_an_empty_comment_is_an_error_beside_the_field(client, mentor, published_article):
    client.force_login(mentor)
    url = f"/kb/a/{published_article.slug}/comments/"
    page = client.post(url, {"body": "   "})
    assert page.status_code == 400
    assert "Write a comment first" in page.content.decode()
    assert published_article.published_revision.title in page.content.decode()
    partial = client.post(url, {"body": ""}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert partial.status_code == 400
    assert 'id="comments"' in html
    assert "<html" not in html
    assert _field_error(html, "id_body")
    assert not ArticleComment.objects.exists()


def test_an_upload_without_a_file_is_an_error_beside_the_field(agent_client, published_article):
    response = agent_client.post(f"/kb/a/{published_article.slug}/attachments/", {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose a file to upload" in html
    assert _field_error(html, "id_file")
    assert published_article.published_revision.title in html


def test_an_unknown_mention_is_reported_and_nothing_is_posted(client, mentor, published_article):
    client.force_login(mentor)
    response = client.post(
        f"/kb/a/{published_article.slug}/comments/", {"body": "Ask @nobody or @agnet please"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "@agnet, @nobody" in html
    assert not ArticleComment.objects.exists()
    assert not Notification.objects.filter(kind__in=["kb.mention", "kb.comment"]).exists()


def test_posting_in_place_confirms_and_links_the_mention(client, mentor, editor, published_article):
    client.force_login(mentor)
    response = client.post(
        f"/kb/a/{published_article.slug}/comments/",
        {"body": f"Is step 2 right, @{editor.username}?"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Comment posted." in html
    assert f"Notified: @{editor.username}" in html
    assert f'class="mention" href="{editor.get_absolute_url()}"' in html
    assert "just now" in html
    assert Notification.objects.filter(recipient=editor, kind="kb.mention").count() == 1


def test_a_plain_post_redirects_to_the_comment_with_a_confirmation(
    client, mentor, published_article
):
    client.force_login(mentor)
    response = client.post(
        f"/kb/a/{published_article.slug}/comments/", {"body": "Thanks!"}, follow=True
    )
    comment = ArticleComment.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    assert "Comment posted." in response.content.decode()


def test_mentioning_someone_who_cannot_open_the_article_warns_and_tells_them_nothing(
    client, mentor, outsider, make_article, agent, editor, team
):
    article = make_article(
        author=agent, approved_by=editor, visibility="teams", teams=[team], title="Team only"
    )
    client.force_login(mentor)
    response = client.post(
        f"/kb/a/{article.slug}/comments/", {"body": f"cc @{outsider.username}"}, follow=True
    )
    assert "cannot open this article: @outsider" in response.content.decode()
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_mention_text_is_escaped(client, mentor, editor, published_article):
    client.force_login(mentor)
    client.post(
        f"/kb/a/{published_article.slug}/comments/",
        {"body": f"<b>bold</b> @{editor.username}<script>x</script>"},
    )
    html = client.get(published_article.get_absolute_url()).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>x</script>" not in html


def test_typing_at_suggests_people_by_name_or_username(client, mentor, agent, editor):
    UserFactory(username="mariah", display_name="Mariah Lopez")
    client.force_login(mentor)
    html = client.get("/people/mention-suggest/?q=mar").content.decode()
    assert 'data-value="mariah"' in html
    assert 'role="listbox"' in html
    teammates = client.get("/people/mention-suggest/?q=").content.decode()
    assert 'data-value="agent"' in teammates
    assert 'data-value="mentor"' not in teammates
    nobody = client.get("/people/mention-suggest/?q=zzz").content.decode()
    assert 'role="option"' not in nobody


def test_the_article_page_pins_its_queries_with_many_comments_and_mentions(
    client, editor, published_article
):
    counts = []
    for size in (2, 12):
        for person in UserFactory.create_batch(size):
            services.comment_add(
                article=published_article,
                author=person,
                body=f"@{editor.username} @{person.username}",
            )
        client.force_login(editor)
        client.get(published_article.get_absolute_url())  # today's view is recorded once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(published_article.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
