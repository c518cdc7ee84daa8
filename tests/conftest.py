"""Shared fixtures: one user per role, and switches for the services a test needs."""

from __future__ import annotations

import os
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from haystack import connections

from people.models import Role
from recognition.models import Badge
from recognition.seed import seed_rows
from searchkit import pipeline
from tests.factories import TeamFactory, UserFactory

# The browser fixtures (one Chromium for the whole session) serve every app's browser tests.
pytest_plugins = ["tests.browser"]

requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL pointing at Redis"
)
requires_chromium = pytest.mark.skipif(
    not os.environ.get("CHROMIUM"), reason="needs CHROMIUM pointing at a Chromium binary"
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache outlives a test's database (synonym groups, rate counters): start empty."""
    cache.clear()


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    """The rows data migrations seed (recognition's values, badges and award) as a deployment
    has them. A transactional test empties the database when it ends, and xdist may run a
    plain test after it on the same worker: any test with the database puts them back if
    they are gone (one query when they are there)."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        if not Badge.objects.exists():
            seed_rows()


@contextmanager
def module_rows(django_db_blocker):
    """A transaction for rows a whole test module shares, rolled back after its last test.
    Each test still runs in its own savepoint within it (the `db` fixture nests), so what
    one test changes never reaches the next, as with Django's `setUpTestData`."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            if not Badge.objects.exists():  # emptied by a transactional test before
                seed_rows()
        yield django_db_blocker.unblock
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    """`seed_demo` once per test module (see `module_rows`): a few seconds on SQLite and up
    to twenty on PostgreSQL."""
    with module_rows(django_db_blocker) as unblocked:
        with unblocked():
            call_command("seed_demo", verbosity=0)
        yield


@pytest.fixture(scope="module")
def _indexed_demo_module(_demo_module, django_db_blocker):
    """The demo organisation's search index, built once per module from its rows."""
    with django_db_blocker.unblock():
        pipeline.backend().clear()
        pipeline.rebuild()


@pytest.fixture(scope="module")
def url_walk_rows(django_db_setup, django_db_blocker):
    """The people the URL walks act as and the rows they fill URL parameters with
    (`tests.urlwalk.make_sample_ids`), made once per module (see `module_rows`): a few
    hundred milliseconds each time, for hundreds of routes."""
    from tests.urlwalk import make_sample_ids

    with module_rows(django_db_blocker) as unblocked:
        with unblocked():
            team = _billing_team()
            agent, editor = _agent(team), _editor(team)
            # A colleague, so owner and people choices have more than one row.
            UserFactory(username="colleague", roles=[Role.AGENT])
            ids = make_sample_ids(agent=agent, editor=editor, team=team)
        yield SimpleNamespace(team=team, agent=agent, editor=editor, ids=ids)


@pytest.fixture
def demo(_demo_module, db):
    """The demo organisation `seed_demo` makes, seeded once for the module."""


@pytest.fixture
def indexed_demo(_indexed_demo_module, db):
    """The demo organisation and a search index of it, made once for the module. Its tests
    only read the index (a test that writes to it takes `search_index` and indexes its own)."""


@pytest.fixture
def search_index(settings):
    """An empty live search index (`var/test/whoosh`) for this test; returns the backend.
    Index it with `searchkit.pipeline.sync("kb.article", pk)` or `pipeline.rebuild()`, or let
    a service's queued update run (eager in tests) by committing:
    `django_capture_on_commit_callbacks` with `execute=True`, or a `transactional_db` test."""
    backend = connections["default"].get_backend()
    backend.clear()
    return backend


@pytest.fixture
def team(db):
    return _billing_team()


def _billing_team():
    return TeamFactory(name="Billing Support", slug="billing")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Technical Support", slug="tech")


@pytest.fixture
def agent(team):
    return _agent(team)


def _agent(team):
    return UserFactory(username="agent", team=team, roles=[Role.AGENT], skills=["refunds"])


@pytest.fixture
def mentor(team):
    return UserFactory(username="mentor", team=team, roles=[Role.AGENT, Role.MENTOR])


@pytest.fixture
def manager(team):
    user = UserFactory(username="manager", team=team, roles=[Role.MANAGER])
    team.managers.add(user)
    return user


@pytest.fixture
def editor(team):
    return _editor(team)


def _editor(team):
    return UserFactory(username="editor", team=team, roles=[Role.KB_EDITOR])


@pytest.fixture
def outsider(other_team):
    return UserFactory(username="outsider", team=other_team, roles=[Role.AGENT])


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def pytest_sessionfinish(session, exitstatus):
    """In CI every service is present, so a skipped test means something is missing."""
    if not os.environ.get("HUDDLE_FORBID_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"HUDDLE_FORBID_SKIPS: {len(skipped)} test(s) skipped", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
