"""The address a failed-login lock is keyed on, with the X-Forwarded-For shapes real proxies send.

With N trusted proxies in front of Huddle, REMOTE_ADDR is the nearest one and the other N - 1
appended the header's last N - 1 entries; the client is the entry just left of those. nginx's
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for` appends the address it saw to
whatever the client sent, so everything further left is the client's own invention.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from people.auth import client_ip
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
NGINX = "10.0.0.2"  # the proxy nearest to Huddle, as REMOTE_ADDR
OUTER = "10.0.0.1"  # a second proxy (a load balancer) in front of nginx
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


def _attempt(client, password, *, forwarded_for=None, remote=NGINX, username="agent"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def _locked_addresses():
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2


@pytest.mark.usefixtures("one_proxy")
def test_a_spoofed_prefix_cannot_dodge_the_lock(client, agent, settings):
    # The attacker invents a new X-Forwarded-For each time; nginx appends the real address.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "guess", forwarded_for=f"1.1.1.{n}, 10.9.9.{n}, {ATTACKER}")
    locked = _attempt(client, PASSWORD, forwarded_for=f"8.8.8.8, {ATTACKER}")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _locked_addresses() == {ATTACKER}


@pytest.mark.usefixtures("one_proxy")
def test_honest_clients_behind_one_proxy_get_their_own_address(client, agent, settings):
    # nginx with no incoming header: X-Forwarded-For is the single address it saw.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "guess", forwarded_for=ATTACKER)
    assert _locked_addresses() == {ATTACKER}
    assert _attempt(client, PASSWORD, forwarded_for=ATTACKER).status_code == 429
    # The attacker's lock is the attacker's: the owner, elsewhere, still logs in.
    assert _attempt(client, PASSWORD, forwarded_for=VICTIM).status_code == 302


@pytest.mark.usefixtures("two_proxies")
def test_honest_clients_behind_two_proxies_get_their_own_address(client, agent, settings):
    # The load balancer appends the client, nginx appends the load balancer.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "guess", forwarded_for=f"{ATTACKER}, {OUTER}")
    assert _locked_addresses() == {ATTACKER}
    assert _attempt(client, PASSWORD, forwarded_for=f"{ATTACKER}, {OUTER}").status_code == 429
    assert _attempt(client, PASSWORD, forwarded_for=f"{VICTIM}, {OUTER}").status_code == 302


@pytest.mark.usefixtures("two_proxies")
def test_a_spoofed_prefix_cannot_dodge_the_lock_behind_two_proxies(client, agent, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "guess", forwarded_for=f"1.1.1.{n}, {ATTACKER}, {OUTER}")
    locked = _attempt(client, PASSWORD, forwarded_for=f"{VICTIM}, {ATTACKER}, {OUTER}")
    assert locked.status_code == 429
    assert _locked_addresses() == {ATTACKER}


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, agent):
    _attempt(client, "guess", forwarded_for=VICTIM, remote=ATTACKER)
    assert _locked_addresses() == {ATTACKER}


@pytest.mark.usefixtures("one_proxy")
@pytest.mark.parametrize(
    "forwarded_for",
    [
        "",
        "not-an-address",
        "\x00",
        "1.2.3.4\x00, 5.6.7.8.9",
        "x" * 100_000,
        ", , ,",
        "fe80::1%eth0",
        "1.2.3.4, " * 5000 + "999.1.1.1",
    ],
)
def test_malformed_headers_neither_fail_nor_pick_an_address(client, agent, forwarded_for):
    response = _attempt(client, "guess", forwarded_for=forwarded_for)
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    # Not an address: the lock falls back to the proxy's address, never to "no address".
    assert _locked_addresses() == {NGINX}


# The rule itself, over every shape: (trusted proxies, REMOTE_ADDR, X-Forwarded-For, client).
SHAPES = [
    # No trusted proxy: the header is the client's invention.
    (0, "203.0.113.5", None, "203.0.113.5"),
    (0, "203.0.113.5", "198.51.100.7", "203.0.113.5"),
    # One proxy (nginx's $proxy_add_x_forwarded_for).
    (1, NGINX, "203.0.113.5", "203.0.113.5"),
    (1, NGINX, "198.51.100.7, 203.0.113.5", "203.0.113.5"),
    (1, NGINX, "a, b, 198.51.100.7,203.0.113.5", "203.0.113.5"),
    (1, NGINX, None, NGINX),  # a request that skipped the header: the proxy itself
    (1, NGINX, "garbage", NGINX),  # a malformed entry is not an address
    # Two proxies: the last entry is the outer proxy, the one before it the client.
    (2, NGINX, f"203.0.113.5, {OUTER}", "203.0.113.5"),
    (2, NGINX, f"198.51.100.7, 203.0.113.5, {OUTER}", "203.0.113.5"),
    (2, NGINX, f"evil, 203.0.113.5, {OUTER}", "203.0.113.5"),
    (2, NGINX, "203.0.113.5", "203.0.113.5"),  # too short: the left-most entry
    (2, NGINX, f"bad, {OUTER}", NGINX),
    # Address spellings proxies use.
    (1, NGINX, "2001:DB8::1", "2001:db8::1"),
    (1, NGINX, "[2001:db8::1]:4711", "2001:db8::1"),
    (1, NGINX, "203.0.113.5:51234", "203.0.113.5"),
    (1, NGINX, "::ffff:203.0.113.5", "203.0.113.5"),
    (1, NGINX, " 203.0.113.5 ", "203.0.113.5"),
    (1, "::ffff:10.0.0.2", "", NGINX),
    (0, "", None, None),
]


@pytest.mark.parametrize(("proxies", "remote", "forwarded_for", "expected"), SHAPES)
def test_client_address_rule(settings, proxies, remote, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip(RequestFactory().post(LOGIN, **meta)) == expected


def test_axes_uses_the_rule(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "people.auth.client_ip"
