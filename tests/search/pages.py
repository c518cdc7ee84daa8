"""Reading pages as a person sees them: result titles in order, filter values with their
counts, related articles, autocomplete suggestions."""

from __future__ import annotations

import re


def _html(response) -> str:
    return response.content.decode()


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[-1].split(end, 1)[0] if start in html else ""


def result_titles(response) -> list[str]:
    """The result titles of a search page, in rank order."""
    results = _between(_html(response), '<ol class="results"', "</ol>")
    return re.findall(r'<h3 class="result-title"><a href="[^"]*">([^<]*)</a>', results)


def result_links(response) -> list[str]:
    results = _between(_html(response), '<ol class="results"', "</ol>")
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'<h3 class="result-title"><a href="([^"]*)">', results)
    ]


def heading(response) -> str:
    """The results heading: "3 results for “refund”"."""
    return re.search(r'<h2 id="results-heading"[^>]*>([^<]*)</h2>', _html(response)).group(1)


def facets_html(response) -> str:
    return _between(_html(response), '<aside class="card facets"', "</aside>")


def facet_counts(response) -> dict[str, dict[str, int]]:
    """{filter title: {value label: count}} as shown beside each filter value."""
    facets = {}
    for block in facets_html(response).split("<h3>")[1:]:
        title, options = block.split("</h3>", 1)
        found = re.findall(
            r'>([^<>]+)</(?:a|strong)> <span class="count" aria-label="[^"]*">(\d+)</span>',
            options,
        )
        facets[title] = {label: int(count) for label, count in found}
    return facets


def related_titles(response) -> list[str]:
    block = _between(_html(response), "<h2>Related articles</h2>", "</ul>")
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', block)


def suggestion_titles(response) -> list[str]:
    """The article titles offered by autocomplete (not the "Search for ..." option)."""
    options = re.findall(
        r'<li role="option" id="suggestion-\d+"[^>]*>(?:<a [^>]*>)?([^<]*?)\s*(?:</a>|<span)',
        _html(response),
    )
    return options


def did_you_mean(response) -> str | None:
    """The suggested spelling offered on the page, if any."""
    found = re.search(r'Did you mean <a href="[^"]*"><strong>([^<]*)</strong>', _html(response))
    return found.group(1) if found else None
