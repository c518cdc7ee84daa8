"""What people learned becomes a draft article in kb's review queue, by them."""

from __future__ import annotations

from kb.models import Article
from notifications.models import Notification
from training.services.articles import draft_article_from


def test_it_creates_a_submitted_draft_by_the_author_linking_back(agent, editor):
    article = draft_article_from(
        author=agent,
        title="Calming an angry caller",
        summary="What the roundtable agreed on.",
        body="- Listen first\n- Name the feeling",
        source_url="/training/sessions/angry-callers/",
        source_label="the session “Angry callers”",
    )
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.author == agent
    assert "/training/sessions/angry-callers/" in article.latest_revision.body
    assert Article.objects.awaiting_review().filter(pk=article.pk).exists()
    assert Notification.objects.filter(recipient=editor, kind="kb.review").exists()
