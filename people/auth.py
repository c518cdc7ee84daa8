"""Log-in defences around django-axes: the client address behind proxies, and a per-account
throttle for guesses spread over many addresses that spares browsers with a device cookie.

- `client_ip` is axes' AXES_CLIENT_IP_CALLABLE: the address the (username, address) lockout
  is keyed on.
- A browser that logs in to an account gets a signed *device cookie* for it (OWASP, "Slow Down
  Online Guessing Attacks with Device Cookies"). Failed log-ins from browsers without one count
  per account in fixed windows of LOGIN_ACCOUNT_WINDOW; past LOGIN_ACCOUNT_FAILURE_LIMIT, such
  browsers are refused for that account until the window ends, without a password check (the
  log-in view answers 429 with Retry-After; the `AccountThrottle` backend covers every other
  log-in form). Browsers with the cookie are never refused by it, so an attacker cannot lock
  the owner out of the browsers they use; they still face the (username, address) lockout.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

DEVICE_COOKIE_SALT = "people.auth.device-cookie"
LOCKED_OUT_TEMPLATE = "registration/locked_out.html"


# --- The client address ----------------------------------------------------------------------


def _parse_ip(value: str) -> str | None:
    """The address in one X-Forwarded-For entry or REMOTE_ADDR, normalised; None if it is not
    one. Accepts the spellings proxies use: `2001:db8::1`, `[2001:db8::1]:443`, `1.2.3.4:80`."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    if "%" in value:  # an IPv6 zone ("fe80::1%eth0") is local to the proxy, not a client
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the right-most address that no trusted proxy added.

    With N = TRUSTED_PROXY_COUNT proxies in front of Huddle, REMOTE_ADDR is the nearest one and
    the other N - 1 each appended the address they saw to X-Forwarded-For, so the last N - 1
    entries are proxies and the entry just left of them is what the outermost proxy saw: the
    client. Entries further left were sent by the client and are never read. A header shorter
    than N (the request skipped an outer proxy) gives its left-most entry; no header, or an entry
    that is not an address, gives REMOTE_ADDR: the lock then falls on the proxy's address,
    never on "no address", which every client would share.
    """
    remote = _parse_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not header:
        return remote
    entries = header.rsplit(",", proxies)  # only the right-most entries are ever looked at
    return _parse_ip(entries[max(len(entries) - proxies, 0)]) or remote


# --- Device cookies --------------------------------------------------------------------------


def _account_key(username: str) -> str:
    return hashlib.sha256(username.casefold().encode(errors="replace")).hexdigest()


def device_cookie_name(username: str) -> str:
    """One cookie per account, so browsers shared by several colleagues trust each of them."""
    return f"device_{_account_key(username)[:16]}"


def has_device_cookie(request: HttpRequest, username: str) -> bool:
    """Whether this browser logged in to `username` within LOGIN_DEVICE_COOKIE_AGE."""
    value = request.get_signed_cookie(
        device_cookie_name(username),
        default=None,
        salt=DEVICE_COOKIE_SALT,
        max_age=settings.LOGIN_DEVICE_COOKIE_AGE,
    )
    return value is not None and value == _account_key(username)


def set_device_cookie(response: HttpResponse, username: str) -> None:
    response.set_signed_cookie(
        device_cookie_name(username),
        _account_key(username),  # ASCII, whatever the username's letters
        salt=DEVICE_COOKIE_SALT,
        max_age=int(settings.LOGIN_DEVICE_COOKIE_AGE.total_seconds()),
        path=reverse("login"),  # sent to the log-in page only
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- The per-account throttle ----------------------------------------------------------------


def _window(username: str) -> tuple[str, int]:
    """The cache key counting this account's failures in the current fixed window, and the
    seconds until that window ends."""
    length = max(1, int(settings.LOGIN_ACCOUNT_WINDOW.total_seconds()))
    now = time.time()
    start = int(now // length) * length
    return f"login-failures:{_account_key(username)}:{start}", math.ceil(start + length - now)


def account_retry_after(request: HttpRequest, username: str) -> int:
    """Seconds this log-in attempt must wait because its account is throttled and the browser
    has no device cookie for it; 0 to go ahead."""
    if not username or has_device_cookie(request, username):
        return 0
    key, remaining = _window(username)
    failures = cache.get(key, 0)
    return remaining if failures >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT else 0


def account_failure_record(username: str) -> None:
    key, remaining = _window(username)
    # add + incr are each atomic on Redis, so concurrent guesses are all counted.
    if not cache.add(key, 1, timeout=remaining + 1):
        try:
            cache.incr(key)
        except ValueError:  # the window ended between the two calls
            cache.add(key, 1, timeout=remaining + 1)


def _username(username: str | None, kwargs: dict) -> str:
    if username is None:
        username = kwargs.get(get_user_model().USERNAME_FIELD)
    return username if isinstance(username, str) else ""


class AccountThrottle:
    """Authentication backend, listed after axes' and before the one that checks passwords:
    refuses a throttled account's log-ins from browsers without its device cookie. Every log-in
    form (ours, the admin's) goes through `authenticate`, so none of them is a way around it.
    No `get_user`: it never logs anybody in (and force_login skips it)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        retry_after = account_retry_after(request, _username(username, kwargs))
        if retry_after:
            request.account_throttled_for = retry_after
            raise PermissionDenied
        return None


@receiver(user_login_failed, dispatch_uid="people.auth.count_untrusted_failure")
def count_untrusted_failure(sender, credentials, request=None, **kwargs):
    username = _username(credentials.get("username"), credentials)
    if request is None or not username or getattr(request, "account_throttled_for", 0):
        return  # refused without checking the password: not a guess
    if not has_device_cookie(request, username):
        account_failure_record(username)


# --- Responses -------------------------------------------------------------------------------


def _refusal(request: HttpRequest, seconds: int, reason: str) -> HttpResponse:
    context = {"reason": reason, "minutes": max(1, math.ceil(seconds / 60))}
    response = render(request, LOCKED_OUT_TEMPLATE, context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def account_throttled_response(request: HttpRequest, seconds: int) -> HttpResponse:
    return _refusal(request, seconds, reason="account")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: the (username, address) lockout page, with Retry-After."""
    return _refusal(request, int(settings.AXES_COOLOFF_TIME.total_seconds()), reason="address")
