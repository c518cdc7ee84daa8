"""Facet counts and totals from bitmaps equal a direct count over the documents, for random
readers, filters and queries, on a real Whoosh index: fresh, after incremental updates and
deletions, and after a swap-in rebuild."""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.sorting import Count, FieldFacet

from searchkit.query import Alternative, Clause, Filter, TextQuery

FACETS = ("type", "category", "tags", "teams")
VALUES = {
    "type": ["faq", "howto", "policy"],
    "category": ["billing", "refunds", "shipping", "login"],
    "tags": ["cards", "vat", "parcel", "sso", "gdpr"],
    "teams": ["1", "2", "3"],
}
PRINCIPALS = ["everyone", "team1", "team2", "team3", "user1", "user2", "role-editor"]
WORDS = ["alpha", "bravo", "delta", "echo", "kilo"]
HYPOTHESIS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

readers = st.sets(st.sampled_from(PRINCIPALS), min_size=1)
narrowing = st.lists(
    st.sampled_from(["type", "category", "tags", "teams"]).flatmap(
        lambda name: st.tuples(
            st.just(name), st.sets(st.sampled_from(VALUES[name]), min_size=1, max_size=2)
        )
    ),
    max_size=2,
)
required_words = st.lists(st.sampled_from(WORDS), max_size=2, unique=True)


def make_document(pk: int, rng: random.Random) -> dict:
    return {
        "pk": pk,
        "words": set(rng.sample(WORDS, rng.randint(1, 3))),
        "type": {rng.choice(VALUES["type"])},
        "category": set(rng.sample(VALUES["category"], rng.randint(1, 2))),
        "tags": set(rng.sample(VALUES["tags"], rng.randint(0, 3))),
        "teams": set(rng.sample(VALUES["teams"], rng.randint(0, 2))),
        "audience": set(rng.sample(PRINCIPALS, rng.randint(1, 2))),
    }


def whoosh_fields(doc: dict) -> dict:
    text = " ".join(sorted(doc["words"]))
    return {
        "id": f"tests.doc.{doc['pk']}",
        "django_ct": "tests.doc",
        "django_id": str(doc["pk"]),
        "text": text,
        "title": f"Document {doc['pk']}",
        "body": text,
        **{name: ",".join(sorted(doc[name])) for name in (*FACETS, "audience")},
    }


class Documents:
    """Prepares this test's document dicts the way a haystack index prepares rows."""

    def full_prepare(self, doc: dict) -> dict:
        return whoosh_fields(doc)


def _unseeded() -> None:
    # Hypothesis fixes the global `random` for each example, and Whoosh names new segments
    # from it: two examples would make two segments of one name in one index.
    random.seed(os.urandom(16))


def write(backend, docs, *, delete=()) -> None:
    """One commit through the engine's single writer (an incremental update)."""
    _unseeded()
    with backend.write_session() as session:
        for doc in docs:
            session.writer.update_document(**whoosh_fields(doc))
        for pk in delete:
            session.remove(f"tests.doc.{pk}")


def rebuild(backend, docs) -> None:
    """Fill a new index directory and swap it in (the engine's rebuild)."""
    _unseeded()
    with backend.building() as add:
        add(Documents(), docs)


def text_query(words) -> TextQuery | None:
    if not words:
        return None
    return TextQuery(tuple(Clause((Alternative(w),), required=True) for w in words))


def expected(corpus: dict, principals, filters, words) -> tuple[int, dict]:
    """The direct count: what the reader may find, matched and narrowed, value by value."""
    found = [
        doc
        for doc in corpus.values()
        if doc["audience"] & principals
        and all(doc[name] & values for name, values in filters)
        and set(words) <= doc["words"]
    ]
    facets = {}
    for name in FACETS:
        counts: dict[str, int] = {}
        for doc in found:
            for value in doc[name]:
                counts[value] = counts.get(value, 0) + 1
        facets[name] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return len(found), facets


def answer(backend, principals, filters, words):
    page = backend.query(
        text_query(words),
        filters=(
            Filter("audience", tuple(sorted(principals))),
            *(Filter(name, tuple(sorted(values))) for name, values in filters),
        ),
        facets=FACETS,
        sort=None,
        page=1,
        per_page=5,
        highlight=False,
    )
    # A reader who may find nothing gets no facets at all; the direct count lists them empty.
    return page.total, {name: page.facets.get(name, []) for name in FACETS}


@pytest.fixture
def corpus(search_index):
    rng = random.Random(17)
    docs = {pk: make_document(pk, rng) for pk in range(1, 121)}
    write(search_index, docs.values())
    return docs


@HYPOTHESIS
@given(principals=readers, filters=narrowing, words=required_words)
def test_counts_equal_a_direct_count_on_a_fresh_index(
    search_index, corpus, principals, filters, words
):
    assert answer(search_index, principals, filters, words) == expected(
        corpus, principals, filters, words
    )


