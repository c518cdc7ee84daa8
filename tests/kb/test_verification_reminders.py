"""Verification reminders: the owner once per lapse, then the editors after a grace period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.models import Article, Category
from kb.services import article_archive, article_verify
from notifications.engine import reminder_sources
from notifications.models import Notification
from notifications.services import reminders_sweep
from people.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OWNER_KIND = "kb.verification"
ESCALATION_KIND = "kb.verification_escalation"


def _verified_days_ago(article: Article, days: int) -> Article:
    Article.objects.filter(pk=article.pk).update(verified_at=timezone.now() - timedelta(days=days))
    article.refresh_from_db()
    return article


def _reminded(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "dedupe_key"))


@pytest.fixture
def due_article(make_article, agent, editor) -> Article:
    """Published, owned by `agent`, last verified 100 days ago (default interval: 90)."""
    return _verified_days_ago(make_article(author=agent, approved_by=editor), 100)


# --- The owner's reminder -------------------------------------------------------------------


def test_owner_is_reminded_once_when_verification_is_due(due_article, agent):
    first = reminders_sweep()
    second = reminders_sweep()

    notification = Notification.objects.get(kind=OWNER_KIND)
    assert notification.recipient == agent
    assert due_article.title in notification.message
    assert notification.url == due_article.get_absolute_url()
    assert notification.url == f"/kb/a/{due_article.slug}/"
    assert notification.dedupe_key == (
        f"kb.verify:{due_article.pk}:{due_article.verified_at.isoformat()}"
    )
    assert first.sent >= 1
    assert second.already_sent >= 1
    assert Notification.objects.filter(kind=OWNER_KIND).count() == 1


def test_recently_verified_article_is_not_due(make_article, agent, editor):
    _verified_days_ago(make_article(author=agent, approved_by=editor), 10)
    reminders_sweep()
    assert not Notification.objects.filter(kind=OWNER_KIND).exists()


def test_never_verified_article_counts_from_publication(make_article, agent, editor):
    article = make_article(author=agent, approved_by=editor)
    published_at = timezone.now() - timedelta(days=100)
    Article.objects.filter(pk=article.pk).update(verified_at=None, published_at=published_at)
    reminders_sweep()
    assert _reminded(OWNER_KIND) == [
        (agent.pk, f"kb.verify:{article.pk}:{published_at.isoformat()}")
    ]


def test_category_interval_makes_a_younger_verification_due(make_article, agent, editor):
    category = Category.objects.create(name="Outages", slug="outages", verification_days=5)
    article = _verified_days_ago(
        make_article(author=agent, approved_by=editor, category=category), 10
    )
    reminders_sweep()
    assert [key for _, key in _reminded(OWNER_KIND)] == [
        f"kb.verify:{article.pk}:{article.verified_at.isoformat()}"
    ]


def test_article_interval_overrides_the_category(make_article, agent, editor):
    category = Category.objects.create(name="Outages", slug="outages", verification_days=5)
    lenient = make_article(author=agent, approved_by=editor, category=category, title="Lenient")
    strict = make_article(author=agent, approved_by=editor, title="Strict")
    Article.objects.filter(pk=lenient.pk).update(verification_days=30)
    Article.objects.filter(pk=strict.pk).update(verification_days=7)
    _verified_days_ago(lenient, 10)  # category says due, the article says not yet
    _verified_days_ago(strict, 10)  # the default (90) says not yet, the article says due

    reminders_sweep()

    assert [key.split(":")[1] for _, key in _reminded(OWNER_KIND)] == [str(strict.pk)]


def test_the_due_date_is_the_same_as_the_models(make_article, agent, editor):
    category = Category.objects.create(name="Outages", slug="outages", verification_days=20)
    article = _verified_days_ago(
        make_article(author=agent, approved_by=editor, category=category), 20
    )
    just_before = article.verification_due_at - timedelta(seconds=1)
    reminders_sweep(now=just_before)
    assert not Notification.objects.filter(kind=OWNER_KIND).exists()
    reminders_sweep(now=article.verification_due_at)
    assert Notification.objects.filter(kind=OWNER_KIND).count() == 1


def test_drafts_and_archived_articles_are_never_reminded(make_article, agent, editor):
    draft = make_article(author=agent, title="Draft")
    archived = make_article(author=agent, approved_by=editor, title="Archived")
    article_archive(article=archived, editor=editor)
    long_ago = timezone.now() - timedelta(days=400)
    Article.objects.filter(pk__in=[draft.pk, archived.pk]).update(
        verified_at=long_ago, published_at=long_ago
    )

    reminders_sweep()

    assert not Notification.objects.filter(kind__in=[OWNER_KIND, ESCALATION_KIND]).exists()


def test_verifying_starts_a_new_lapse_that_is_reminded_again(due_article, agent):
    reminders_sweep()
    article_verify(article=due_article, user=agent)
    reminders_sweep()
    assert Notification.objects.filter(kind=OWNER_KIND).count() == 1  # verified: not due

    _verified_days_ago(due_article, 95)
    reminders_sweep()
    reminders_sweep()

    keys = [key for _, key in _reminded(OWNER_KIND)]
    assert len(keys) == 2
    assert f"kb.verify:{due_article.pk}:{due_article.verified_at.isoformat()}" in keys


# --- Escalation to the editors --------------------------------------------------------------


def test_no_escalation_before_the_grace_period_ends(due_article, category, settings):
    settings.KB_VERIFICATION_GRACE_DAYS = 14
    category.editors.add(UserFactory())
    # Due at 90 days; 100 days is only 10 days past due.
    reminders_sweep()
    assert not Notification.objects.filter(kind=ESCALATION_KIND).exists()
    # Exactly at due + grace it escalates.
    reminders_sweep(now=due_article.verification_due_at + timedelta(days=14))
    assert Notification.objects.filter(kind=ESCALATION_KIND).count() == 1


def test_grace_period_defaults_to_fourteen_days(due_article, category, settings):
    assert settings.KB_VERIFICATION_GRACE_DAYS == 14  # the default, unless the env sets it
    category.editors.add(UserFactory())
    due = due_article.verification_due_at
    reminders_sweep(now=due + timedelta(days=13, hours=23))
    assert not Notification.objects.filter(kind=ESCALATION_KIND).exists()
    reminders_sweep(now=due + timedelta(days=14))
    assert Notification.objects.filter(kind=ESCALATION_KIND).count() == 1


def test_each_category_editor_is_told_once(due_article, category, editor, agent):
    first, second = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    category.editors.add(first, second, gone)
    later = due_article.verification_due_at + timedelta(days=30)

    reminders_sweep(now=later)
    reminders_sweep(now=later)

    start = due_article.verified_at.isoformat()
    assert _reminded(ESCALATION_KIND) == sorted(
        (user.pk, f"kb.verify-escalate:{due_article.pk}:{start}:{user.pk}")
        for user in (first, second)
    )
    escalation = Notification.objects.filter(kind=ESCALATION_KIND).first()
    assert due_article.title in escalation.message
    assert escalation.url == due_article.get_absolute_url()
    # The owner's own reminder is separate and still sent once.
    assert _reminded(OWNER_KIND) == [(agent.pk, f"kb.verify:{due_article.pk}:{start}")]


def test_escalation_falls_back_to_the_parent_categorys_editors(
    make_article, agent, editor, category, child_category
):
    parent_editor = UserFactory()
    category.editors.add(parent_editor)
    article = _verified_days_ago(
        make_article(author=agent, approved_by=editor, category=child_category), 200
    )

    reminders_sweep()

    assert [user for user, _ in _reminded(ESCALATION_KIND)] == [parent_editor.pk]
    assert Notification.objects.get(kind=ESCALATION_KIND).url == article.get_absolute_url()


def test_escalation_prefers_the_categorys_own_editors(
    make_article, agent, editor, category, child_category
):
    category.editors.add(UserFactory())
    topic_editor = UserFactory()
    child_category.editors.add(topic_editor)
    _verified_days_ago(make_article(author=agent, approved_by=editor, category=child_category), 200)

    reminders_sweep()

    assert [user for user, _ in _reminded(ESCALATION_KIND)] == [topic_editor.pk]


def test_without_category_editors_every_active_kb_editor_is_told(
    make_article, agent, editor, child_category
):
    other_editor = UserFactory(roles=[Role.KB_EDITOR])
    UserFactory(roles=[Role.KB_EDITOR], is_active=False)
    UserFactory(roles=[Role.AGENT])
    _verified_days_ago(make_article(author=agent, approved_by=editor, category=child_category), 200)

    reminders_sweep()
    reminders_sweep()

    assert sorted(user for user, _ in _reminded(ESCALATION_KIND)) == sorted(
        [editor.pk, other_editor.pk]
    )


def test_verifying_stops_the_escalation(due_article, category, agent):
    category.editors.add(UserFactory())
    article_verify(article=due_article, user=agent)
    reminders_sweep(now=timezone.now() + timedelta(days=30))
    assert not Notification.objects.filter(kind=ESCALATION_KIND).exists()


# --- Query counts ---------------------------------------------------------------------------


def _publish_overdue(make_article, *, count: int, start: int, author, editor, category):
    for n in range(start, start + count):
        article = make_article(
            author=author, approved_by=editor, title=f"Article {n}", category=category
        )
        _verified_days_ago(article, 200)


@pytest.mark.parametrize(
    ("source_name", "max_queries"),
    [(OWNER_KIND, 2), (ESCALATION_KIND, 5)],
)
def test_query_count_does_not_grow_with_due_articles(
    source_name,
    max_queries,
    make_article,
    agent,
    editor,
    category,
    child_category,
    django_assert_max_num_queries,
):
    """Mixed categories (own editors, parent's editors, none: every KB editor) so each
    branch of the escalation is exercised at both sizes."""
    category.editors.add(UserFactory())
    bare = Category.objects.create(name="Shipping", slug="shipping", verification_days=30)
    source = reminder_sources()[source_name]

    def measure(expected_articles: int) -> None:
        with django_assert_max_num_queries(max_queries):
            reminders = list(source(timezone.now()))
        assert len({r.dedupe_key.split(":")[1] for r in reminders}) == expected_articles

    for cat in (category, child_category):
        _publish_overdue(
            make_article,
            count=1,
            start=0 if cat == category else 1,
            author=agent,
            editor=editor,
            category=cat,
        )
    _publish_overdue(make_article, count=1, start=2, author=agent, editor=editor, category=bare)
    measure(3)

    for cat, start in ((category, 3), (child_category, 6), (bare, 9)):
        _publish_overdue(
            make_article, count=3, start=start, author=agent, editor=editor, category=cat
        )
    measure(12)
