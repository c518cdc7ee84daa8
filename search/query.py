"""From what a person typed to a `searchkit.query.TextQuery`.

- "Quoted phrases" must match; other words are optional, ORed with a bonus for documents
  that have them all, so a question ("how do I refund a customer") still finds what matches
  most of it, best first. Question words (how, do, I…) are dropped.
- What was typed weighs most; synonyms (editors' groups) weigh less, so "refund" ranks the
  refund articles above the chargeback article that the group also finds.
- Compounds: two typed words that the index knows joined ("charge back" → chargeback, "log
  in" → login) match as the phrase or the joined word; a typed word the index does not know
  but whose two halves it knows ("livechat") also matches as the two words.

Words are compared through the engine's own analyzer (`searchkit.query.analyze`), so this
module knows no engine. Query syntax typed by a user (`AND`, `*`, `(`, `:`) is just text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache

from search.models import Synonym, normalize_query
from searchkit import query as engine
from searchkit.query import Alternative, Clause, TextQuery

PHRASE = re.compile(r'"([^"]+)"')
WORD = re.compile(r"\w[\w'.-]*\w|\w")
MAX_TERMS = 12  # longer questions keep their first twelve words
SYNONYMS_CACHE_KEY = "search:synonyms"
PLAIN_SYNONYMS_CACHE_KEY = "search:synonyms:plain"
SYNONYM_WEIGHT = 0.35
TITLE_WEIGHT = 2.0
# Words that make a question a question but say nothing about the problem (the engine drops
# the usual stop words: a, the, to, is...).
QUESTION_WORDS = frozenset(
    [
        "how",
        "do",
        "does",
        "did",
        "i",
        "im",
        "i'm",
        "what",
        "whats",
        "what's",
        "why",
        "where",
        "who",
        "which",
        "whom",
        "whose",
        "should",
        "would",
        "could",
        "shall",
        "must",
        "my",
        "me",
        "mine",
        "our",
        "ours",
        "their",
        "theirs",
        "they",
        "them",
        "there",
        "here",
        "please",
        "hi",
        "hello",
        "help",
        "does",
        "doesnt",
        "don't",
        "dont",
    ]
)


@dataclass(frozen=True)
class ParsedQuery:
    phrases: tuple[str, ...]
    words: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.phrases or self.words)


def parse(text: str) -> ParsedQuery:
    text = text.lower()
    phrases = tuple(p.strip() for p in PHRASE.findall(text) if WORD.search(p))
    rest = PHRASE.sub(" ", text).replace('"', " ")
    words = [w for w in dict.fromkeys(WORD.findall(rest)) if w not in QUESTION_WORDS]
    if not words and not phrases:  # a query of question words only: keep them
        words = list(dict.fromkeys(WORD.findall(rest)))
    return ParsedQuery(phrases=phrases[:MAX_TERMS], words=tuple(words[: MAX_TERMS - len(phrases)]))


def correct(text: str) -> str | None:
    """`text` with each searched word the index does not know replaced by its likeliest
    spelling (question words and quoted phrases are left alone); None when nothing changes."""
    parsed = parse(text)
    if parsed.phrases:
        return None
    searched = set(parsed.words)
    corrected = [
        (engine.spelling(word) or word) if word.lower() in searched else word
        for word in WORD.findall(text)
    ]
    joined = " ".join(corrected)
    return joined if joined.lower() != " ".join(WORD.findall(text)).lower() else None


def _key(term: str) -> str:
    """Synonyms match on index terms, so "refunds" finds the group that lists "refund"."""
    return " ".join(engine.analyze(term))


def synonym_groups() -> dict[str, tuple[str, ...]]:
    """Analysed term -> every term of its group(s); cached until an editor changes a group."""
    groups = cache.get(SYNONYMS_CACHE_KEY)
    if groups is None:
        groups = {}
        for synonym in Synonym.objects.all():
            terms = synonym.term_list
            for term in terms:
                key = _key(term)
                if key:
                    groups[key] = tuple(dict.fromkeys((*groups.get(key, ()), *terms)))
        cache.set(SYNONYMS_CACHE_KEY, groups, timeout=None)
    return groups


def synonyms_of(text: str) -> tuple[str, ...]:
    """The other terms of every group that lists `text` as one of its terms (compared as
    typed, lower case and single spaces: no search engine involved, so any page may ask);
    cached until an editor changes a group."""
    groups = cache.get(PLAIN_SYNONYMS_CACHE_KEY)
    if groups is None:
        groups = {}
        for synonym in Synonym.objects.all():
            terms = synonym.term_list
            for term in terms:
                groups[term] = tuple(dict.fromkeys((*groups.get(term, ()), *terms)))
        cache.set(PLAIN_SYNONYMS_CACHE_KEY, groups, timeout=None)
    typed = normalize_query(text)
    return tuple(term for term in groups.get(typed, ()) if term != typed)


def forget_synonyms() -> None:
    cache.delete_many([SYNONYMS_CACHE_KEY, PLAIN_SYNONYMS_CACHE_KEY])


def _clause(forms: list[str], groups: dict, *, required: bool = False) -> Clause:
    """The typed forms of one term (weight 1) and their synonyms (weighing less)."""
    alternatives = {form: 1.0 for form in forms}
    for form in forms:
        for synonym in groups.get(_key(form), ()):
            alternatives.setdefault(synonym, SYNONYM_WEIGHT)
    return Clause(
        tuple(Alternative(text, weight) for text, weight in alternatives.items()), required
    )


def _split(word: str) -> str | None:
    """ "livechat" -> "live chat" when the index knows both halves but not the word."""
    if len(word) < 6 or not word.isalpha() or engine.knows(word):
        return None
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if engine.knows(head) and engine.knows(tail):
            return f"{head} {tail}"
    return None


def _word_clauses(words: tuple[str, ...], groups: dict, required: bool) -> list[Clause]:
    clauses, i = [], 0
    while i < len(words):
        word = words[i]
        if i + 1 < len(words):
            pair, joined = f"{word} {words[i + 1]}", word + words[i + 1]
            joined_known = joined.isalpha() and engine.knows(joined)
            if joined_known or _key(pair) in groups:
                forms = [pair, joined] if joined_known else [pair]
                clauses.append(_clause(forms, groups, required=required))
                i += 2
                continue
        split = _split(word)
        clauses.append(_clause([word, split] if split else [word], groups, required=required))
        i += 1
    return clauses


def build(parsed: ParsedQuery, *, match_all: bool = False) -> TextQuery | None:
    """Phrases must match; words too with `match_all` (sorting by date or votes, where a
    loose match would bury the answer), else they rank by how many match."""
    if parsed.is_empty:
        return None
    groups = synonym_groups()
    clauses = [_clause([phrase], groups, required=True) for phrase in parsed.phrases]
    clauses += _word_clauses(parsed.words, groups, required=match_all)
    return TextQuery(clauses=tuple(clauses), title_weight=TITLE_WEIGHT)
