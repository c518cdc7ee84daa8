"""The article services: authoring, review, restoring, archiving, and who may read what."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from kb import services
from kb.models import Article, ArticleRevision, Category
from kb.services import (
    article_approve,
    article_archive,
    article_create,
    article_restore_revision,
    article_send_back,
    article_submit,
    article_update,
)
from notifications.models import Notification
from notifications.services import notifications_settle
from people.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _edit(article, user, **content):
    """Save an edit of `article`'s newest text with `content` replacing some fields."""
    latest = article.latest_revision
    new = {"title": latest.title, "summary": latest.summary, "body": latest.body, **content}
    return article_update(article=article, editor=user, content=new, meta={})


def _snapshot(article) -> dict:
    article.refresh_from_db()
    return {
        field.attname: getattr(article, field.attname) for field in Article._meta.concrete_fields
    }


# Creating


def test_create_makes_a_draft_with_a_rendered_first_revision(make_article, agent):
    article = make_article(author=agent, title="Refunds", body="## Steps\n\n| a | b |\n|---|---|")

    assert article.status == Article.Status.DRAFT
    assert article.owner == agent
    assert article.published_revision is None
    revision = article.latest_revision
    assert revision.number == 1
    assert article.revisions.count() == 1
    assert revision.title == "Refunds"
    assert '<h2 id="user-content-steps">Steps</h2>' in revision.rendered_html
    assert "<table>" in revision.rendered_html
    assert 'href="#user-content-steps"' in revision.toc_html


def test_create_derives_a_unique_slug_from_the_title(make_article, agent):
    first = make_article(author=agent, title="Reset a Password!")
    second = make_article(author=agent, title="Reset a Password!")

    assert first.slug == "reset-a-password"
    assert second.slug == "reset-a-password-2"


# Submitting


def test_submit_puts_the_draft_in_review_and_tells_the_editors(make_article, agent, editor):
    article = make_article(author=agent)

    article_submit(article=article, user=agent)

    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert article.submitted_at is not None
    assert Notification.objects.filter(recipient=editor, kind="kb.review").count() == 1
    assert not Notification.objects.filter(recipient=agent, kind="kb.review").exists()


def test_submitting_twice_is_refused(make_article, agent):
    article = make_article(author=agent)
    article_submit(article=article, user=agent)

    with pytest.raises(ValidationError):
        article_submit(article=article, user=agent)


def test_submitting_with_nothing_changed_since_publishing_is_refused(published_article, agent):
    with pytest.raises(ValidationError):
        article_submit(article=published_article, user=agent)

    published_article.refresh_from_db()
    assert published_article.submitted_at is None


# Approving


