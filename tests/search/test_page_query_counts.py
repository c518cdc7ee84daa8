"""The content requests and synonyms pages: their database queries stay the same at two data
sizes, so an N+1 (a query per request, owner, article or group) shows up as a failure.

The search, autocomplete and article pages are pinned in test_query_counts.py."""

from __future__ import annotations

import itertools

import pytest

from people.models import Role
from search import services
from search.models import ContentRequest
from tests.factories import UserFactory, make_article

SIZES = [2, 12]

# Measured, the same at both sizes (2 and 12) on SQLite and PostgreSQL. Each page reads the
# session, the user and their roles (3), then
# - requests: the requests with owner, creator, article and its latest revision joined, and
#   who asked for them (2; the editors' triage list is pinned in test_content_requests_asked.py);
# - synonyms: the groups (1).
LIMITS = {"requests": 5, "synonyms": 4}


@pytest.fixture
def requests_of(editor, team):
    """`requests_of(n, owner=None)`: 3n content requests by `editor`, each owned by `owner` or
    by a new person: n open and linked to a published article, n open and linked to a draft,
    n declined."""

    serial = itertools.count()

    def make(n, owner=None):
        for _ in range(n):
            i = next(serial)
            for kind in ("published", "draft", "declined"):
                content_request = services.content_request_create(
                    user=editor,
                    query=f"{kind} question {i}",
                    title=f"Answer the {kind} question {i}",
                    owner=owner or UserFactory(team=team, roles=[Role.AGENT]),
                )
                if kind == "declined":
                    services.content_request_decline(
                        user=editor, content_request=content_request, note="Out of scope."
                    )
                    continue
                article = make_article(
                    author=editor,
                    title=f"The {kind} answer {i}",
                    approved_by=editor if kind == "published" else None,
                )
                services.content_request_link(
                    user=editor, content_request=content_request, article=article
                )

    return make


@pytest.mark.parametrize("size", SIZES)
def test_content_requests_page_query_count_is_constant(
    client, editor, requests_of, size, django_assert_max_num_queries
):
    requests_of(size)
    client.force_login(editor)
    with django_assert_max_num_queries(LIMITS["requests"]):
        response = client.get("/search/requests/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<li class="card" id="request-') == 3 * size
    assert body.count("Answered by <a") == 2 * size
    assert ContentRequest.objects.filter(status="declined").count() == size


@pytest.mark.parametrize("size", SIZES)
def test_content_requests_page_of_an_owner_query_count_is_constant(
    client, agent, requests_of, size, django_assert_max_num_queries
):
    requests_of(size, owner=agent)
    requests_of(size)  # other people's: not on the agent's page
    client.force_login(agent)
    with django_assert_max_num_queries(LIMITS["requests"]):
        response = client.get("/search/requests/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<li class="card" id="request-') == 3 * size


@pytest.mark.parametrize("size", SIZES)
def test_synonyms_page_query_count_is_constant(
    client, editor, team, size, django_assert_max_num_queries
):
    for i in range(size):
        # Each group by another editor, so nothing can come from one cached row.
        services.synonym_save(
            user=UserFactory(team=team, roles=[Role.KB_EDITOR]),
            terms=f"refund {i}, chargeback {i}, money back {i}",
        )
    client.force_login(editor)
    with django_assert_max_num_queries(LIMITS["synonyms"]):
        response = client.get("/search/synonyms/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Remove the group") == size
