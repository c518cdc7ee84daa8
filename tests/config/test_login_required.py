"""Every URL in the URL conf needs a login, except the login page itself."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

# Pages an anonymous visitor must reach.
PUBLIC = {"/accounts/login/", "/admin/login/"}


def _sample_urls(patterns, prefix: str = "") -> list[str]:
    """One concrete URL per pattern, with every parameter filled with a plausible value."""
    urls = []
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^")
        if isinstance(entry, URLResolver):
            urls += _sample_urls(entry.url_patterns, regex)
        elif isinstance(entry, URLPattern):
            for template, params in normalize(regex.replace(r"\Z", "").replace("$", "")):
                # DRF's format suffix has its dot either before or inside the group.
                suffix = "json" if r"\.(?P<format>" in regex else ".json"
                values = {name: suffix if name == "format" else "1" for name in params}
                urls.append("/" + template % values)
    return sorted(set(urls))


ALL_URLS = _sample_urls(get_resolver().url_patterns)


def test_the_walk_covers_every_app():
    for prefix in ("/accounts/", "/people/", "/notifications/", "/api/", "/admin/"):
        assert any(url.startswith(prefix) for url in ALL_URLS), prefix
    assert len(ALL_URLS) > 40


@pytest.mark.django_db
@pytest.mark.parametrize("url", [u for u in ALL_URLS if u not in PUBLIC])
def test_anonymous_visitor_is_sent_to_log_in(client, url):
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
