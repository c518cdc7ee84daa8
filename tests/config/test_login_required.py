"""Every URL in the URL conf needs a login, except the login page itself."""

from __future__ import annotations

import pytest

from tests.urlwalk import (
    ALL_URLS,
    APPS_WITH_SAMPLE_IDS,
    PUBLIC,
    ROUTES,
    route_url,
)


def test_the_walk_covers_every_app():
    for prefix in (
        "/accounts/", "/people/", "/kb/", "/search/", "/training/", "/mentorship/",
        "/notifications/", "/api/", "/admin/",
    ):  # fmt: skip
        assert any(url.startswith(prefix) for url in ALL_URLS), prefix
    assert len(ALL_URLS) > 40
    for app in APPS_WITH_SAMPLE_IDS:
        assert any(route.namespace == app for route in ROUTES), app


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.fill({}) not in PUBLIC], ids=str)
def test_anonymous_visitor_is_sent_to_log_in(client, url_walk_rows, route):
    url = route_url(route, url_walk_rows.ids)
    for method in (client.get, client.post):
        response = method(url)
        if url.startswith("/api/"):
            assert response.status_code == 403, (url, response.status_code)
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith(("/accounts/login/?", "/admin/login/?")), url


@pytest.mark.django_db
def test_login_page_is_public(client):
    assert client.get("/accounts/login/").status_code == 200