@HYPOTHESIS
@given(
    seed=st.integers(0, 10**6),
    changes=st.integers(1, 6),
    deletions=st.lists(st.integers(1, 140), max_size=3),
    principals=readers,
    filters=narrowing,
    words=required_words,
)
def test_counts_stay_equal_to_a_direct_count_across_incremental_updates(
    search_index, corpus, seed, changes, deletions, principals, filters, words
):
    answer(search_index, principals, filters, words)  # bitmaps of this generation exist
    rng = random.Random(seed)
    # Distinct ids: Whoosh's update_document only replaces documents already committed.
    changed = [make_document(pk, rng) for pk in rng.sample(range(1, 141), changes)]
    # A writer's deletions reach only committed documents, so a document both changed and
    # deleted in one commit would stay; the pipeline never does both in one write session.
    deletions = [pk for pk in deletions if pk not in {doc["pk"] for doc in changed}]
    write(search_index, changed, delete=deletions)
    for doc in changed:
        corpus[doc["pk"]] = doc
    for pk in deletions:
        corpus.pop(pk, None)
    assert answer(search_index, principals, filters, words) == expected(
        corpus, principals, filters, words
    )


@HYPOTHESIS
@given(seed=st.integers(0, 10**6), principals=readers, filters=narrowing, words=required_words)
def test_counts_equal_a_direct_count_after_a_swap_in_rebuild(
    search_index, corpus, seed, principals, filters, words
):
    answer(search_index, principals, filters, words)
    rng = random.Random(seed)
    corpus.clear()
    corpus.update({pk: make_document(pk, rng) for pk in range(1, rng.randint(1, 90))})
    rebuild(search_index, corpus.values())
    assert answer(search_index, principals, filters, words) == expected(
        corpus, principals, filters, words
    )


@HYPOTHESIS
@given(principals=readers, filters=narrowing, words=st.lists(st.sampled_from(WORDS), min_size=2))
def test_ored_words_count_as_whoosh_own_facet_collector_counts(
    search_index, corpus, principals, filters, words
):
    """Optional words (ORed, with a bonus and the common-word rule): the bitmaps count what
    Whoosh's own facet collector counts for the same compiled query and filters."""
    text = TextQuery(tuple(Clause((Alternative(w),)) for w in words))
    backend = search_index
    searcher = backend._searcher()
    compiled = backend.compile(text, searcher)
    filters = (
        Filter("audience", tuple(sorted(principals))),
        *(Filter(name, tuple(sorted(values))) for name, values in filters),
    )
    allowed = backend._allowed(searcher, filters)
    page = backend.query(
        text, filters=filters, facets=FACETS, sort=None, page=1, per_page=5, highlight=False
    )
    results = searcher.search(
        compiled,
        limit=None,
        filter=allowed,
        groupedby={name: FieldFacet(name, allow_overlap=True, maptype=Count) for name in FACETS},
    )
    direct = {
        name: sorted(
            ((k.decode(), n) for k, n in results.groups(name).items() if k is not None),
            key=lambda item: (-item[1], item[0]),
        )
        for name in FACETS
    }
    if not allowed:  # Whoosh reads an empty filter as no filter; the engine finds nothing
        assert (page.total, page.facets) == (0, {})
    else:
        assert (page.total, page.facets) == (len(results), direct)


def test_a_page_past_the_end_answers_nothing_but_still_counts(search_index, corpus):
    page = search_index.query(
        None,
        filters=(Filter("audience", ("everyone",)),),
        facets=("type",),
        sort=None,
        page=999,
        per_page=10,
        highlight=False,
    )
    total, facets = expected(corpus, {"everyone"}, [], [])
    assert (page.hits, page.total, page.facets["type"]) == ((), total, facets["type"])


def test_the_shown_page_is_the_best_ranked_of_what_the_reader_may_find(search_index, corpus):
    page = search_index.query(
        text_query(["alpha"]),
        filters=(Filter("audience", ("team1",)),),
        facets=(),
        sort=None,
        page=1,
        per_page=100,
        highlight=True,
    )
    visible = {
        doc["pk"]
        for doc in corpus.values()
        if "team1" in doc["audience"] and "alpha" in doc["words"]
    }
    assert {hit.pk for hit in page.hits} == visible
    assert all("alpha</mark>" in hit.snippet for hit in page.hits)


def test_an_empty_index_counts_nothing(search_index):
    page = search_index.query(
        text_query(["alpha"]),
        filters=(Filter("audience", ("everyone",)),),
        facets=FACETS,
        sort=None,
        page=1,
        per_page=10,
        highlight=True,
    )
    assert (page.hits, page.total) == ((), 0)
