"""Every URL in the URL conf needs a login, except the login page itself."""

from __future__ import annotations

import pytest

from tests.urlwalk import (
    ALL_URLS,
    APPS_WITH_SAMPLE_IDS,
    PUBLIC,
    ROUTES,
    Route,
    make_sample_ids,
    route_url,
)


@pytest.fixture
def sample_ids(agent, editor, team) -> dict[str, dict[str, object]]:
    """Real rows for the URL parameters (see `tests.urlwalk.make_sample_ids`)."""
    return make_sample_ids(agent=agent, editor=editor, team=team)


def _url(route: Route, request) -> str:
    # Only where used: the sample ids make rows.
    return route_url(route, lambda: request.getfixturevalue("sample_ids"))


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
def test_anonymous_visitor_is_sent_to_log_in(client, request, route):
    url = _url(route, request)
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
