"""Markdown to safe HTML, once per revision (the result is stored, not recomputed per view)."""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass

import markdown
import nh3

# What article bodies may contain after rendering. Anything else (scripts, event handlers,
# styles, iframes, SVG, javascript: URLs) is removed by nh3, whatever the Markdown produced.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
    "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    text: str  # the words without markup, for the search index


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """The text of sanitised HTML: tags dropped, entities decoded, whitespace collapsed."""
    text = html_lib.unescape(nh3.clean(html, tags=set(), attributes={}))
    return " ".join(text.split())


def render_markdown(text: str) -> Rendered:
    """Tables, fenced code, heading anchors and a table of contents; then sanitised."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc"],
        extension_configs={
            "toc": {"permalink": False, "toc_depth": "2-3"},
            # align="…" survives sanitising; the default style="text-align…" would not.
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    html = md.convert(text)
    html = clean_html(html)
    return Rendered(
        html=html, toc_html=clean_html(md.toc) if md.toc_tokens else "", text=plain_text(html)
    )