def test_approve_by_an_editor_publishes_verifies_and_tells_the_author(make_article, agent, editor):
    article = make_article(author=agent)
    article_submit(article=article, user=agent)

    article_approve(article=article, editor=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_revision_id == article.latest_revision_id
    assert article.submitted_at is None
    assert article.published_at is not None
    assert article.verified_at is not None
    assert article.verified_by == editor
    assert Notification.objects.filter(recipient=agent, kind="kb.workflow").count() == 1


def test_approve_by_a_non_editor_is_refused_and_changes_nothing(make_article, agent, manager):
    article = make_article(author=agent)
    article_submit(article=article, user=agent)
    before = _snapshot(article)

    with pytest.raises(PermissionDenied):
        article_approve(article=article, editor=manager)

    assert _snapshot(article) == before
    assert article.status == Article.Status.IN_REVIEW
    assert not Notification.objects.filter(kind="kb.workflow").exists()


# Sending back


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_send_back_without_a_comment_is_refused_and_changes_nothing(
    make_article, agent, editor, comment
):
    article = make_article(author=agent)
    article_submit(article=article, user=agent)
    before = _snapshot(article)

    with pytest.raises(ValidationError):
        article_send_back(article=article, editor=editor, comment=comment)

    assert _snapshot(article) == before
    assert not Notification.objects.filter(kind="kb.workflow").exists()


def test_send_back_returns_the_draft_with_the_comment_and_tells_the_author(
    make_article, agent, editor
):
    article = make_article(author=agent)
    article_submit(article=article, user=agent)

    article_send_back(article=article, editor=editor, comment="  Add the refund limits.  ")

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.submitted_at is None
    assert article.review_comment == "Add the refund limits."
    note = Notification.objects.get(recipient=agent, kind="kb.workflow")
    assert "Add the refund limits." in note.message


# Pending edits of a published article


def test_readers_keep_the_published_revision_while_an_edit_is_in_review(
    published_article, agent, editor, outsider
):
    old_revision = published_article.published_revision
    _edit(published_article, agent, title="How to issue a refund (2025)")
    article_submit(article=published_article, user=agent)

    published_article.refresh_from_db()
    assert published_article.status == Article.Status.PUBLISHED
    assert published_article.published_revision == old_revision
    assert published_article.latest_revision.number == 2
    seen = (
        Article.objects.published().visible_to(outsider).select_related("published_revision").get()
    )
    assert seen.pk == published_article.pk
    assert seen.published_revision.title == "How to issue a refund"
    assert seen.title == "How to issue a refund"

    article_approve(article=published_article, editor=editor)

    seen = (
        Article.objects.published().visible_to(outsider).select_related("published_revision").get()
    )
    assert seen.published_revision.number == 2
    assert seen.title == "How to issue a refund (2025)"


# Editing


def test_an_edit_with_unchanged_text_makes_no_new_revision(published_article, agent):
    _edit(published_article, agent)

    published_article.refresh_from_db()
    assert published_article.revisions.count() == 1
    assert not published_article.has_pending_edit


def test_editing_by_someone_who_is_not_author_owner_or_editor_is_refused(published_article, mentor):
    with pytest.raises(PermissionDenied):
        _edit(published_article, mentor, body="Vandalised.")

    assert published_article.revisions.count() == 1


def test_editing_an_archived_article_is_refused(published_article, agent, editor):
    article_archive(article=published_article, editor=editor)

    with pytest.raises(ValidationError):
        _edit(published_article, agent, body="Too late.")

    assert published_article.revisions.count() == 1


# Restoring


def test_restore_makes_a_new_revision_with_the_old_text(make_article, agent):
    article = make_article(author=agent, title="First", body="First body")
    first = article.latest_revision
    _edit(article, agent, title="Second", body="Second body")

    article_restore_revision(article=article, revision=first, editor=agent)

    article.refresh_from_db()
    assert list(article.revisions.values_list("number", flat=True)) == [3, 2, 1]
    restored = article.latest_revision
    assert restored.number == 3
    assert (restored.title, restored.summary, restored.body) == (
        first.title,
        first.summary,
        first.body,
    )
    assert restored.rendered_html == first.rendered_html
    assert restored.change_note == "Restored revision 1"
    first.refresh_from_db()
    assert (first.number, first.title) == (1, "First")


def test_restoring_a_revision_of_another_article_is_refused(make_article, agent):
    article = make_article(author=agent, title="Mine")
    other = make_article(author=agent, title="Theirs")

    with pytest.raises(ValidationError):
        article_restore_revision(article=article, revision=other.latest_revision, editor=agent)

    assert article.revisions.count() == 1


# Archiving


def test_only_editors_archive(published_article, agent):
    with pytest.raises(PermissionDenied):
        article_archive(article=published_article, editor=agent)

    published_article.refresh_from_db()
    assert published_article.status == Article.Status.PUBLISHED


def test_archived_articles_are_readable_by_nobody(published_article, agent, editor, outsider):
    article_archive(article=published_article, editor=editor)

    published_article.refresh_from_db()
    assert published_article.status == Article.Status.ARCHIVED
    for user in (agent, editor, outsider):
        assert not Article.objects.published().visible_to(user).exists()


# Visibility


def test_a_restricted_article_is_hidden_from_other_teams(
    restricted_article, agent, mentor, editor, outsider
):
    for user in (agent, mentor, editor):
        assert list(Article.objects.published().visible_to(user)) == [restricted_article]
        assert list(Article.objects.visible_to(user)) == [restricted_article]
    assert not Article.objects.published().visible_to(outsider).exists()
    assert not Article.objects.visible_to(outsider).exists()


def test_drafts_are_visible_only_to_their_author_owner_and_editors(
    make_article, agent, mentor, manager, editor, outsider
):
    draft = make_article(author=agent, owner=mentor)

    for user in (agent, mentor, editor):
        assert list(Article.objects.visible_to(user)) == [draft]
    for user in (manager, outsider):
        assert not Article.objects.visible_to(user).exists()
    for user in (agent, mentor, manager, editor, outsider):
        assert not Article.objects.published().visible_to(user).exists()


def test_category_counts_leave_out_articles_the_reader_may_not_read(
    category, child_category, published_article, restricted_article, make_article, agent, outsider
):
    make_article(author=agent, title="Still a draft")
    make_article(author=agent, title="Refund limits", category=child_category)

    def counts(user):
        return {c.slug: c.article_count for c in Category.objects.with_article_counts(user)}

    assert counts(outsider) == {"billing": 1, "refunds": 0}
    assert counts(agent) == {"billing": 2, "refunds": 0}


# Bad input


def _assert_nothing_stored():
    assert Article.objects.count() == 0
    assert ArticleRevision.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "meta"),
    [
        pytest.param({"title": ""}, {}, id="empty-title"),
        pytest.param({"title": "x" * 201}, {}, id="title-of-201-chars"),
        pytest.param({}, {"category": None}, id="missing-category"),
        pytest.param({}, {"category": Category(pk=999_999, name="Gone")}, id="unknown-category"),
        pytest.param({}, {"visibility": "secret"}, id="unknown-visibility"),
    ],
)
def test_create_with_bad_input_is_refused_and_stores_nothing(category, agent, content, meta):
    content = {"title": "A title", "summary": "", "body": "Body", **content}
    meta = {"category": category, **meta}

    with pytest.raises(ValidationError):
        article_create(author=agent, content=content, meta=meta)

    _assert_nothing_stored()


