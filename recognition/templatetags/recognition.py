"""Template filters shared by recognition's pages: `{% load recognition %}`."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from recognition.rendering import render_message

register = template.Library()


@register.filter
def kudos_text(text: str) -> SafeString:
    """A kudos message, comment-free quote or praise as safe HTML: escaped, links clickable,
    in paragraphs (`recognition.rendering.render_message`)."""
    return render_message(text or "")
