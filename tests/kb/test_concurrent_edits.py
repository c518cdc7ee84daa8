"""Edits, approvals and votes racing on one article (truly parallel on PostgreSQL): no error,
no lost or undone work, and each notification that must happen once happens once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kb import services
from kb.models import Article, ArticleFeedback
from notifications.models import Notification
from tests.concurrency import run_in_threads
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _content(text: str) -> dict:
    return {"title": "How to issue a refund", "summary": "", "body": text}


def _edit(article_pk: int, editor, text: str, base: int | None = None):
    article = Article.objects.get(pk=article_pk)
    try:
        services.article_update(
            article=article, editor=editor, content=_content(text), meta={}, base_revision=base
        )
    except services.StaleEdit:
        return "stale"
    return "saved"


def test_twenty_simultaneous_edits_each_get_their_own_revision(search_index, make_article, agent):
    article = make_article(author=agent)
    outcomes = run_in_threads(lambda i: _edit(article.pk, agent, f"Version {i}"), count=20)
    assert outcomes == ["saved"] * 20
    numbers = sorted(article.revisions.values_list("number", flat=True))
    assert numbers == list(range(1, 22))
    article.refresh_from_db()
    assert article.latest_revision.number == 21


def test_edits_based_on_the_same_revision_save_once_and_refuse_the_rest(
    search_index, make_article, agent
):
    article = make_article(author=agent)
    outcomes = run_in_threads(lambda i: _edit(article.pk, agent, f"Version {i}", 1), count=20)
    assert sorted(outcomes) == ["saved"] + ["stale"] * 19
    assert article.revisions.count() == 2  # nobody's text silently replaced another's


def test_approving_while_the_author_saves_never_undoes_the_save(
    search_index, make_article, agent, editor
):
    for round_ in range(8):
        article = make_article(author=agent, title=f"Round {round_}")
        services.article_submit(article=article, user=agent)

        def act(i: int, pk=article.pk):
            if i == 0:
                try:
                    services.article_approve(article=Article.objects.get(pk=pk), editor=editor)
                except ValidationError:
                    return "nothing to approve"  # the author's save came first
                return "approved"
            return _edit(pk, agent, "The author's newer text")

        run_in_threads(act, count=2)
        article.refresh_from_db()
        newest = article.revisions.order_by("-number").first()
        assert article.latest_revision_id == newest.pk, f"round {round_}: the save was undone"
        assert newest.body == "The author's newer text"


def test_two_editors_approving_at_once_publish_once_and_tell_the_author_once(
    search_index, make_article, agent, editor
):
    second = UserFactory(username="editor2", roles=["KB Editor"])
    article = make_article(author=agent)
    services.article_submit(article=article, user=agent)

    def approve(i: int):
        try:
            services.article_approve(
                article=Article.objects.get(pk=article.pk), editor=(editor, second)[i]
            )
        except ValidationError:
            return "refused"
        return "approved"

    assert sorted(run_in_threads(approve, count=2)) == ["approved", "refused"]
    assert Notification.objects.filter(recipient=agent, kind="kb.workflow").count() == 1


def test_twenty_identical_no_votes_tell_the_owner_once(search_index, make_article, agent, editor):
    voter = UserFactory(username="voter", team=agent.team)
    article = make_article(author=agent, approved_by=editor)
    run_in_threads(
        lambda _: services.feedback_give(
            article=Article.objects.get(pk=article.pk), user=voter, helpful=False, reason="unclear"
        ),
        count=20,
    )
    assert ArticleFeedback.objects.filter(article=article, user=voter).count() == 1
    assert Notification.objects.filter(recipient=agent, kind="kb.feedback").count() == 1
