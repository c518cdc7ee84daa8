"""Every API operation answers as the OpenAPI schema says, for whatever input the schema allows
(and some it does not): schemathesis generates requests for each operation in the schema that
`/api/schema/` serves and sends them in-process to the WSGI app as a signed-in agent.

Checked on every response: no server error; a documented status code; a documented content
type; a body that validates against the documented schema. An app that adds an API is covered
by adding nothing; if its path parameters name rows (`{id}`, `{slug}`), add a few real values
to `KNOWN` in `api_data` so that some requests find something.

Bounded for CI: a fixed number of generated requests per operation, derandomized (the same
requests every run), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from notifications.models import Notification
from people.models import Role, User
from searchkit import pipeline
from tests.api import known_kb_questions, known_learning
from tests.factories import NotificationFactory, UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.recognition.builders import make_kudos

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 15  # generated requests per operation in the fuzzing phase


def generated_schema() -> dict:
    """What `/api/schema/` serves (`test_the_served_schema_is_the_tested_one` holds them equal),
    made without a request: the test items are collected before any database exists, and
    schemathesis's fixture-based loader does not run on pytest 9.2."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


SCHEMA = generated_schema()
schema = schemathesis.openapi.from_dict(SCHEMA, config=schemathesis.Config())

# Real values of path parameters, by name, filled by `api_data` for the running test.
KNOWN: dict[str, list[Any]] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict[str, Any] | None) -> st.SearchStrategy:
    """Half of the generated requests of an operation with a known path parameter use a real
    value for it, so they reach a row instead of a 404."""
    known = {name: KNOWN[name] for name in path_parameters or () if KNOWN.get(name)}
    if not known:
        return st.just(path_parameters)
    real = st.fixed_dictionaries({name: st.sampled_from(values) for name, values in known.items()})
    return st.one_of(st.just(path_parameters), real.map(lambda r: {**path_parameters, **r}))


@pytest.fixture
def api_data(db, agent, editor, outsider, search_index) -> Iterator[dict[str, list[Any]]]:
    """A little of everything the API lists: the agent's notifications (read and unread), one
    of someone else's, colleagues in and out of the agent's team and one in no team, and a
    published, indexed article that the schema's example search ("refund") finds, a pairing
    the agent is mentored in, and a kudos for it that the agent may react to."""
    mine = NotificationFactory.create_batch(3, recipient=agent)
    mine[0].mark_read()
    theirs = NotificationFactory(recipient=outsider)
    UserFactory(username="floater", team=None, roles=[Role.AGENT], skills=["refunds"])
    article = make_article(author=editor, approved_by=editor, title="Issue a refund")
    pipeline.sync("kb.article", article.pk)
    pairing = make_pairing(program=make_program(), mentor=editor, mentee=agent)
    kudos = make_kudos(editor, agent, pairing=pairing)
    KNOWN.update(
        id=[*(n.pk for n in (*mine, theirs)), pairing.pk, kudos.pk],
        username=list(User.objects.values_list("username", flat=True)),
    )
    for area in (known_kb_questions, known_learning):
        for name, values in area.add(agent=agent, editor=editor, outsider=outsider).items():
            KNOWN.setdefault(name, []).extend(values)
    yield KNOWN
    KNOWN.clear()


@pytest.fixture
def agent_app(api_data, agent) -> Iterator[Any]:
    """The WSGI app as the agent's browser reaches it: with the session cookie and the CSRF
    token on every request (DRF's session authentication checks CSRF on a POST)."""
    client = Client()
    client.force_login(agent)
    token = get_random_string(32)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    handler = WSGIHandler()

    def app(environ, start_response):
        environ["HTTP_COOKIE"] = cookie
        environ["HTTP_X_CSRFTOKEN"] = token
        return handler(environ, start_response)

    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield app
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_served_schema_is_the_tested_one(agent_client):
    assert agent_client.get("/api/schema/", {"format": "json"}).json() == SCHEMA


@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    # One operation's generated requests share the fixture's data, and what they change.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@schema.parametrize()
def test_api_answers_as_documented(case, agent_app):
    case.call_and_validate(app=agent_app, checks=CHECKS)


# What a hostile client puts in a parameter: NUL bytes, a long string, numbers past 64 bits.
HOSTILE = ["a\x00b", "\x00", "x" * 100_000, str(10**20), str(-(10**20))]
OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_hostile_parameters_get_a_documented_4xx_or_are_ignored(label, agent_app):
    """Each hostile value in each path and query parameter of every operation, one at a time
    (the others real or left out): no server error, and the answer is as documented."""
    operation = OPERATIONS[label]
    path = {p.name: KNOWN.get(p.name, ["1"])[0] for p in operation.path_parameters}
    for location, parameters in (("path", operation.path_parameters), ("query", operation.query)):
        for parameter, value in itertools.product(parameters, HOSTILE):
            if location == "path":
                case = operation.Case(path_parameters={**path, parameter.name: value})
            else:
                case = operation.Case(path_parameters=path, query={parameter.name: value})
            response = case.call_and_validate(app=agent_app, checks=CHECKS)
            assert response.status_code < 500


def test_read_all_answers_how_many_it_marked(agent_client, agent):
    NotificationFactory.create_batch(2, recipient=agent)
    response = agent_client.post("/api/notifications/read-all/")
    assert response.json() == {"marked_read": 2}
    assert not Notification.objects.filter(recipient=agent, read_at=None).exists()


@pytest.mark.parametrize("q", ["", "nobody-has-this", "\x00"])
def test_me_is_always_you_whatever_q_says(agent_client, agent, q):
    response = agent_client.get("/api/people/me/", {"q": q})
    assert response.status_code == 200
    assert response.json()["username"] == agent.username


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/people/?q=a%00b", 400),
        ("/api/people/a%00b/", 404),
        ("/api/people/?page=99999999999999999999", 404),
        ("/api/notifications/99999999999999999999/", 404),
        ("/api/notifications/-99999999999999999999/", 404),
        ("/api/notifications/?page=-1", 404),
        ("/api/search/?q=a%00b&team=99999999999999999999&page=99999999999999999999", 200),
    ],
)
def test_nul_bytes_and_huge_numbers_get_a_json_answer(agent_client, url, status):
    response = agent_client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
