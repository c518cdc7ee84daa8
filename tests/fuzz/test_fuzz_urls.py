"""Every URL in the URL conf, fed hostile input as anonymous, agent and editor: never a 500,
and nothing stored from a refused (4xx) request.

For each route and identity the test sends, by GET and by POST:
- each input the view reads (its forms' fields and the parameters it reads by name, see
  `tests.fuzz.inputs`), one at a time, set to each value of `HOSTILE` (NUL bytes, 1 MB,
  huge and negative integers, bad dates, invalid UTF-8...) while the others stay plausible,
  so a hostile value reaches as deep as it can; file fields also get `HOSTILE_UPLOADS`;
- each URL parameter set to each value of `HOSTILE_PATH`;
- the broken bodies of `BROKEN_BODIES` (multipart without a boundary, truncated...);
- the plausible inputs as an htmx request (partial templates);
- session and CSRF cookies holding a NUL character.
Where the identity is sent to log in before the view runs, every input is sent at once with
each hostile value instead (what the middleware sees), which keeps the run short.

Each request runs in a savepoint that is rolled back afterwards, so every request meets the
same rows, and a refused request's effect is measured alone: the row count of every model is
compared before and after it. A new URL is fuzzed the day it exists; an app with URL
parameters adds its ids to `tests.urlwalk.make_sample_ids`.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test.client import MULTIPART_CONTENT
from django.urls import resolve

from tests.fuzz.inputs import (
    BROKEN_BODIES,
    HOSTILE,
    HOSTILE_PATH,
    HOSTILE_UPLOADS,
    Inputs,
    Upload,
    multipart,
    urlencode_bytes,
    view_inputs,
)
from tests.urlwalk import LOGIN_PAGES, ROUTES, route_values

IDENTITIES = ("anonymous", "agent", "editor")

# Rows that a refused request may leave by design: a failed login is recorded (that is how
# the lockout counts), and sessions come and go with every request.
UNCOUNTED_APPS = {"axes", "sessions", "contenttypes"}


def _counted_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in UNCOUNTED_APPS
        and model._meta.managed
        and not model._meta.proxy
    }
    return sorted(tables)


def _row_counts(tables: list[str]) -> tuple[int, ...]:
    """The row count of every table, in one query."""
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL plans the ~90 sub-selects in ~1.5 ms, three times what counting
            # takes, after each of tens of thousands of refused requests: plan once per
            # connection (a prepared statement lives as long as its connection).
            raw = connection.connection
            if not getattr(raw, "fuzz_counts_prepared", False):
                cursor.execute(f"PREPARE fuzz_counts AS {sql}")
                raw.fuzz_counts_prepared = True
            sql = "EXECUTE fuzz_counts"
        cursor.execute(sql)
        return tuple(cursor.fetchone())


class _Undo(Exception):
    """Rolls back the savepoint a fuzz request ran in."""


class Fuzzer:
    """Sends requests with one client and collects what went wrong, one line each."""

    def __init__(self, client):
        self.client = client
        self.tables = _counted_tables()
        # Every request is rolled back, so each one starts from these counts.
        self.before = _row_counts(self.tables)
        self.problems: list[str] = []
        self.sent = 0

    def send(
        self, method, path, *, query="", body=b"", content_type="", label="", headers=None,
        cookies=None,
    ):  # fmt: skip
        """One request, in a savepoint rolled back afterwards (so every request meets the
        same rows, and a logout or password change does not change the next request's
        identity). A problem is recorded with the request that caused it; returns the
        response, or None when the view raised. `cookies` replace the client's for it."""
        self.sent += 1
        saved = SimpleCookie()
        saved.update(self.client.cookies)
        for name, value in (cookies or {}).items():
            self.client.cookies[name] = value
        extra = {"QUERY_STRING": query}
        if content_type:
            extra["CONTENT_TYPE"] = content_type
        response = problem = None
        try:
            with transaction.atomic():
                try:
                    response = self.client.generic(
                        method,
                        path,
                        data=body,
                        content_type=content_type or "application/octet-stream",
                        headers=headers,
                        **extra,
                    )
                except Exception as error:  # the view raised: a 500 for a real client
                    raise _Undo(f"raised {type(error).__name__}: {str(error)[:200]}") from error
                status = response.status_code
                if status >= 500:
                    raise _Undo(f"HTTP {status}")
                if status >= 400:
                    try:
                        after = _row_counts(self.tables)
                    except DatabaseError as error:
                        broken = f"HTTP {status}, and the transaction is broken: {error}"
                        raise _Undo(broken) from None
                    if after != self.before:
                        changed = [
                            f"{table} {before} -> {now}"
                            for table, before, now in zip(
                                self.tables, self.before, after, strict=True
                            )
                            if before != now
                        ]
                        raise _Undo(f"HTTP {status}, but rows changed: {', '.join(changed)}")
                raise _Undo(None)
        except _Undo as undo:
            problem = undo.args[0]
        finally:
            self.client.cookies = saved
        if problem:
            where = f"{method} {path[:100]}{'?' + query[:100] if query else ''} [{label}]"
            self.problems.append(f"{where}: {problem}")
        return response

    def send_fields(self, method, path, data: dict[str, bytes | Upload], label: str, **kw):
        if method == "GET":
            plain = {k: v for k, v in data.items() if not isinstance(v, Upload)}
            return self.send("GET", path, query=urlencode_bytes(plain), label=label, **kw)
        if any(isinstance(v, Upload) for v in data.values()):
            body, content_type = multipart(data), MULTIPART_CONTENT
        else:
            body = urlencode_bytes(data).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.send("POST", path, body=body, content_type=content_type, label=label, **kw)

    def sent_to_log_in(self, path: str) -> bool:
        response = self.send("GET", path, label="plain")
        if response is None or response.status_code != 302:
            return False
        return response["Location"].startswith(LOGIN_PAGES)


