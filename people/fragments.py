"""Rendered HTML fragments kept in the cache under a digest of everything they show.

A fragment's key is a digest of all its inputs, so any change (an edit, a new reaction, a
renamed person, another "3 minutes ago") gives a new key and the old fragment is never read
again: nothing stale can show, and old fragments only need to expire. A fragment must show
nothing beyond its inputs, so one cached for one reader is right for every reader with the
same inputs. The one thing a fragment shows that differs per request, not per content, is the
CSRF token of its forms: it is rendered as a placeholder and put in after reading.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

# Keys change with the content, so old fragments are never read; they only need to expire.
FRAGMENT_TIMEOUT = 24 * 3600


def fragment_key(prefix: str, inputs: object) -> str:
    """The cache key of a fragment of kind `prefix` (with its template's version) showing
    `inputs`: a tuple of plain values and dataclasses, whose repr says all of it."""
    digest = hashlib.blake2b(repr(inputs).encode(), digest_size=16).hexdigest()
    return f"{prefix}:{digest}"


def cached_fragments(keys: Sequence[str], render: Callable[[int], str]) -> list[SafeString]:
    """The fragment under each key (one cache read), `render(i)` for each one missing (then one
    write). `render` returns HTML built by a template, escaped there."""
    found = cache.get_many(keys) if keys else {}
    missing = {}
    html = []
    for i, key in enumerate(keys):
        fragment = found.get(key)
        if fragment is None:
            fragment = missing[key] = render(i)
        html.append(mark_safe(fragment))
    if missing:
        cache.set_many(missing, FRAGMENT_TIMEOUT)
    return html


def csrf_placeholder() -> str:
    """What a cached fragment holds where its forms' CSRF token goes: the same in every process
    sharing the cache, and not guessable, so no text a user writes can be taken for it."""
    return "csrf-" + salted_hmac("people.fragments.csrf", "placeholder").hexdigest()


def with_csrf(html: str, token: object) -> SafeString:
    """`html` (a fragment read from the cache) with this request's CSRF token put in."""
    return mark_safe(html.replace(csrf_placeholder(), str(token or "")))
