"""What the search app adds to the people directory's search (`people.hooks`): the editors'
synonym groups, so a search for "2fa" also finds people skilled in "two-factor
authentication" when a group says they mean the same."""

from __future__ import annotations

from people.hooks import query_expander
from search.query import synonyms_of


@query_expander("search.synonyms")
def synonyms(text: str) -> tuple[str, ...]:
    return synonyms_of(text)
