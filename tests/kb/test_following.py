"""Following articles and categories: the services, the notification when a revision is
published (its task), the follow buttons and the Following page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kb import services
from kb.models import Article, Follow
from kb.tasks import follow_notify_published
from notifications.models import Notification
from people.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _edit(article, user, *, title=None, note="Fixed the steps"):
    latest = article.latest_revision
    content = {"title": title or latest.title, "summary": latest.summary, "body": latest.body + "!"}
    return services.article_update(
        article=article, editor=user, content=content, meta={}, change_note=note
    )


def _publish_edit(article, author, editor, capture, **kwargs):
    """An edit by `author`, submitted and approved by `editor`, with on-commit work run (the
    follow task, eager in tests)."""
    _edit(article, author, **kwargs)
    services.article_submit(article=article, user=author)
    with capture(execute=True):
        services.article_approve(article=article, editor=editor)
    article.refresh_from_db()
    return article.published_revision


def _follow_notes(user):
    return list(Notification.objects.filter(recipient=user, kind="kb.follow"))


# Following and unfollowing


def test_following_twice_keeps_one_follow(published_article, mentor):
    first = services.follow_add(user=mentor, article=published_article)
    second = services.follow_add(user=mentor, article=published_article)

    assert first.pk == second.pk
    assert Follow.objects.filter(user=mentor, article=published_article).count() == 1


def test_nobody_follows_an_article_they_may_not_read(restricted_article, outsider):
    with pytest.raises(PermissionDenied):
        services.follow_add(user=outsider, article=restricted_article)
    assert not Follow.objects.filter(user=outsider).exists()


def test_unfollowing_twice_is_harmless(published_article, mentor, category):
    services.follow_add(user=mentor, category=category)

    assert services.follow_remove(user=mentor, category=category) is True
    assert services.follow_remove(user=mentor, category=category) is False
    assert not Follow.objects.filter(user=mentor).exists()


def test_a_follow_names_exactly_one_thing(published_article, mentor, category):
    with pytest.raises(ValueError, match="exactly one"):
        services.follow_add(user=mentor, article=published_article, category=category)
    with pytest.raises(ValueError, match="exactly one"):
        services.follow_add(user=mentor)


def test_the_owner_follows_a_new_article(make_article, agent, mentor):
    article = make_article(author=agent, owner=mentor)

    assert Follow.objects.filter(article=article).get().user == mentor


def test_a_new_owner_follows_and_the_previous_one_keeps_following(make_article, agent, mentor):
    article = make_article(author=agent)
    latest = article.latest_revision
    content = {"title": latest.title, "summary": latest.summary, "body": latest.body}

    services.article_update(article=article, editor=agent, content=content, meta={"owner": mentor})

    assert set(Follow.objects.filter(article=article).values_list("user__username", flat=True)) == {
        "agent",
        "mentor",
    }


# The notification


def test_followers_hear_of_a_published_revision_with_its_title_and_change_note(
    published_article, agent, editor, mentor, django_capture_on_commit_callbacks
):
    services.follow_add(user=mentor, article=published_article)

    revision = _publish_edit(
        published_article, agent, editor, django_capture_on_commit_callbacks,
        title="Refunds, step by step", note="Added the partial refund case",
    )  # fmt: skip

    [note] = _follow_notes(mentor)
    assert "Refunds, step by step" in note.message
    assert "Added the partial refund case" in note.message
    assert note.url == published_article.get_absolute_url()
    assert note.dedupe_key == f"kb.follow:{revision.pk}:{mentor.pk}"


def test_followers_of_the_category_and_its_parent_hear_once_each(
    make_article, agent, editor, team, category, child_category,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    article = make_article(author=agent, category=child_category, approved_by=editor)
    of_topic, of_parent = UserFactory(team=team), UserFactory(team=team)
    of_all_three = UserFactory(team=team)
    services.follow_add(user=of_topic, category=child_category)
    services.follow_add(user=of_parent, category=category)
    for target in ({"article": article}, {"category": child_category}, {"category": category}):
        services.follow_add(user=of_all_three, **target)

    _publish_edit(article, agent, editor, django_capture_on_commit_callbacks)

    for person in (of_topic, of_parent, of_all_three):
        assert len(_follow_notes(person)) == 1, person


def test_a_category_follower_hears_of_a_new_article(
    make_article, agent, editor, mentor, category, django_capture_on_commit_callbacks
):
    services.follow_add(user=mentor, category=category)
    article = make_article(author=agent, title="Chargebacks explained")
    services.article_submit(article=article, user=agent)

    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=article, editor=editor)

    [note] = _follow_notes(mentor)
    assert note.message == "New in Billing: “Chargebacks explained”."


def test_the_approving_editor_the_author_and_the_owner_get_no_follow_notice(
    make_article, agent, editor, mentor, category, django_capture_on_commit_callbacks
):
    article = make_article(author=agent, owner=mentor, approved_by=editor)
    for person in (agent, editor, mentor):
        services.follow_add(user=person, article=article)
        services.follow_add(user=person, category=category)

    _publish_edit(article, agent, editor, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(kind="kb.follow").exists()
    # The author and the owner hear from the workflow instead, once.
    assert Notification.objects.filter(recipient=mentor, kind="kb.workflow").count() == 2


def test_a_restricted_article_is_never_announced_outside_its_teams(
    restricted_article, agent, editor, team, outsider, category,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    teammate = UserFactory(team=team, roles=[Role.AGENT])
    services.follow_add(user=teammate, article=restricted_article)
    services.follow_add(user=teammate, category=category)
    services.follow_add(user=outsider, category=category)

    _publish_edit(restricted_article, agent, editor, django_capture_on_commit_callbacks)

    assert len(_follow_notes(teammate)) == 1
    assert _follow_notes(outsider) == []


def test_a_follower_who_lost_access_hears_nothing(
    published_article, agent, editor, team, other_team, outsider,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    services.follow_add(user=outsider, article=published_article)
    latest = published_article.latest_revision
    services.article_update(
        article=published_article, editor=editor,
        content={"title": latest.title, "summary": latest.summary, "body": latest.body + "."},
        meta={"visibility": Article.Visibility.TEAMS, "teams": [team]},
    )  # fmt: skip
    services.article_submit(article=published_article, user=editor)
    other_editor = UserFactory(team=team, roles=[Role.KB_EDITOR])

    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=published_article, editor=other_editor)

    assert _follow_notes(outsider) == []


def test_the_task_is_safe_to_run_twice_and_quiet_when_the_revision_is_gone(
    published_article, agent, editor, mentor, django_capture_on_commit_callbacks
):
    services.follow_add(user=mentor, article=published_article)
    revision = _publish_edit(published_article, agent, editor, django_capture_on_commit_callbacks)

    assert follow_notify_published(revision.pk, editor.pk) == 0  # already told
    assert follow_notify_published(999_999) == 0
    assert len(_follow_notes(mentor)) == 1


def test_nothing_is_announced_once_the_article_is_archived(
    published_article, agent, editor, mentor, django_capture_on_commit_callbacks
):
    services.follow_add(user=mentor, article=published_article)
    _edit(published_article, agent)
    services.article_submit(article=published_article, user=agent)
    with django_capture_on_commit_callbacks() as queued:
        services.article_approve(article=published_article, editor=editor)
    services.article_archive(article=published_article, editor=editor)

    for callback in queued:  # the task runs after the archiving
        callback()

    assert _follow_notes(mentor) == []


# The buttons and the Following page


def test_the_follow_button_follows_with_htmx_and_shows_the_new_state(
    client, published_article, mentor
):
    client.force_login(mentor)
    url = f"/kb/a/{published_article.slug}/follow/"

    response = client.post(url, {"action": "follow"}, headers={"HX-Request": "true"})
    again = client.post(url, {"action": "follow"}, headers={"HX-Request": "true"})

    body = again.content.decode()
    assert response.status_code == again.status_code == 200
    assert 'aria-pressed="true"' in body
    assert "2 followers" in body  # the agent (its owner) and the mentor
    assert 'name="action" value="unfollow"' in body
    assert Follow.objects.filter(user=mentor, article=published_article).count() == 1


def test_a_plain_post_unfollows_and_goes_back_to_the_article(client, published_article, agent):
    client.force_login(agent)

    response = client.post(f"/kb/a/{published_article.slug}/follow/", {"action": "unfollow"})

    assert response.status_code == 302
    assert response["Location"] == published_article.get_absolute_url()
    assert not Follow.objects.filter(article=published_article).exists()


def test_a_foreign_next_is_ignored(client, published_article, mentor):
    client.force_login(mentor)
    response = client.post(
        f"/kb/a/{published_article.slug}/follow/",
        {"action": "follow", "next": "https://evil.example/"},
    )
    assert response["Location"] == published_article.get_absolute_url()


def test_an_unknown_action_is_refused_and_changes_nothing(client, published_article, mentor):
    client.force_login(mentor)
    response = client.post(f"/kb/a/{published_article.slug}/follow/", {"action": "maybe"})
    assert response.status_code == 400
    assert not Follow.objects.filter(user=mentor).exists()


def test_a_hidden_article_cannot_be_followed_through_its_url(client, restricted_article, outsider):
    client.force_login(outsider)
    response = client.post(f"/kb/a/{restricted_article.slug}/follow/", {"action": "follow"})
    assert response.status_code == 404
    assert not Follow.objects.filter(user=outsider).exists()


def test_a_category_is_followed_from_its_page(client, published_article, mentor, category):
    client.force_login(mentor)
    page = client.get(f"/kb/c/{category.slug}/").content.decode()
    assert f'action="/kb/c/{category.slug}/follow/"' in page
    assert 'aria-pressed="false"' in page

    response = client.post(f"/kb/c/{category.slug}/follow/", {"action": "follow"})

    assert response["Location"] == category.get_absolute_url()
    assert Follow.objects.filter(user=mentor, category=category).exists()
    assert 'aria-pressed="true"' in client.get(f"/kb/c/{category.slug}/").content.decode()


def test_the_article_page_shows_the_follow_button(client, published_article, agent):
    client.force_login(agent)
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert f'action="/kb/a/{published_article.slug}/follow/"' in page
    assert 'aria-pressed="true"' in page  # the owner follows by default
    assert "1 follower." in page


def test_the_following_page_lists_what_one_follows_and_may_still_read(
    client, make_article, agent, editor, team, other_team, mentor, category
):
    readable = make_article(author=agent, title="Readable refunds", approved_by=editor)
    closed = make_article(author=agent, title="Closed later", approved_by=editor)
    services.follow_add(user=mentor, article=readable)
    services.follow_add(user=mentor, article=closed)
    services.follow_add(user=mentor, category=category)
    latest = closed.latest_revision
    services.article_update(
        article=closed, editor=editor,
        content={"title": latest.title, "summary": latest.summary, "body": latest.body},
        meta={"visibility": Article.Visibility.TEAMS, "teams": [other_team]},
    )  # fmt: skip
    client.force_login(mentor)

    page = client.get("/kb/following/").content.decode()

    assert "Readable refunds" in page
    assert "Closed later" not in page
    assert f'href="{category.get_absolute_url()}"' in page
    assert page.count('name="next" value="/kb/following/"') == 2


def test_unfollowing_from_the_following_page_comes_back_to_it(client, published_article, agent):
    client.force_login(agent)
    response = client.post(
        f"/kb/a/{published_article.slug}/follow/",
        {"action": "unfollow", "next": "/kb/following/"},
    )
    assert response["Location"] == "/kb/following/"
    assert "You follow no articles" in client.get("/kb/following/").content.decode()
