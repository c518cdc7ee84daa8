"""Guessing one account's password from many addresses is throttled, yet its owner gets in.

Every browser that has logged in to an account carries a signed device cookie for it. Failed
log-ins without one count per account; past LOGIN_ACCOUNT_FAILURE_LIMIT in a window, log-ins
to that account from browsers without a cookie are refused (429, Retry-After) until the window
ends. Browsers with the cookie only face the per-(username, address) lockout.
"""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.test import Client, RequestFactory

from people.auth import device_cookie_name, has_device_cookie
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def _address(n: int) -> str:
    return f"198.51.{n // 200}.{n % 200 + 1}"


def _attempt(client, password, *, address, username="agent"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _spray(username="agent", attempts=200):
    """Wrong passwords for one account, each from a different address and a fresh browser."""
    return [
        _attempt(Client(), f"guess {n}", address=_address(n), username=username).status_code
        for n in range(attempts)
    ]


@pytest.fixture(autouse=True)
def _mid_window():
    """Counting windows are fixed (aligned to the clock): a test that sprays guesses and then
    tries must not straddle a window's end, so the throttle's clock stands in the middle of
    the current 15-minute window (tests that move it on patch it themselves)."""
    length = 15 * 60
    middle = int(time.time() // length) * length + length / 2
    with mock.patch("people.auth.time.time", return_value=middle):
        yield


@pytest.fixture
def owner_browser(agent):
    """The owner's browser: it has logged in to the account once, and logged out again."""
    browser = Client()
    assert _attempt(browser, PASSWORD, address="192.0.2.10").status_code == 302
    browser.post("/accounts/logout/")
    assert "_auth_user_id" not in browser.session
    return browser


def test_two_hundred_guesses_from_two_hundred_addresses_are_throttled(agent, settings):
    limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    statuses = _spray()
    assert statuses[:limit] == [200] * limit  # the form again, "enter a correct password"
    assert set(statuses[limit:]) == {429}


def test_a_throttled_attempt_is_refused_clearly_without_checking_the_password(agent, settings):
    _spray(attempts=settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    browser = Client()
    response = _attempt(browser, PASSWORD, address="192.0.2.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in browser.session
    window = settings.LOGIN_ACCOUNT_WINDOW.total_seconds()
    assert 0 < int(response["Retry-After"]) <= window
    text = response.content.decode()
    assert "Too many failed log-ins" in text
    assert "browsers that have not logged in to this account before" in text
    assert "minute" in text


def test_the_owner_with_a_device_cookie_logs_in_during_the_attack(owner_browser, settings):
    _spray()
    response = _attempt(owner_browser, PASSWORD, address="192.0.2.10")
    assert response.status_code == 302
    assert "_auth_user_id" in owner_browser.session
    # ... from another address too: the cookie, not the address, is what the owner has.
    owner_browser.post("/accounts/logout/")
    assert _attempt(owner_browser, PASSWORD, address="192.0.2.11").status_code == 302


def test_the_owners_typos_with_a_device_cookie_do_not_throttle_the_account(owner_browser, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 3
    for n in range(4):
        assert _attempt(owner_browser, "typo", address=f"192.0.2.{20 + n}").status_code == 200
    assert _attempt(Client(), PASSWORD, address="192.0.2.30").status_code == 302


def test_a_device_cookie_does_not_lift_the_per_address_lockout(owner_browser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(owner_browser, "guess", address="192.0.2.10")
    response = _attempt(owner_browser, PASSWORD, address="192.0.2.10")
    assert response.status_code == 429
    assert "from your address" in response.content.decode()


def test_a_successful_login_issues_the_device_cookie(agent, settings):
    browser = Client()
    response = _attempt(browser, PASSWORD, address="192.0.2.10")
    assert response.status_code == 302
    cookie = response.cookies[device_cookie_name("agent")]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == LOGIN  # sent to the log-in page only
    assert int(cookie["max-age"]) == settings.LOGIN_DEVICE_COOKIE_AGE.total_seconds()
    # Signed: only this server can have made it.
    request = RequestFactory().post(LOGIN)
    request.COOKIES[cookie.key] = cookie.value
    assert has_device_cookie(request, "agent")
    assert not has_device_cookie(request, "mentor")
    # A failed log-in issues nothing.
    failed = _attempt(Client(), "guess", address="192.0.2.10")
    assert device_cookie_name("agent") not in failed.cookies


def test_a_username_in_any_script_gets_a_cookie_that_fits_in_a_header(db):
    UserFactory(username="Łukasz.Żółw")
    response = _attempt(Client(), PASSWORD, address="192.0.2.10", username="Łukasz.Żółw")
    assert response.status_code == 302
    response.cookies[device_cookie_name("Łukasz.Żółw")].OutputString().encode("latin-1")


def test_another_accounts_device_cookie_does_not_count(agent, settings):
    UserFactory(username="colleague")
    browser = Client()
    assert _attempt(browser, PASSWORD, address="192.0.2.10", username="colleague").status_code
    browser.post("/accounts/logout/")
    _spray(attempts=settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    assert _attempt(browser, PASSWORD, address="192.0.2.10").status_code == 429
    # Copying the colleague's cookie under the agent's name does not help either.
    colleague_value = browser.cookies[device_cookie_name("colleague")].value
    browser.cookies[device_cookie_name("agent")] = colleague_value
    assert _attempt(browser, PASSWORD, address="192.0.2.10").status_code == 429


@pytest.mark.parametrize(
    "value",
    [
        "agent",
        "agent:1tAbCd:forged-signature",
        signing.TimestampSigner(salt="wrong").sign("agent"),
        "\x00" * 10,
        "x" * 5000,
    ],
    # Fixed ids: a signed value differs from one process to the next (pytest-xdist workers
    # must collect the same test names).
    ids=["plain-username", "bad-signature", "wrong-salt", "nul-bytes", "huge"],
)
def test_a_forged_device_cookie_is_not_trusted(agent, settings, value):
    _spray(attempts=settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    browser = Client()
    browser.cookies[device_cookie_name("agent")] = value
    assert _attempt(browser, PASSWORD, address="192.0.2.10").status_code == 429


def test_an_expired_device_cookie_is_not_trusted(agent, settings):
    age = int(settings.LOGIN_DEVICE_COOKIE_AGE.total_seconds())
    issued_long_ago = signing.b62_encode(int(time.time()) - age - 60)
    browser = Client()
    with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=issued_long_ago):
        assert _attempt(browser, PASSWORD, address="192.0.2.10").status_code == 302
    browser.post("/accounts/logout/")
    _spray(attempts=settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    assert _attempt(browser, PASSWORD, address="192.0.2.10").status_code == 429


def test_new_browsers_get_in_again_once_the_window_ends(agent, settings):
    settings.LOGIN_ACCOUNT_WINDOW = timedelta(minutes=15)
    _spray(attempts=settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    assert _attempt(Client(), PASSWORD, address="192.0.2.10").status_code == 429
    later = time.time() + 15 * 60
    with mock.patch("people.auth.time.time", return_value=later):
        assert _attempt(Client(), PASSWORD, address="192.0.2.10").status_code == 302


def test_other_accounts_are_not_throttled(agent, mentor, settings):
    _spray(attempts=settings.LOGIN_ACCOUNT_FAILURE_LIMIT + 5)
    assert _attempt(Client(), PASSWORD, address="192.0.2.10", username="mentor").status_code == 302


def test_unknown_usernames_are_throttled_alike(db, settings):
    # The same answers whether or not the account exists: nothing to enumerate.
    statuses = _spray(username="nobody", attempts=settings.LOGIN_ACCOUNT_FAILURE_LIMIT + 2)
    assert statuses[-2:] == [429, 429]


def test_the_admin_log_in_is_throttled_too(db, settings):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    _spray(username="boss", attempts=settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    browser = Client()
    response = browser.post(
        "/admin/login/", {"username": "boss", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in browser.session
    # It was the throttle: once the window has ended, the same log-in works.
    later = time.time() + settings.LOGIN_ACCOUNT_WINDOW.total_seconds()
    with mock.patch("people.auth.time.time", return_value=later):
        response = browser.post(
            "/admin/login/", {"username": "boss", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
        )
    assert "_auth_user_id" in browser.session


def test_default_limits_are_the_documented_ones(settings):
    assert settings.LOGIN_ACCOUNT_FAILURE_LIMIT == 20
    assert timedelta(minutes=15) == settings.LOGIN_ACCOUNT_WINDOW
    assert timedelta(days=180) == settings.LOGIN_DEVICE_COOKIE_AGE
