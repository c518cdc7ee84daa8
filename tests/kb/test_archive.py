"""Archiving: the replacement editors choose, restoring, and the "archived" page (410) its
former readers get while everyone else still gets a 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kb import services
from kb.models import Article
from people.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def replacement(make_article, agent, editor) -> Article:
    return make_article(author=agent, title="Refunds, the new way", approved_by=editor)


def _status(article) -> str:
    article.refresh_from_db()
    return article.status


# The services


def test_archiving_records_the_replacement(published_article, replacement, editor):
    services.article_archive(article=published_article, editor=editor, replaced_by=replacement)

    published_article.refresh_from_db()
    assert published_article.status == Article.Status.ARCHIVED
    assert published_article.replaced_by == replacement


@pytest.mark.parametrize("which", ["itself", "a draft"])
def test_the_replacement_is_another_published_article(
    published_article, make_article, agent, editor, which
):
    other = published_article if which == "itself" else make_article(author=agent, title="Draft")

    with pytest.raises(ValidationError):
        services.article_archive(article=published_article, editor=editor, replaced_by=other)
    assert _status(published_article) == Article.Status.PUBLISHED


def test_the_replacement_can_change_later(published_article, replacement, editor):
    services.article_archive(article=published_article, editor=editor)

    services.article_set_replacement(
        article=published_article, editor=editor, replaced_by=replacement
    )

    published_article.refresh_from_db()
    assert published_article.replaced_by == replacement


def test_restoring_brings_a_published_article_back_to_its_readers(
    published_article, replacement, editor, django_capture_on_commit_callbacks
):
    services.article_archive(article=published_article, editor=editor, replaced_by=replacement)

    with django_capture_on_commit_callbacks() as queued:
        services.article_unarchive(article=published_article, editor=editor)

    published_article.refresh_from_db()
    assert published_article.status == Article.Status.PUBLISHED
    assert published_article.replaced_by is None
    assert queued  # the search index hears of it


def test_restoring_a_never_published_article_makes_it_a_draft(make_article, agent, editor):
    draft = make_article(author=agent)
    services.article_archive(article=draft, editor=editor)

    services.article_unarchive(article=draft, editor=editor)

    assert _status(draft) == Article.Status.DRAFT


def test_only_an_archived_article_is_restored(published_article, editor, agent):
    with pytest.raises(ValidationError):
        services.article_unarchive(article=published_article, editor=editor)


# The archived page


def test_a_former_reader_gets_the_archived_page_with_the_replacement(
    client, published_article, replacement, editor, mentor
):
    services.article_archive(article=published_article, editor=editor, replaced_by=replacement)
    client.force_login(mentor)

    response = client.get(published_article.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 410
    assert "archived" in page
    assert published_article.published_revision.title in page
    assert f'href="{replacement.get_absolute_url()}"' in page


def test_a_replacement_the_reader_may_not_open_is_not_linked(
    client, published_article, make_article, agent, editor, other_team, mentor
):
    hidden = make_article(
        author=agent, title="Only for tech", visibility=Article.Visibility.TEAMS,
        teams=[other_team], approved_by=editor,
    )  # fmt: skip
    services.article_archive(article=published_article, editor=editor, replaced_by=hidden)
    client.force_login(mentor)

    response = client.get(published_article.get_absolute_url())

    assert response.status_code == 410
    assert "Only for tech" not in response.content.decode()
    assert hidden.slug not in response.content.decode()


def test_a_restricted_archived_article_is_410_for_its_team_and_404_for_others(
    client, restricted_article, editor, team, outsider
):
    services.article_archive(article=restricted_article, editor=editor)
    teammate = UserFactory(team=team, roles=[Role.AGENT])

    client.force_login(teammate)
    assert client.get(restricted_article.get_absolute_url()).status_code == 410
    client.force_login(outsider)
    response = client.get(restricted_article.get_absolute_url())
    assert response.status_code == 404
    assert "Escalation contacts" not in response.content.decode()


def test_an_archived_never_published_article_is_a_404(client, make_article, agent, editor, mentor):
    draft = make_article(author=agent, title="Never out")
    services.article_archive(article=draft, editor=editor)
    client.force_login(mentor)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_unknown_slug_is_still_a_404(client, mentor):
    client.force_login(mentor)
    assert client.get("/kb/a/no-such-article/").status_code == 404


def test_editors_see_the_archived_article_with_restore_and_replacement(
    client, published_article, editor
):
    services.article_archive(article=published_article, editor=editor)
    client.force_login(editor)

    page = client.get(published_article.get_absolute_url())

    body = page.content.decode()
    assert page.status_code == 200
    assert f'action="/kb/a/{published_article.slug}/unarchive/"' in body
    assert f'href="/kb/a/{published_article.slug}/archive/"' in body


# The archive form and the restore button


def test_the_archive_form_offers_published_articles_only(
    client, published_article, replacement, make_article, agent, editor
):
    make_article(author=agent, title="Some draft")
    client.force_login(editor)

    page = client.get(f"/kb/a/{published_article.slug}/archive/").content.decode()

    assert "Refunds, the new way" in page
    assert "Some draft" not in page
    assert f'<option value="{published_article.pk}"' not in page


def test_archiving_through_the_form_with_a_replacement(
    client, published_article, replacement, editor
):
    client.force_login(editor)

    response = client.post(
        f"/kb/a/{published_article.slug}/archive/", {"replaced_by": replacement.pk}
    )

    assert response.status_code == 302
    published_article.refresh_from_db()
    assert (published_article.status, published_article.replaced_by) == ("archived", replacement)


def test_a_bad_replacement_is_a_form_error_and_archives_nothing(
    client, published_article, make_article, agent, editor
):
    draft = make_article(author=agent, title="Some draft")
    client.force_login(editor)

    for value in (draft.pk, published_article.pk, "x"):
        response = client.post(f"/kb/a/{published_article.slug}/archive/", {"replaced_by": value})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert _status(published_article) == Article.Status.PUBLISHED


def test_changing_the_replacement_of_an_archived_article(
    client, published_article, replacement, editor
):
    services.article_archive(article=published_article, editor=editor)
    client.force_login(editor)

    client.post(f"/kb/a/{published_article.slug}/archive/", {"replaced_by": replacement.pk})

    published_article.refresh_from_db()
    assert (published_article.status, published_article.replaced_by) == ("archived", replacement)


def test_the_restore_button_publishes_it_again(client, published_article, editor):
    services.article_archive(article=published_article, editor=editor)
    client.force_login(editor)

    response = client.post(f"/kb/a/{published_article.slug}/unarchive/")

    assert response.status_code == 302
    assert _status(published_article) == Article.Status.PUBLISHED


def test_only_editors_archive_and_restore(client, published_article, agent):
    client.force_login(agent)
    assert client.get(f"/kb/a/{published_article.slug}/archive/").status_code == 403
    assert client.post(f"/kb/a/{published_article.slug}/unarchive/").status_code == 403
    assert _status(published_article) == Article.Status.PUBLISHED


# The archived page: session, user, roles (3), the lookup that hides it (1), the archived
# article (1), its teams (1, for the visibility rule), the replacement (1). Measured: 7,
# whatever the number of teams.
ARCHIVED_PAGE_LIMIT = 7


@pytest.mark.parametrize("size", [2, 12])
def test_archived_page_query_count_is_constant(
    client, make_article, replacement, agent, editor, team, size, django_assert_max_num_queries
):
    from tests.factories import TeamFactory

    teams = [team, *TeamFactory.create_batch(size)]
    article = make_article(
        author=agent, title="Team notes", visibility=Article.Visibility.TEAMS, teams=teams,
        approved_by=editor,
    )  # fmt: skip
    services.article_archive(article=article, editor=editor, replaced_by=replacement)
    client.force_login(UserFactory(team=team, roles=[Role.AGENT]))

    with django_assert_max_num_queries(ARCHIVED_PAGE_LIMIT):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 410
