"""Who may read an article: restricting applies at once, widening waits for an editor (as
does a longer verification interval), and an edit on an outdated text is refused with the
difference shown, never silently lost."""

from __future__ import annotations

import pytest

from kb import services
from kb.models import Article
from searchkit import query


@pytest.fixture
def restricted(make_article, agent, editor, team):
    return make_article(
        author=agent, title="Escalation contacts", visibility=Article.Visibility.TEAMS,
        teams=[team], approved_by=editor,
    )  # fmt: skip


def _post_edit(client, article, **changes):
    article.refresh_from_db()
    revision = article.latest_revision
    data = {
        "title": revision.title, "summary": revision.summary, "body": revision.body,
        "type": article.type, "category": article.category_id, "owner": article.owner_id,
        "visibility": article.visibility, "tags": "",
        "teams": [t.pk for t in article.teams.all()], "base_revision": revision.number,
    }  # fmt: skip
    data.update(changes)
    return client.post(f"/kb/a/{article.slug}/edit/", {k: v for k, v in data.items() if v != ""})


def _readable_by(user, article) -> bool:
    return Article.objects.published().visible_to(user).filter(pk=article.pk).exists()


def test_an_author_opening_to_everyone_waits_for_an_editor(
    client, restricted, agent, editor, outsider, django_capture_on_commit_callbacks, search_index
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_edit(client, restricted, visibility="everyone", teams=[])
    assert response.status_code == 302
    restricted.refresh_from_db()
    assert restricted.visibility == Article.Visibility.TEAMS
    assert not _readable_by(outsider, restricted)
    assert query.search(user=outsider, text=None).total == 0  # nor in search
    assert restricted.latest_revision.requested_settings == {"visibility": "everyone", "teams": []}
    page = client.get(restricted.get_absolute_url()).content.decode()
    assert "asks to open it to everyone" in page

    services.article_submit(article=restricted, user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=restricted, editor=editor)
    restricted.refresh_from_db()
    assert restricted.visibility == Article.Visibility.EVERYONE
    assert _readable_by(outsider, restricted)
    assert query.search(user=outsider, text=None).total == 1


def test_an_author_adding_a_team_waits_but_removing_one_applies_at_once(
    restricted, agent, team, other_team, outsider
):
    services.article_update(
        article=restricted, editor=agent, content=_text(restricted),
        meta={"visibility": "teams", "teams": [team, other_team]},
    )  # fmt: skip
    assert not _readable_by(outsider, restricted)
    assert restricted.latest_revision.requested_settings["teams"] == sorted(
        [team.pk, other_team.pk]
    )
    services.article_update(
        article=restricted, editor=agent, content=_text(restricted),
        meta={"visibility": "teams", "teams": []},
    )  # fmt: skip
    assert list(restricted.teams.all()) == []  # restricting never waits


def test_an_author_restricting_an_open_article_applies_at_once(
    make_article, agent, editor, team, outsider
):
    article = make_article(author=agent, approved_by=editor)
    services.article_update(
        article=article, editor=agent, content=_text(article),
        meta={"visibility": "teams", "teams": [team]},
    )  # fmt: skip
    assert not _readable_by(outsider, article)
    assert article.latest_revision.requested_settings == {}


def test_a_longer_verification_interval_waits_and_a_shorter_one_applies(
    make_article, agent, editor
):
    article = make_article(author=agent, approved_by=editor)
    services.article_update(
        article=article, editor=agent, content=_text(article), meta={"verification_days": 365}
    )
    assert article.effective_verification_days == 90
    assert article.latest_revision.requested_settings == {"verification_days": 365}
    services.article_update(
        article=article, editor=agent, content=_text(article), meta={"verification_days": 30}
    )
    assert article.effective_verification_days == 30


def test_an_editor_widens_at_once(restricted, editor, outsider):
    services.article_update(
        article=restricted, editor=editor, content=_text(restricted),
        meta={"visibility": "everyone", "teams": []},
    )  # fmt: skip
    assert _readable_by(outsider, restricted)


def test_saving_over_a_newer_revision_is_refused_with_the_difference(
    client, published_article, agent, editor
):
    opened = published_article.latest_revision.number
    services.article_update(
        article=published_article, editor=editor,
        content={**_text(published_article), "body": "The editor's newer steps."}, meta={},
    )  # fmt: skip
    client.force_login(agent)
    response = _post_edit(client, published_article, body="My older edit.", base_revision=opened)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed since you opened it" in page
    assert "newer" in page  # the diff shows the text saved meanwhile
    assert published_article.revisions.count() == 2  # nothing saved
    # Having seen the difference, saving again goes through on top of the newer revision.
    again = client.post(f"/kb/a/{published_article.slug}/edit/", response.context["form"].data)
    assert again.status_code == 302
    assert published_article.revisions.count() == 3


def _text(article) -> dict:
    article.refresh_from_db()
    revision = article.latest_revision
    return {"title": revision.title, "summary": revision.summary, "body": revision.body}