def test_create_with_a_body_over_100000_chars_is_refused_and_stores_nothing(category, agent):
    content = {"title": "Too long", "summary": "", "body": "x" * 100_001}

    with pytest.raises(ValidationError):
        article_create(author=agent, content=content, meta={"category": category})

    _assert_nothing_stored()


def test_an_edit_with_bad_input_is_refused_and_keeps_the_stored_article(published_article, agent):
    before = _snapshot(published_article)

    with pytest.raises(ValidationError):
        _edit(published_article, agent, title="x" * 201)

    assert _snapshot(published_article) == before
    assert published_article.revisions.count() == 1


# Database constraints


def test_the_database_refuses_a_published_article_without_a_published_revision(
    published_article,
):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=published_article.pk).update(published_revision=None)

    published_article.refresh_from_db()
    assert published_article.published_revision is not None


def test_categories_nest_one_level_only(category, child_category):
    grandchild = Category(name="Too deep", slug="too-deep", parent=child_category)
    with pytest.raises(ValidationError, match="top-level"):
        grandchild.full_clean()


def test_a_duplicate_slug_is_refused_and_nothing_is_saved(make_article, agent, category):
    make_article(author=agent, title="Refunds")
    counts = (Article.objects.count(), ArticleRevision.objects.count())
    with pytest.raises(ValidationError, match="slug"):
        make_article(author=agent, title="Other", slug="refunds")
    assert (Article.objects.count(), ArticleRevision.objects.count()) == counts


# A second editor approves an editor's own change


@pytest.fixture
def second_editor(team):
    from people.models import Role
    from tests.factories import UserFactory

    return UserFactory(username="second-editor", team=team, roles=[Role.KB_EDITOR])


def _own_change_waiting(published_article, editor):
    _edit(published_article, editor, body="Rewritten by the editor.")
    article_submit(article=published_article, user=editor)
    return published_article


def test_an_editor_cannot_approve_their_own_change_when_another_editor_exists(
    published_article, editor, second_editor
):
    article = _own_change_waiting(published_article, editor)

    with pytest.raises(ValidationError, match="another editor must approve"):
        article_approve(article=article, editor=editor)
    article.refresh_from_db()
    assert article.submitted_at is not None
    assert article.published_revision != article.latest_revision

    article_approve(article=article, editor=second_editor)
    article.refresh_from_db()
    assert article.published_revision == article.latest_revision


