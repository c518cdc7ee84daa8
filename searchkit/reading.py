"""How the Whoosh engine reads: searchkit's query shapes compiled to Whoosh queries, run on
a cached per-thread searcher with cached filters, totals and facets from per-segment
bitmaps (`searchkit.bitmaps`), snippets, spelling, more-like-this and title completion.
Mixed into `HuddleWhooshBackend`."""

from __future__ import annotations

import re
from collections import OrderedDict

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from whoosh import highlight as whoosh_highlight
from whoosh import query as wq
from whoosh.index import EmptyIndexError

from searchkit.bitmaps import Bitmaps
from searchkit.query import Clause, Filter, Hit, Page, Since, TextQuery

WORD = re.compile(r"\w+")
# More like this: what a shared body key term, title word, tag or category adds. An exact-value
# field (tags, category) scores its boost flat, while a BM25 body term scores a few points, so
# the same category and tags must outweigh a handful of shared everyday words ("charge").
MLT_WEIGHTS = {"body": 1.0, "title": 2.0, "tags": 6.0, "category": 10.0, "parent_category": 2.0}


class WhooshReading:
    filter_cache_size = 128
    snippet_field = "body"  # stored text that highlighted snippets are cut from
    snippet_chars = 3000
    title_field = "title"
    autocomplete_field = "title_auto"

    # --- The searcher --------------------------------------------------------------------

    def _searcher(self):
        """This thread's searcher, refreshed only when the index has changed. A rebuild may
        swap and delete the directory between reading the link and opening it: read again."""
        for attempt in range(3):
            try:
                return self._current_searcher()
            except (EmptyIndexError, FileNotFoundError):
                self._local.searcher = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _current_searcher(self):
        index = self.live_index()
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is None or local.folder != index.storage.folder:
            searcher, local.folder = index.searcher(), index.storage.folder
        elif not searcher.up_to_date():
            # A new searcher, not `searcher.refresh()`: whoosh-reloaded's refresh merges the
            # old reader's segments into the new list (index.py `_reader(reuse=)`), which
            # raises on an empty index and would bring back segments a merge removed.
            searcher.close()
            searcher = index.searcher()
        if searcher is not getattr(local, "searcher", None):
            local.searcher, local.filters = searcher, OrderedDict()
            local.bitmaps = Bitmaps(searcher, folder=str(local.folder))
        return searcher

    def _allowed(self, searcher, filters) -> set | None:
        """Document numbers matching every filter, each set cached per searcher."""
        allowed = None
        for item in filters:
            docs = self._local.filters.get(item)
            if docs is None:
                docs = set(searcher.docs_for_query(self._filter_query(item)))
                self._local.filters[item] = docs
                if len(self._local.filters) > self.filter_cache_size:
                    self._local.filters.popitem(last=False)
            allowed = docs if allowed is None else allowed & docs
        return allowed

    def _filter_query(self, item: Filter | Since):
        if isinstance(item, Since):
            return wq.DateRange(item.field, item.start, None)
        return wq.Or([wq.Term(item.field, value) for value in item.values]) or wq.NullQuery

    # --- Compiling -------------------------------------------------------------------------

    def _terms(self, fieldname: str, text: str) -> list[str]:
        field = self.schema[fieldname]
        return [token.text for token in field.analyzer(text, mode="query")]

    def _alternative(self, fieldname: str, text: str, boost: float):
        words = self._terms(fieldname, text)
        if not words:
            return None
        if len(words) == 1:
            return wq.Term(fieldname, words[0], boost=boost)
        return wq.Phrase(fieldname, words, boost=boost)

    def _clause(self, clause: Clause, title_weight: float):
        fields = [(self.content_field_name, 1.0)]
        if self.title_field in self.schema:
            fields.append((self.title_field, title_weight))
        parts = [
            part
            for alt in clause.alternatives
            for name, weight in fields
            if (part := self._alternative(name, alt.text, alt.weight * weight)) is not None
        ]
        return wq.Or(parts) if parts else None

    def compile(self, text: TextQuery, searcher):
        """Required clauses must all match. Optional ones are ORed, with a bonus (the whole
        set ANDed again) for documents that match every one of them; a clause that most
        documents match only ranks what the rarer ones find."""
        return self._assemble(*self._clauses(text, searcher), text.coordination)

    def _clauses(self, text: TextQuery, searcher) -> tuple[list, list, list]:
        """The compiled (required, rare optional, common optional) clauses of `text`."""
        required, rare, common = [], [], []
        cutoff = text.common_share * max(searcher.doc_count(), 1)
        for clause in text.clauses:
            compiled = self._clause(clause, text.title_weight)
            if compiled is None:
                continue
            if clause.required:
                required.append(compiled)
                continue
            frequencies = [self._doc_frequency(searcher, alt.text) for alt in clause.alternatives]
            if not any(frequencies):
                continue  # a word no document has cannot rank anything; the others still can
            (common if frequencies[0] > cutoff else rare).append(compiled)
        if not rare:
            rare, common = common, []
        return required, rare, common

    def _assemble(self, required: list, rare: list, common: list, coordination: float):
        optional = self._any_with_bonus(rare, coordination)
        if optional is not None and common:
            optional = wq.AndMaybe(optional, self._any_with_bonus(common, coordination))
        if required and optional is not None:
            return wq.AndMaybe(wq.And(required), optional)
        if required:
            return wq.And(required)
        return optional

    @staticmethod
    def _any_with_bonus(parts: list, coordination: float):
        if len(parts) > 1:
            return wq.Or([*parts, wq.And(parts, boost=coordination)])
        return parts[0] if parts else None

    def _doc_frequency(self, searcher, text: str) -> int:
        """How many documents have every term of `text` (at most)."""
        terms = self._terms(self.content_field_name, text)
        return min(
            (searcher.doc_frequency(self.content_field_name, term) for term in terms),
            default=0,
        )

    # --- Queries ---------------------------------------------------------------------------

    def query(self, text, *, filters, facets, sort, page, per_page, highlight) -> Page:
        # One searcher for the whole search: fetching it again could refresh it, and Whoosh's
        # refresh closes the reader this search is still using.
        searcher = self._searcher()
        clauses = self._clauses(text, searcher) if text is not None else None
        compiled = self._assemble(*clauses, text.coordination) if clauses else wq.Every()
        allowed = self._allowed(searcher, filters)
        if compiled is None or (allowed is not None and not allowed):
            return Page()
        # The total and the facet counts come from bitmaps (`searchkit.bitmaps`), so Whoosh
        # only ranks: no facet collector reading every hit's columns, and its top-N collector
        # may skip blocks that cannot reach the page.
        bitmaps = self._local.bitmaps
        found = bitmaps.matching(compiled) & self._allowed_bits(bitmaps, filters)
        total = found.bit_count()
        start = (page - 1) * per_page
        hits = ()
        if start < total:  # a page past the end answers nothing (Whoosh would repeat the last)
            limit = page * per_page
            scaled = None
            if not sort and clauses and not clauses[0] and not clauses[2]:
                scaled = self._ranked_by_every_word(searcher, clauses[1], text, limit, allowed)
            if scaled is not None:
                results, scale = scaled
            else:
                results, scale = self._ranked(searcher, compiled, limit, sort, allowed), 1.0
            terms = self._highlight_terms(compiled) if highlight and text is not None else None
            hits = tuple(
                self._hit(hit, hit.score * scale, terms)
                for hit in results[start : start + per_page]
            )
        return Page(
            hits=hits,
            total=total,
            facets={name: bitmaps.facet(name, found) for name in facets},
        )

    @staticmethod
    def _ranked(searcher, q, limit: int, sort: str | None, allowed):
        """The first `limit` documents of `q`, best first or by `sort`. Whoosh's top-N
        collector swaps a matcher for a cheaper one as the scores to beat rise ("replace"),
        and on an OR with an all-words bonus that drops documents that belong in the top:
        at 50,000 documents 14 of 53 random two- and three-word queries had a wrong top 10
        or 20. Replacing is turned off; skipping blocks by their best score stays."""
        if sort:
            options = {"sortedby": sort.lstrip("-"), "reverse": sort.startswith("-")}
            return searcher.search(q, limit=limit, filter=allowed, **options)
        collector = searcher.collector(limit=limit, filter=allowed)
        top = collector.child if allowed else collector
        top.replace = 0
        searcher.search_with_collector(q, collector)
        return collector.results()

    def _ranked_by_every_word(self, searcher, clauses: list, text: TextQuery, limit, allowed):
        """(results, score scale) of the OR of `clauses` with its all-words bonus, ranking
        only the documents that have every clause, or None where that could differ.

        The OR walks every document with any of the words (most of the index for a few
        everyday words at 50,000 documents); the AND only those with all of them. A document
        with every clause scores twice its AND score (the bonus is that AND again), so the
        AND ranks them in the same order. One without some clause scores at most the best scores the
        clauses it has can reach (Whoosh's `max_quality`, an upper bound), so when the last
        of the first `limit` AND documents beats the best such sum but the smallest, no other
        document could enter the top `limit`, and the answer is the OR's own."""
        # A bonus with a boost other than 1 would not scale the AND score linearly: Whoosh
        # hands a compound query's boost down to its terms' BM25 weights.
        if len(clauses) < 2 or text.coordination != 1.0:
            return None
        results = self._ranked(searcher, wq.And(clauses), limit, None, allowed)
        if results.scored_length() < limit:
            return None
        best = [self._best_score(searcher, clause) for clause in clauses]
        if results[limit - 1].score * 2 <= sum(best) - min(best):
            return None
        return results, 2.0

    @staticmethod
    def _best_score(searcher, q) -> float:
        """The highest score any document could get from `q` (an upper bound)."""
        best = 0.0
        for leaf, _offset in searcher.leaf_searchers():
            matcher = q.matcher(leaf)
            if matcher.is_active():
                best = max(best, matcher.max_quality())
        return best

    def _allowed_bits(self, bitmaps, filters) -> int:
        bits = bitmaps.live()
        for item in filters:
            bits &= bitmaps.filtered(item, self._filter_query(item))
        return bits

    def _hit(self, hit, score, terms) -> Hit:
        stored = hit.fields()
        return Hit(
            label=stored[DJANGO_CT],
            pk=int(stored[DJANGO_ID]),
            score=score or 0.0,
            snippet=self.snippet(hit, terms) if terms else "",
            fields=stored,
        )

    def _highlight_terms(self, compiled) -> frozenset:
        return frozenset(
            text.decode() if isinstance(text, bytes) else text
            for field, text in compiled.iter_all_terms()
            if field in (self.content_field_name, self.title_field)
        )

    def snippet(self, hit, terms) -> str:
        """Up to three fragments around the matched words in `<mark>`, the text escaped."""
        # Highlighting analyses (stems) the whole text; the head of a document is enough for
        # a snippet and keeps a page of long documents fast.
        text = (hit.get(self.snippet_field) or "")[: self.snippet_chars]
        return (
            whoosh_highlight.highlight(
                text,
                terms,
                self.schema[self.content_field_name].analyzer,
                whoosh_highlight.ContextFragmenter(maxchars=160, surround=60),
                whoosh_highlight.HtmlFormatter(tagname="mark", between=" … "),
                top=3,
            )
            or ""
        )

    def more_like(self, identifier: str, *, filters, limit: int) -> list[Hit]:
        """Key terms of the document's title and body, plus its title words, tags and
        category (its parent's a little), so siblings on one topic come first."""
        searcher = self._searcher()
        docnum = searcher.document_number(**{ID: identifier})
        allowed = self._allowed(searcher, filters)
        if docnum is None or (allowed is not None and not allowed):
            return []
        stored = searcher.stored_fields(docnum)
        title = str(stored.get(self.title_field) or "")
        text = f"{title} {stored.get(self.snippet_field) or ''}"
        field = self.content_field_name
        key_terms = searcher.key_terms_from_text(field, text, numterms=12)
        top = max((weight for _, weight in key_terms), default=1.0) or 1.0
        parts = [
            wq.Term(field, term, boost=MLT_WEIGHTS["body"] * weight / top)
            for term, weight in key_terms
        ]
        if self.title_field in self.schema:
            parts += [
                wq.Term(self.title_field, term, boost=MLT_WEIGHTS["title"])
                for term in dict.fromkeys(self._terms(self.title_field, title))
            ]
        parts += self._value_terms(stored, "tags", [MLT_WEIGHTS["tags"]])
        parts += self._value_terms(
            stored, "category", [MLT_WEIGHTS["category"], MLT_WEIGHTS["parent_category"]]
        )
        if not parts:
            return []
        results = searcher.search(wq.Or(parts), limit=limit, filter=allowed, mask={docnum})
        return [self._hit(hit, hit.score, None) for hit in results]

    def _value_terms(self, stored, name: str, weights: list[float]) -> list:
        if name not in self.schema:
            return []
        values = [v for v in str(stored.get(name) or "").split(",") if v]
        return [
            wq.Term(name, value, boost=weights[min(i, len(weights) - 1)])
            for i, value in enumerate(values)
        ]

    def autocomplete(self, words, *, filters, limit: int) -> list[Hit]:
        searcher = self._searcher()
        allowed = self._allowed(searcher, filters)
        terms = [w.lower()[:15] for w in words if len(w) >= 2]
        if not terms or (allowed is not None and not allowed):
            return []
        compiled = wq.And([wq.Term(self.autocomplete_field, term) for term in terms])
        results = searcher.search(compiled, limit=limit, filter=allowed)
        return [self._hit(hit, hit.score, None) for hit in results]

    # --- Words -----------------------------------------------------------------------------

    def analyze(self, text: str) -> list[str]:
        if not self.setup_complete:  # a new thread's backend reads its schema at setup
            self.setup()
        return self._terms(self.content_field_name, text)

    def knows(self, word: str, reader=None) -> bool:
        terms = self.analyze(word)
        reader = reader or self._searcher().reader()
        return bool(terms) and all((self.content_field_name, t) in reader for t in terms)

    def frequency(self, word: str, reader) -> int:
        """In how many documents the word (stemmed) appears."""
        return sum(reader.doc_frequency(self.content_field_name, t) for t in self.analyze(word))

    def spelling(self, text: str) -> str | None:
        """Each word the index does not know becomes the most frequent known word at the
        smallest edit distance (1 for short words, else up to 2), never a stop word or a
        word under three letters. None when nothing changes."""
        reader = self._searcher().reader()  # one reader throughout (see `query`)
        corrector = reader.corrector(self.content_field_name)
        words = WORD.findall(text.lower())
        corrected = []
        for word in words:
            if not self.analyze(word) or self.knows(word, reader) or word.isdigit():
                corrected.append(word)  # a stop word, a known word or a number: not a typo
                continue
            corrected.append(self._correct(reader, corrector, word) or word)
        return " ".join(corrected) if corrected != words else None

    def _correct(self, reader, corrector, word: str) -> str | None:
        for distance in (1, 2) if len(word) > 4 else (1,):
            found = [
                candidate
                for candidate in corrector.suggest(word, limit=20, maxdist=distance, prefix=1)
                if len(candidate) >= 3 and self.analyze(candidate)
            ]
            if found:
                return max(found, key=lambda c: (self.frequency(c, reader), c))
        return None
