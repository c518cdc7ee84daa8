"""Validators for what authors write in the knowledge base."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from kb.rendering import render_markdown


def validate_body_shows_something(body: str) -> None:
    """A body must leave something to show once rendered and sanitised. One of only comments,
    scripts or other markup the sanitiser removes would store a revision with nothing to read
    (the revision refuses an empty `rendered_html`)."""
    if body.strip() and not render_markdown(body).html.strip():
        raise ValidationError(
            "The body has no text once unsafe markup is removed (comments, scripts, styles). "
            "Write something readers can see.",
            code="nothing_to_show",
        )
