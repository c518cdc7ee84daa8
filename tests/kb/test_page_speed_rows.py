"""Article rows of the list pages come from the cache, keyed by what they show: a row changes
as soon as its article is edited and published, retagged or verified, and a row cached for one
reader never shows a restricted article to someone outside its audience."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kb import services
from kb.models import Article

pytestmark = pytest.mark.django_db


def _list(client, user) -> str:
    client.force_login(user)
    response = client.get("/kb/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_row_shows_the_new_title_once_an_edit_is_published(
    client, published_article, agent, editor
):
    assert "How to issue a refund" in _list(client, agent)  # now cached
    services.article_update(
        article=published_article,
        editor=agent,
        content={"title": "Refunds, step by step", "summary": "New.", "body": "Steps."},
        meta={},
    )
    # Not published yet: readers still see the published title.
    page = _list(client, agent)
    assert "How to issue a refund" in page
    assert "Refunds, step by step" not in page
    services.article_submit(article=published_article, user=agent)
    services.article_approve(article=published_article, editor=editor)
    page = _list(client, agent)
    assert "Refunds, step by step" in page
    assert "How to issue a refund" not in page


def test_a_row_shows_a_tag_change(client, published_article, agent):
    assert "#billing-tips" not in _list(client, agent)
    published_article.tags.add("billing-tips")
    assert "#billing-tips" in _list(client, agent)
    published_article.tags.remove("billing-tips")
    assert "#billing-tips" not in _list(client, agent)


def test_a_row_drops_its_unverified_mark_after_verification(
    client, published_article, agent, editor
):
    long_ago = timezone.now() - timedelta(days=400)
    Article.objects.filter(pk=published_article.pk).update(
        verified_at=long_ago, published_at=long_ago
    )
    assert "Unverified" in _list(client, agent)
    published_article.refresh_from_db()
    services.article_verify(article=published_article, user=editor)
    assert "Unverified" not in _list(client, agent)


def test_a_cached_restricted_row_never_reaches_an_outsider(
    client, restricted_article, published_article, agent, editor, outsider
):
    # Rendered (and cached) for people who may read it...
    assert "Escalation contacts" in _list(client, agent)
    assert "Escalation contacts" in _list(client, editor)
    # ...and still absent for someone outside its team, beside the rows they may read.
    page = _list(client, outsider)
    assert "How to issue a refund" in page
    assert "Escalation contacts" not in page
    assert restricted_article.get_absolute_url() not in page
