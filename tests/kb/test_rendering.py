"""Markdown becomes safe HTML: the useful parts survive, anything that could run script does not."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from kb.rendering import clean_html, render_markdown

ARTICLE = """\
# Refunds

## Before you start

Check the order.

### Partial refunds

| Item | Amount |
|------|-------:|
| Fee  | 5.00   |

```python
print("<b>not bold</b>")
```

See [the policy](https://example.com/policy).
"""


class _Attributes(HTMLParser):
    """Collects every (tag, attribute, value) of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def _attributes(fragment: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(fragment)
    parser.close()
    return parser.found


def test_tables_survive():
    out = render_markdown(ARTICLE).html

    assert "<table>" in out
    assert "<th>Item</th>" in out
    assert "<td>Fee</td>" in out


def test_table_column_alignment_survives():
    out = render_markdown(ARTICLE).html

    assert re.search(r'<td[^>]*align="right"', out)


def test_fenced_code_is_kept_with_its_language_and_escaped():
    out = render_markdown(ARTICLE).html

    assert '<pre><code class="language-python">' in out
    assert "&lt;b&gt;not bold&lt;/b&gt;" in out
    assert "<b>" not in out


def test_headings_get_prefixed_ids_and_a_table_of_contents_that_follows_them():
    rendered = render_markdown(ARTICLE)

    assert '<h2 id="user-content-before-you-start">Before you start</h2>' in rendered.html
    assert '<h3 id="user-content-partial-refunds">Partial refunds</h3>' in rendered.html
    assert 'href="#user-content-before-you-start"' in rendered.toc_html
    assert 'href="#user-content-partial-refunds"' in rendered.toc_html
    # The article title (h1) is not a table-of-contents entry.
    assert 'href="#user-content-refunds"' not in rendered.toc_html


def test_author_html_cannot_take_huddles_ids_or_classes():
    out = render_markdown(
        '<div class="banner warn" id="unread-badge">Your session expired</div>\n\n'
        '<span class="button">Log in again</span> <code class="language-sql pill">x</code>\n\n'
        "[Jump](#steps)"
    ).html

    assert 'id="user-content-unread-badge"' in out
    assert 'id="unread-badge"' not in out
    assert "banner" not in out
    assert "button" not in out
    assert "pill" not in out
    assert '<code class="language-sql">' in out  # the renderer's own class survives
    assert 'href="#user-content-steps"' in out  # in-page links follow the prefix


@pytest.mark.parametrize("text", ["Just a paragraph.", "# Only a title\n\nText."])
def test_there_is_no_table_of_contents_without_h2_or_h3(text):
    assert render_markdown(text).toc_html == ""


def test_links_get_rel_noopener_noreferrer():
    out = render_markdown(ARTICLE).html

    assert '<a href="https://example.com/policy" rel="noopener noreferrer">the policy</a>' in out
    assert 'rel="noopener noreferrer"' in clean_html('<a href="https://example.com">x</a>')


def test_safe_images_and_mailto_links_survive():
    out = render_markdown("![Logo](https://example.com/logo.png) [mail](mailto:help@example.com)")

    assert ("img", "src", "https://example.com/logo.png") in _attributes(out.html)
    assert 'href="mailto:help@example.com"' in out.html


XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body { display: none }</style>",
    '<object data="https://evil.example/x.swf"></object>',
    '<p onclick="alert(1)">hi</p>',
    '<a href="https://example.com" onmouseover="alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<div><img src=x onerror=alert(1)",
    '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[x](&#106;avascript:alert(1))",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="https://evil.example"><button>Go</button></form>',
]


def _assert_harmless(out: str) -> None:
    lowered = out.lower()
    for tag in ("<script", "<svg", "<iframe", "<style", "<object", "<meta", "<form"):
        assert tag not in lowered
    assert not re.search(r"\son\w+\s*=", out, re.IGNORECASE)
    unescaped = html.unescape(out).lower()
    assert "javascript:" not in unescaped
    assert "data:text/html" not in unescaped
    for _tag, name, value in _attributes(out):
        assert not name.lower().startswith("on")
        assert name != "style"
        if name in ("href", "src"):
            assert re.match(r"(https?:|mailto:|tel:|#|[\w./-]*$)", value.strip(), re.IGNORECASE)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_are_neutralised_in_markdown(vector):
    rendered = render_markdown(f"Intro\n\n{vector}\n\n## After\n\nText")

    _assert_harmless(rendered.html)
    _assert_harmless(rendered.toc_html)


@pytest.mark.parametrize("vector", [v for v in XSS_VECTORS if v.startswith("<")])
def test_raw_html_vectors_are_neutralised_by_clean_html(vector):
    _assert_harmless(clean_html(vector))


@pytest.mark.parametrize(
    "heading",
    ["## <img src=x onerror=alert(1)> Title", "## [x](javascript:alert(1))"],
)
def test_headings_cannot_smuggle_script_into_the_table_of_contents(heading):
    rendered = render_markdown(f"{heading}\n\n### Sub")

    _assert_harmless(rendered.html)
    _assert_harmless(rendered.toc_html)
