"""How a kudos message or a customer quote shows: plain text whose web addresses become links,
in paragraphs, then sanitised. No Markdown beyond that: a thank-you needs no headings, and
what a colleague typed must never become markup."""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

_TAGS = {"p", "br", "a"}
_ATTRIBUTES = {"a": {"href"}}


# A page shows the same messages again and again (the wall, a profile, my recognition); the
# result depends on the text alone.
@lru_cache(maxsize=4096)
def render_message(text: str) -> SafeString:
    """`text` as safe HTML: escaped, links made clickable (http, https, mailto), paragraphs."""
    html = linebreaks(urlize(text, trim_url_limit=60, nofollow=True, autoescape=True))
    return mark_safe(
        nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )
