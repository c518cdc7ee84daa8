"""Reading pages as a person sees them: result titles in order, filter values with their
counts, related articles, autocomplete suggestions, the spelling correction shown.

Pages are read with the standard library's HTML parser into a small element tree (`parse`),
never with regular expressions, so markup details (attribute order, whitespace, entities)
do not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
# Elements whose end tag may be left out, closed by the start of a sibling of the same kind.
SELF_CLOSING_SIBLINGS = {"li": {"li"}, "p": {"p"}, "tr": {"tr"}, "td": {"td", "th"}}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def matches(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> bool:
        if tag is not None and self.tag != tag:
            return False
        if class_ is not None and class_ not in self.classes:
            return False
        return all(self.attrs.get(name.replace("_", "-")) == v for name, v in attrs.items())

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list:
        """Elements inside this one (not itself) matching a tag, a class and attributes
        (`aria_label="x"` means `aria-label="x"`)."""
        return [e for e in self.iter() if e is not self and e.matches(tag, class_, **attrs)]

    def find(self, tag: str | None = None, class_: str | None = None, **attrs) -> Element | None:
        return next(iter(self.find_all(tag, class_, **attrs)), None)

    def text(self, *, skip: Callable[[Element], bool] = lambda e: False) -> str:
        """The text inside, whitespace collapsed; `skip` leaves out some elements' text."""
        return " ".join("".join(self._texts(skip)).split())

    def own_text(self) -> str:
        """The text directly inside this element, not inside its child elements."""
        return " ".join("".join(c for c in self.children if isinstance(c, str)).split())

    def _texts(self, skip) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            elif not skip(child):
                yield from child._texts(skip)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.open = self.root

    def handle_starttag(self, tag, attrs):
        closes = SELF_CLOSING_SIBLINGS.get(tag)
        if closes and self.open.tag in closes:
            self.open = self.open.parent
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self.open)
        self.open.children.append(element)
        if tag not in VOID:
            self.open = element

    def handle_startendtag(self, tag, attrs):
        self.open.children.append(
            Element(tag, {name: value or "" for name, value in attrs}, parent=self.open)
        )

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        element = self.open
        while element is not self.root and element.tag != tag:
            element = element.parent
        if element is not self.root:  # a stray end tag is ignored, as browsers do
            self.open = element.parent

    def handle_data(self, data):
        self.open.children.append(data)


def parse(response_or_html) -> Element:
    """The page (a test client response, or HTML text) as an element tree."""
    html = response_or_html
    if not isinstance(html, str):
        html = response_or_html.content.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def page_text(response) -> str:
    """All the text of the page, as one line (entities decoded, markup gone)."""
    return parse(response).text()


def _hidden(element: Element) -> bool:
    return "visually-hidden" in element.classes


# --- the search page -------------------------------------------------------------------------


def _result_title_links(response) -> list[Element]:
    results = parse(response).find("ol", class_="results")
    if results is None:
        return []
    return [
        link
        for title in results.find_all("h3", class_="result-title")
        if (link := title.find("a")) is not None
    ]


def result_titles(response) -> list[str]:
    """The result titles of a search page, in rank order."""
    return [link.text() for link in _result_title_links(response)]


def result_links(response) -> list[str]:
    """The addresses the result titles link to, in rank order."""
    return [link.attrs.get("href", "") for link in _result_title_links(response)]


def result_snippets(response) -> list[Element]:
    """The snippet paragraph of each result, in rank order."""
    results = parse(response).find("ol", class_="results")
    return [] if results is None else results.find_all("p", class_="snippet")


def first_rank(response) -> int | None:
    """The rank the result list starts counting from (`<ol start>`)."""
    results = parse(response).find("ol", class_="results")
    return int(results.attrs.get("start", "1")) if results is not None else None


def heading(response) -> str:
    """The results heading: "3 results for “refund”"."""
    found = parse(response).find("h2", id="results-heading")
    assert found is not None, "the page has no results heading"
    return found.text()


def input_errors(response) -> list[str]:
    """The messages about the parts of a search that could not be used."""
    alert = parse(response).find("div", class_="alert", role="alert")
    return [] if alert is None else [item.text() for item in alert.find_all("li")]


def pagination(response) -> str:
    """The pages line, "Page 2 of 2", or "" when there is one page."""
    nav = parse(response).find("nav", class_="pagination")
    return "" if nav is None else nav.find("span").text()


