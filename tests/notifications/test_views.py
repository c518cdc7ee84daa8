"""Notification list, unread badge, mark one and mark all read; nobody sees others'."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from tests.dashboard.test_home_queries import HOME_QUERIES
from tests.factories import NotificationFactory


@pytest.fixture
def mine(agent):
    return NotificationFactory.create_batch(3, recipient=agent, url="/people/")


@pytest.fixture
def theirs(outsider):
    return NotificationFactory(recipient=outsider, message="Outsider's secret")


def test_list_shows_only_my_notifications(agent_client, mine, theirs):
    body = agent_client.get("/notifications/").content.decode()
    for n in mine:
        assert n.message in body
    assert "Outsider's secret" not in body


def test_unread_filter(agent_client, mine):
    mine[0].mark_read()
    body = agent_client.get("/notifications/?show=unread").content.decode()
    assert mine[0].message not in body
    assert mine[1].message in body


def test_unread_badge_counts_my_unread(agent_client, mine, theirs):
    mine[0].mark_read()
    response = agent_client.get("/notifications/unread-count/")
    assert '<span class="badge">2</span>' in response.content.decode()


def test_mark_one_read(agent_client, mine):
    response = agent_client.post(f"/notifications/{mine[0].pk}/read/", {"next": "/notifications/"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    assert Notification.objects.unread().count() == 2


def test_mark_one_read_with_htmx_returns_the_item_and_signals_the_badge(agent_client, mine):
    response = agent_client.post(
        f"/notifications/{mine[0].pk}/read/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{mine[0].pk}"' in response.content.decode()
    assert "Mark read" not in response.content.decode()


def test_mark_read_refuses_an_offsite_next(agent_client, mine):
    response = agent_client.post(
        f"/notifications/{mine[0].pk}/read/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/notifications/"


@pytest.mark.parametrize(
    "next_url",
    [
        "x",
        "-1",
        "2024-02-30",
        "kb:article-list",
        "javascript:alert(1)",
        "//evil.example/",
        "/x" * 9000,
    ],
)
def test_mark_read_with_a_next_that_is_no_page_goes_to_the_list(agent_client, mine, next_url):
    response = agent_client.post(f"/notifications/{mine[0].pk}/read/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None


def test_open_with_a_stored_link_that_is_no_page_goes_to_the_list(agent_client, agent):
    notification = NotificationFactory(recipient=agent, url="x")
    response = agent_client.get(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_is_404_and_unchanged(agent_client, theirs):
    assert agent_client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert agent_client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post(agent_client, mine):
    assert agent_client.get(f"/notifications/{mine[0].pk}/read/").status_code == 405
    assert Notification.objects.get(pk=mine[0].pk).read_at is None


def test_open_marks_read_and_follows_the_link(agent_client, mine):
    response = agent_client.get(f"/notifications/{mine[0].pk}/open/")
    assert response["Location"] == "/people/"
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None


def test_mark_all_read_touches_only_mine(agent_client, mine, theirs):
    response = agent_client.post("/notifications/read-all/", follow=True)
    assert "Marked 3 notifications read." in response.content.decode()
    assert Notification.objects.unread().get() == theirs


def test_bad_page_number_is_not_an_error(agent_client, mine):
    for page in ("999", "abc", "-1"):
        assert agent_client.get(f"/notifications/?page={page}").status_code == 200


@pytest.mark.parametrize("size", [2, 40])
def test_list_query_count_is_constant(agent_client, agent, size, django_assert_max_num_queries):
    NotificationFactory.create_batch(size, recipient=agent)
    with django_assert_max_num_queries(6):
        assert agent_client.get("/notifications/").status_code == 200
    # The home page's latest notifications: the page's own count is pinned per role in
    # tests/dashboard/test_home.py; here, that it does not grow with the notifications.
    with django_assert_max_num_queries(HOME_QUERIES["agent"]):
        assert agent_client.get("/").status_code == 200