def test_a_lone_editor_approves_their_own_change(published_article, editor):
    article = _own_change_waiting(published_article, editor)

    article_approve(article=article, editor=editor)

    article.refresh_from_db()
    assert article.published_revision == article.latest_revision


def test_an_inactive_editor_is_not_a_second_editor(published_article, editor, second_editor):
    second_editor.is_active = False
    second_editor.save()
    article = _own_change_waiting(published_article, editor)

    article_approve(article=article, editor=editor)


def test_the_second_editor_rule_can_be_turned_off(
    published_article, editor, second_editor, settings
):
    settings.KB_REQUIRE_SECOND_EDITOR = False
    article = _own_change_waiting(published_article, editor)

    article_approve(article=article, editor=editor)


def test_the_page_explains_why_the_editor_cannot_approve_and_the_post_is_refused(
    client, published_article, editor, second_editor
):
    article = _own_change_waiting(published_article, editor)
    client.force_login(editor)

    page = client.get(article.get_absolute_url()).content.decode()
    assert "another editor must approve it" in page
    assert f'action="/kb/a/{article.slug}/approve/"' not in page

    response = client.post(f"/kb/a/{article.slug}/approve/", follow=True)
    assert "another editor must approve it" in response.content.decode()
    article.refresh_from_db()
    assert article.submitted_at is not None

    client.force_login(second_editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'action="/kb/a/{article.slug}/approve/"' in page


# Helpfulness


def test_a_draft_shows_no_helpfulness_and_a_published_article_does(
    client, make_article, published_article, agent
):
    draft = make_article(author=agent, title="Still a draft")
    client.force_login(agent)

    assert "Helpfulness:" not in client.get(draft.get_absolute_url()).content.decode()
    assert (
        "Helpfulness: 0 yes, 0 no"
        in client.get(published_article.get_absolute_url()).content.decode()
    )


# --- Review requests settle when the review is done -------------------------------------------


def _review_notes(user):
    return Notification.objects.filter(recipient=user, kind="kb.review")


def test_another_editors_review_request_is_read_once_the_change_is_decided(
    make_article, agent, editor
):
    second = UserFactory(username="editor2", roles=[Role.KB_EDITOR])
    approved = make_article(author=agent, title="Approved one")
    services.article_submit(article=approved, user=agent)
    sent_back = make_article(author=agent, title="Sent back one")
    services.article_submit(article=sent_back, user=agent)
    assert _review_notes(second).unread().count() == 2
    services.article_approve(article=approved, editor=editor)
    assert _review_notes(second).unread().count() == 1
    services.article_send_back(article=sent_back, editor=editor, comment="Add the steps")
    assert _review_notes(second).unread().count() == 0
    assert _review_notes(second).count() == 2  # read, not deleted


def test_a_change_submitted_again_after_being_sent_back_asks_again(make_article, agent, editor):
    article = make_article(author=agent)
    services.article_submit(article=article, user=agent)
    services.article_send_back(article=article, editor=editor, comment="Add the steps")
    services.article_submit(article=article, user=agent)
    notes = _review_notes(editor)
    assert notes.count() == 2
    assert notes.unread().count() == 1


def test_archiving_a_waiting_change_settles_its_review_requests(make_article, agent, editor):
    second = UserFactory(username="editor2", roles=[Role.KB_EDITOR])
    article = make_article(author=agent, approved_by=editor)
    services.article_update(
        article=article, editor=agent, meta={},
        content={"title": "How to issue a refund", "summary": "", "body": "New text"},
    )  # fmt: skip
    services.article_submit(article=article, user=agent)
    assert _review_notes(second).unread().exists()
    services.article_archive(article=article, editor=editor)
    assert not _review_notes(second).unread().exists()


def test_settling_needs_a_prefix():
    with pytest.raises(ValueError, match="prefix"):
        notifications_settle(dedupe_prefix="")
