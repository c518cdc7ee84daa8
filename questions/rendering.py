"""Question and answer bodies through the knowledge base's Markdown renderer and sanitiser, so
a question reads (and is as safe) as an article does."""

from __future__ import annotations

from kb.rendering import render_markdown


def body_html(text: str) -> str:
    return render_markdown(text).html if text.strip() else ""


def body_text(text: str) -> str:
    """The words without markup, for the search index."""
    return render_markdown(text).text if text.strip() else ""
