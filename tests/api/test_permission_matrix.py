"""The API's permission matrix, walked over every operation of the served schema (an endpoint
added tomorrow is in it the day it exists), one request per operation per role:

- nobody signed in: 401 or 403 with the error body, on every operation;
- a revoked token: 401 naming the token scheme, on every operation;
- a live token: the same answer as its owner's session, on every list;
- a team-restricted article: read by its team, its manager and the KB editors, and never named
  to an outsider by any list or detail (a 404 where its slug is in the path).
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from people import services
from searchkit import pipeline
from tests.factories import make_article

SCHEMA = json.loads(
    OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
)
OPERATIONS = sorted(
    (method.upper(), path, operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in {"get", "post", "put", "patch", "delete"}
)
READS = [op for op in OPERATIONS if op[0] == "GET"]
LISTS = [op for op in READS if "{" not in op[1]]
PARAMETER = re.compile(r"\{(\w+)\}")

SECRET_WORD = "zanzibar"
SECRET_TITLE = "Zanzibar escalation playbook"


def _url(path: str, values: dict[str, object]) -> str:
    return PARAMETER.sub(lambda m: str(values.get(m.group(1), "1")), path)


def _call(client: Client, method: str, url: str, **extra):
    return client.generic(method, url, data="{}", content_type="application/json", **extra)


@pytest.fixture
def restricted(db, team, editor, search_index):
    """A published article for the agent's team only, in the search index."""
    article = make_article(
        author=editor, approved_by=editor, title=SECRET_TITLE, visibility="teams", teams=[team]
    )
    pipeline.sync("kb.article", article.pk)
    return article


def test_the_walk_covers_the_api():
    paths = {path for _, path, _ in OPERATIONS}
    assert {"/api/people/", "/api/search/", "/api/notifications/"} <= paths


def test_nobody_signed_in_is_refused_everywhere(client, restricted):
    values = {"slug": restricted.slug, "id": restricted.pk}
    wrong = {}
    for method, path, _ in OPERATIONS:
        response = _call(client, method, _url(path, values))
        if response.status_code not in (401, 403) or not {"detail", "code"} <= set(response.json()):
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}


def test_a_revoked_token_is_a_401_everywhere(client, agent, restricted):
    token, key = services.api_token_create(user=agent, name="Old laptop")
    services.api_token_revoke(token=token)
    values = {"slug": restricted.slug, "id": restricted.pk}
    wrong = {}
    for method, path, _ in OPERATIONS:
        response = _call(client, method, _url(path, values), HTTP_AUTHORIZATION=f"Token {key}")
        if response.status_code != 401 or response.get("WWW-Authenticate") != "Token":
            wrong[f"{method} {path}"] = response.status_code
    assert wrong == {}


def test_a_live_token_answers_every_list_as_the_session_does(agent_client, agent, restricted):
    _, key = services.api_token_create(user=agent, name="Script")
    by_token = Client()
    different = {}
    for method, path, _ in LISTS:
        session = _call(agent_client, method, path)
        token = _call(by_token, method, path, HTTP_AUTHORIZATION=f"Token {key}")
        if (token.status_code, token.json()) != (session.status_code, session.json()):
            different[path] = (session.status_code, token.status_code)
    assert different == {}


def _reads(client: Client, article) -> dict[str, tuple[int, bool]]:
    """Each read operation's status and whether its answer names the article."""
    values = {"slug": article.slug, "id": article.pk}
    answers = {}
    for method, path, operation in READS:
        query = ""
        if any(p["in"] == "query" and p["name"] == "q" for p in operation.get("parameters", [])):
            query = f"?q={SECRET_WORD}"
        response = _call(client, method, _url(path, values) + query)
        assert response.status_code < 500, path
        answers[path] = (response.status_code, SECRET_TITLE in response.content.decode())
    return answers


@pytest.mark.parametrize("role", ["agent", "manager", "editor"])
def test_the_articles_team_managers_and_editors_read_it(request, client, restricted, role):
    client.force_login(request.getfixturevalue(role))
    answers = _reads(client, restricted)
    assert any(named for _, named in answers.values()), "no read operation names the article"


def test_an_outsider_never_sees_a_restricted_article(client, outsider, restricted):
    client.force_login(outsider)
    answers = _reads(client, restricted)
    assert [path for path, (_, named) in answers.items() if named] == []
    about_it = [path for path in answers if path.startswith("/api/articles/{slug}")]
    assert {path: answers[path][0] for path in about_it} == dict.fromkeys(about_it, 404)
