"""From what a person typed to a haystack query: words, "phrases", synonyms, title boost.

Only haystack's query API is used (`SQ`, `Clean`, `Exact`), so the same query runs on Whoosh
and on Elasticsearch. Query syntax typed by a user (`AND`, `*`, `(`, `:`) is treated as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache
from haystack.inputs import Clean, Exact
from haystack.query import SQ
from whoosh.lang.porter import stem

from search.models import Synonym

PHRASE = re.compile(r'"([^"]+)"')
WORD = re.compile(r"\w[\w'.-]*\w|\w")
MAX_TERMS = 12  # longer questions keep their first twelve words
SYNONYMS_CACHE_KEY = "search:synonyms"


@dataclass(frozen=True)
class ParsedQuery:
    phrases: tuple[str, ...]
    words: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.phrases or self.words)

    @property
    def terms(self) -> tuple[str, ...]:
        return self.phrases + self.words


def parse(text: str) -> ParsedQuery:
    text = text.lower()
    phrases = tuple(p.strip() for p in PHRASE.findall(text) if WORD.search(p))
    rest = PHRASE.sub(" ", text).replace('"', " ")
    words = tuple(dict.fromkeys(WORD.findall(rest)))
    return ParsedQuery(phrases=phrases[:MAX_TERMS], words=words[: MAX_TERMS - len(phrases)])


def _key(term: str) -> str:
    """Synonyms match on stems, so "refunds" finds the group that lists "refund"."""
    return " ".join(stem(word) for word in term.split())


def synonym_groups() -> dict[str, tuple[str, ...]]:
    """Stemmed term -> every term of its group(s); cached until an editor changes a group."""
    groups = cache.get(SYNONYMS_CACHE_KEY)
    if groups is None:
        groups = {}
        for synonym in Synonym.objects.all():
            terms = synonym.term_list
            for term in terms:
                groups[_key(term)] = tuple(dict.fromkeys((*groups.get(_key(term), ()), *terms)))
        cache.set(SYNONYMS_CACHE_KEY, groups, timeout=None)
    return groups


def forget_synonyms() -> None:
    cache.delete(SYNONYMS_CACHE_KEY)


def _value(term: str):
    return Exact(term) if " " in term else Clean(term)


def _term_clause(term: str, groups: dict) -> SQ:
    """The term or any synonym, in the body or (boosted) in the title."""
    clause = None
    for alternative in groups.get(_key(term), (term,)):
        value = _value(alternative)
        part = SQ(content=value) | SQ(title=value)
        clause = part if clause is None else clause | part
    return clause


def build(parsed: ParsedQuery, *, match_all_words: bool = True) -> SQ | None:
    """Every word (or any, for the fallback) must match; phrases always must."""
    if parsed.is_empty:
        return None
    groups = synonym_groups()
    query = None
    for phrase in parsed.phrases:
        clause = _term_clause(phrase, groups)
        query = clause if query is None else query & clause
    words = None
    for word in parsed.words:
        clause = _term_clause(word, groups)
        if words is None:
            words = clause
        elif match_all_words:
            words = words & clause
        else:
            words = words | clause
    if words is not None:
        query = words if query is None else query & words
    return query
