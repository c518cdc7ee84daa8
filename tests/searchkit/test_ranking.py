"""The page's ranking is the exact ranking of the compiled query (every matching document
scored, best first), for random readers, words and pages, on a real Whoosh index, whether
the engine ranks the documents with every word alone (when no other could enter the page)
or the whole OR."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchkit.query import Alternative, Clause, Filter, TextQuery
from tests.searchkit.test_facet_bitmaps import PRINCIPALS, write

WORDS = ["refund", "card", "payment", "invoice", "parcel", "courier", "login", "locked"]
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def make_document(pk: int, rng: random.Random) -> dict:
    # Words repeated and bodies of different lengths, so BM25 scores spread; a third of the
    # titles name a word too (the title field weighs more).
    words = rng.sample(WORDS, rng.randint(1, 4))
    body = [rng.choice(words) for _ in range(rng.randint(1, 6))] + ["filler"] * rng.randint(0, 30)
    rng.shuffle(body)
    title = f"Document {pk} {words[0]}" if rng.random() < 0.3 else f"Document {pk}"
    return {
        "id": f"tests.doc.{pk}",
        "django_ct": "tests.doc",
        "django_id": str(pk),
        "text": " ".join(body),
        "title": title,
        "body": " ".join(body),
        "audience": ",".join(rng.sample(PRINCIPALS, rng.randint(1, 2))),
    }


@pytest.fixture
def ranked_index(search_index, monkeypatch):
    import tests.searchkit.test_facet_bitmaps as facets

    rng = random.Random(23)
    docs = [make_document(pk, rng) for pk in range(1, 401)]
    # The shared writer helper prepares facet test dicts; these are whole documents already.
    monkeypatch.setattr(facets, "whoosh_fields", lambda doc: doc)
    write(search_index, docs)
    return search_index


def optional(words) -> TextQuery:
    return TextQuery(tuple(Clause((Alternative(w),)) for w in words))


def engine_page(backend, text, principals, page, per_page):
    found = backend.query(
        text,
        filters=(Filter("audience", tuple(sorted(principals))),),
        facets=(),
        sort=None,
        page=page,
        per_page=per_page,
        highlight=False,
    )
    return [(hit.pk, round(hit.score, 6)) for hit in found.hits]


def exact_page(backend, text, principals, page, per_page):
    searcher = backend._searcher()
    allowed = backend._allowed(searcher, (Filter("audience", tuple(sorted(principals))),))
    every = searcher.search(backend.compile(text, searcher), limit=None, filter=allowed)
    start = (page - 1) * per_page
    return [(int(hit["django_id"]), round(hit.score, 6)) for hit in every[start : start + per_page]]


@HYPOTHESIS
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True),
    principals=st.sets(st.sampled_from(PRINCIPALS), min_size=1),
    page=st.integers(1, 3),
    per_page=st.sampled_from([5, 10]),
)
def test_the_page_is_the_exact_ranking_of_what_the_reader_may_find(
    ranked_index, words, principals, page, per_page
):
    text = optional(words)
    assert engine_page(ranked_index, text, principals, page, per_page) == exact_page(
        ranked_index, text, principals, page, per_page
    )


def test_documents_with_every_word_alone_are_ranked_when_no_other_could_enter(ranked_index):
    searcher = ranked_index._searcher()

    def every_word_ranking(words, limit):
        text = optional(words)
        required, rare, common = ranked_index._clauses(text, searcher)
        assert (required, common, len(rare)) == ([], [], len(words))
        return ranked_index._ranked_by_every_word(searcher, rare, text, limit, None)

    # The fifth document with both words scores above what one with a single word can reach.
    assert every_word_ranking(["refund", "payment"], 5) is not None
    # Here a document with one of the words (in its title, say) could still outrank it.
    assert every_word_ranking(["refund", "card"], 5) is None
    # More places than documents with both words: the whole OR ranks.
    assert every_word_ranking(["refund", "payment"], 400) is None
    for words in (["refund", "payment"], ["refund", "card"]):
        text = optional(words)
        assert engine_page(ranked_index, text, {"everyone"}, 1, 5) == exact_page(
            ranked_index, text, {"everyone"}, 1, 5
        )