def corrected(response) -> str | None:
    """The corrected query whose results are shown ("Showing results for X"), if any."""
    notice = _correction_notice(response)
    if notice is None:
        return None
    return notice.find("strong").text()


def search_instead_link(response) -> str | None:
    """The "Search instead for <what was typed>" link of a corrected search, if any."""
    notice = _correction_notice(response)
    return None if notice is None else notice.find("a").attrs.get("href")


def _correction_notice(response) -> Element | None:
    notice = parse(response).find("p", class_="did-you-mean")
    if notice is None or not notice.text().startswith("Showing results for"):
        return None
    return notice


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetOption:
    label: str
    count: int | None  # None for fixed choices ("Updated") and the "Any ..." link
    url: str | None  # None for the active value, which is not a link
    active: bool


def facets(response) -> dict[str, list[FacetOption]]:
    """{filter title: its options, in order}, including the "Any <title>" link that clears
    an active filter."""
    aside = parse(response).find("aside", class_="facets")
    if aside is None:
        return {}
    found = {}
    for title in aside.find_all("h3"):
        items = _next_element(title)
        assert items is not None, f"no values after {title.text()}"
        assert items.tag == "ul", f"no values after {title.text()}"
        found[title.text()] = [_facet_option(item) for item in items.find_all("li")]
    return found


def _next_element(element: Element) -> Element | None:
    siblings = [c for c in element.parent.children if isinstance(c, Element)]
    position = siblings.index(element)
    return siblings[position + 1] if position + 1 < len(siblings) else None


def _facet_option(item: Element) -> FacetOption:
    link, active = item.find("a"), item.find("strong", aria_current="true")
    value = active if active is not None else link
    count = item.find("span", class_="count")
    return FacetOption(
        label=value.text(),
        count=int(count.text()) if count is not None else None,
        url=link.attrs.get("href") if active is None else None,
        active=active is not None,
    )


def facet_counts(response) -> dict[str, dict[str, int]]:
    """{filter title: {value label: count}} as shown beside each filter value."""
    return {
        title: {o.label: o.count for o in options if o.count is not None}
        for title, options in facets(response).items()
    }


def facets_text(response) -> str:
    """Everything the filters show or link to: labels, counts and link addresses."""
    aside = parse(response).find("aside", class_="facets")
    if aside is None:
        return ""
    hrefs = [e.attrs["href"] for e in aside.find_all("a") if "href" in e.attrs]
    return " ".join([aside.text(), *hrefs])


# --- other pages -----------------------------------------------------------------------------


def related_titles(response) -> list[str]:
    """The "Related articles" box of an article page."""
    for box_heading in parse(response).find_all("h2"):
        if box_heading.text() == "Related articles":
            return [link.text() for link in box_heading.parent.find_all("a")]
    return []


def suggestion_titles(response) -> list[str]:
    """The article titles offered by autocomplete (not the "Search for ..." option)."""
    return [
        option.own_text()
        for option in parse(response).find_all("li", role="option")
        if option.attrs.get("id") != "suggestion-all"
    ]


def active_period(response) -> str | None:
    """The period the insights page shows ("30 days")."""
    nav = parse(response).find("nav", aria_label="Period")
    active = None if nav is None else nav.find("strong", aria_current="true")
    return None if active is None else active.text()


def insight_rows(response, section: str) -> dict[str, tuple[str, str, str, str]]:
    """{query: (searches, people, opened, trend as seen)} of one section of the insights page
    ("top", "zero" or "unopened")."""
    block = parse(response).find("section", aria_labelledby=f"insights-{section}")
    assert block is not None, f"no {section} section"
    rows = {}
    for cells in table_rows(block):
        query = cells[0].find("a").text()
        rows[query] = (cells[1].text(), cells[2].text(), cells[3].text(), visible_text(cells[4]))
    return rows


def links(response) -> list[tuple[str, str]]:
    """(text, address) of every link on the page, in order."""
    return [(a.text(), a.attrs["href"]) for a in parse(response).find_all("a") if "href" in a.attrs]


def table_rows(section: Element) -> list[list[Element]]:
    """The body rows of the tables in `section`, each a list of its cells."""
    return [
        row.find_all("td")
        for body in section.find_all("tbody")
        for row in body.find_all("tr")
        if row.find("td") is not None
    ]


def visible_text(element: Element) -> str:
    """The text a sighted reader sees (no visually-hidden text)."""
    return element.text(skip=_hidden)