def _fuzz_route(fuzzer: Fuzzer, route, values: dict, inputs: Inputs) -> None:
    path = route.fill(values)
    if fuzzer.sent_to_log_in(path):
        _fuzz_middleware(fuzzer, route, values, inputs)
        return
    for method in ("GET", "POST"):
        own = inputs.by_method[method]
        # One hostile input at a time, the others plausible.
        for name, plausible in own.items():
            hostile = {**HOSTILE, **HOSTILE_UPLOADS} if isinstance(plausible, Upload) else HOSTILE
            for label, value in hostile.items():
                fuzzer.send_fields(method, path, {**own, name: value}, f"{name}={label}")
        fuzzer.send_fields(method, path, own, "htmx", headers={"HX-Request": "true"})
        # The inputs read from the other method's data: all at once, for the middleware and
        # anything else that reads them (or a made-up one, where the view reads none).
        others = sorted(inputs.names - set(own)) or ([] if own else ["q"])
        if others:
            for label, value in HOSTILE.items():
                fuzzer.send_fields(method, path, dict.fromkeys(others, value), f"others={label}")
        for param in sorted(set(route.params) - {"format"}):
            for label, raw in HOSTILE_PATH.items():
                hostile_path = route.fill({**values, param: raw})
                fuzzer.send(method, hostile_path, label=f"<{param}>={label}")
    _fuzz_cookies(fuzzer, path)
    for label, content_type, body in BROKEN_BODIES:
        if content_type.startswith("application/json") and not path.startswith("/api/"):
            continue  # only the API reads JSON
        fuzzer.send("POST", path, body=body, content_type=content_type, label=label)


def _fuzz_middleware(fuzzer: Fuzzer, route, values: dict, inputs: Inputs) -> None:
    """Where the identity is sent to log in, only the middleware reads the request: each
    hostile value in every input at once, in the query string and a POST body together (the
    1 MB one in the body only: it costs a tenth of a second in both, on hundreds of routes)."""
    path = route.fill(values)
    names = sorted(inputs.names) or ["q"]
    for label, value in HOSTILE.items():
        encoded = urlencode_bytes(dict.fromkeys(names, value))
        fuzzer.send(
            "POST",
            path,
            query=encoded if len(value) < 10_000 else "",
            body=encoded.encode(),
            content_type="application/x-www-form-urlencoded",
            label=f"all={label}",
        )
    for param in sorted(set(route.params) - {"format"}):
        for label, raw in HOSTILE_PATH.items():
            fuzzer.send("GET", route.fill({**values, param: raw}), label=f"<{param}>={label}")
    _fuzz_cookies(fuzzer, path)
    for label, content_type, body in BROKEN_BODIES:
        if content_type.startswith("multipart/"):
            fuzzer.send("POST", path, body=body, content_type=content_type, label=label)


def _fuzz_cookies(fuzzer: Fuzzer, path: str) -> None:
    """The session and CSRF cookies with a NUL character, as a GET and a POST."""
    cookies = {settings.SESSION_COOKIE_NAME: "refund\x00sessions", "csrftoken": "\x00"}
    fuzzer.send("GET", path, cookies=cookies, label="nul-cookies")
    fuzzer.send(
        "POST", path, body=b"q=x", content_type="application/x-www-form-urlencoded",
        cookies=cookies, label="nul-cookies",
    )  # fmt: skip


@pytest.fixture
def fuzz_client(client, request, url_walk_rows, db, search_index):
    identity = request.node.callspec.params["identity"]
    if identity != "anonymous":
        client.force_login(getattr(url_walk_rows, identity))
    return client


@pytest.mark.parametrize("route", ROUTES, ids=str)
@pytest.mark.parametrize("identity", IDENTITIES)
def test_no_input_gets_a_500_or_stores_a_refused_request(
    fuzz_client, url_walk_rows, route, identity
):
    values = route_values(route, url_walk_rows.ids)
    path = route.fill(values)
    inputs = view_inputs(resolve(path).func, is_api=path.startswith("/api/"))
    fuzzer = Fuzzer(fuzz_client)
    _fuzz_route(fuzzer, route, values, inputs)
    assert not fuzzer.problems, (
        f"{len(fuzzer.problems)} of {fuzzer.sent} requests to {route} as {identity} failed:\n"
        + "\n".join(fuzzer.problems[:40])
    )


@pytest.mark.django_db
def test_inputs_are_found_for_the_views_that_read_them():
    """The discovery the fuzz test relies on finds forms, named parameters and serializers."""

    def names(path):
        return set(view_inputs(resolve(path).func, is_api=path.startswith("/api/")).names)

    assert {"title", "body", "teams", "owner", "verification_days"} <= names("/kb/new/")
    assert {"q", "team", "skill", "page"} <= names("/people/")
    assert {"q", "team", "since", "log"} <= names("/search/")
    assert {"username", "password", "next"} <= names("/accounts/login/")
    assert "next" in names("/notifications/1/read/")
    assert {"q", "page", "format"} <= names("/api/people/")
    assert {"file"} <= names("/kb/a/x/attachments/")
    assert {"article"} <= names("/search/requests/1/link/")
