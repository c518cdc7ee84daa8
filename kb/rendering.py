"""Markdown to safe HTML, once per revision (the result is stored, not recomputed per view)."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify

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
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Author ids are prefixed, as GitHub does, so an article cannot take the id of Huddle's own
# elements; heading anchors are made with the prefix, and in-page links follow it.
ID_PREFIX = "user-content-"
# The only class the renderer writes: a fenced block's language (```python). Any other class
# could dress an article up as Huddle's own buttons and banners.
CODE_LANGUAGE = re.compile(r"language-[\w+#.-]{1,40}")


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    text: str  # the words without markup, for the search index


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [c for c in value.split() if tag == "code" and CODE_LANGUAGE.fullmatch(c)]
        return " ".join(kept) or None
    if tag == "a" and name == "href" and value.startswith("#"):
        fragment = value[1:]
        return value if fragment.startswith(ID_PREFIX) else f"#{ID_PREFIX}{fragment}"
    return value


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute,
        id_prefix=ID_PREFIX,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def _heading_id(value: str, separator: str) -> str:
    return ID_PREFIX + slugify(value, separator)


def plain_text(html: str) -> str:
    """The text of sanitised HTML: tags dropped, entities decoded, whitespace collapsed."""
    text = html_lib.unescape(nh3.clean(html, tags=set(), attributes={}))
    return " ".join(text.split())


def render_markdown(text: str) -> Rendered:
    """Tables, fenced code, heading anchors and a table of contents; then sanitised."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc"],
        extension_configs={
            "toc": {"permalink": False, "toc_depth": "2-3", "slugify": _heading_id},
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
