"""Search benchmark: how Huddle's search performs against bare Whoosh on the same documents.

Run from the project root (the corpus size is the only required choice):

    .venv/bin/python bench/search.py --articles 1000
    .venv/bin/python bench/search.py --articles 50000 --profile

Everything happens in a fresh throw-away folder (SQLite, Whoosh index, filesystem Celery
queue) made inside $VAR_DIR when it is set, else in $TMPDIR, and deleted at the end. A corpus
of realistic customer-service content (`bench/search_corpus.py`: per 1,000 articles about 300
questions with answers, 40 training tracks and 30 upcoming sessions) is written with bulk
inserts, then, on the same documents:

(a) rebuild: `searchkit.pipeline.rebuild()` (database reads, document preparation, Whoosh
    writing, the swap and the reconcile after it) in documents per second, against a bare
    Whoosh writer on the same schema adding the same documents, prepared beforehand, and
    the same bare writer with Huddle's codec (`searchkit.codec`, which writes the same
    files with fewer file-system calls), so what the rebuild adds to writing shows apart
    from what its codec saves; the three alternate, and each one's best round counts.
(b) search page: p50/p95 of a warm, in-process GET /search/?q=... (Django test client, logged
    in as a non-editor agent with a team) against a bare Whoosh searcher (QueryParser on
    `text`, top 10, stored fields read) on the same index, alternating query by query, over
    distinct queries each run once (after a warm-up on other queries), so a result cache is
    never what is measured. Facet counting: the page's four facets counted
    over the agent's hits of each query (the engine's bitmaps, as the page counts them),
    timed alone.
(c) publish to findable: seconds from approving an article (the commit queues the index
    update) until `searchkit.query.count` finds it for the agent (the query built from the
    typed words as the search page builds it), with a real Celery worker consuming the
    "search-index" queue (filesystem broker, or Redis when REDIS_URL is set).

A table of figures and targets closes the output; --profile adds cProfile of the page.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and this file would shadow `search`.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import throwaway  # noqa: E402
from bench.search_corpus import QUERIES, TOPICS, build_corpus  # noqa: E402

# Warm-up queries: never timed, and none of them is a timed query.
WARMUP = ["supervisor", "parcel damaged", "gdpr export", "coupon", "sms code", "calm"]


def prepared_documents() -> list[dict]:
    """Every document of every declared index, as the rebuild writes them."""
    from searchkit import pipeline
    from searchkit.indexes import registered

    backend, docs = pipeline.backend(), []
    for index in registered().values():
        for batch in pipeline._batches(index.index_queryset(), pipeline.BATCH_SIZE):
            docs += [backend.prepare(index, obj) for obj in index.prepared(batch)]
    return docs


def _bare_write(var_dir: Path, schema, docs: list[dict], codec=None) -> float:
    """Documents per second of one Whoosh writer adding `docs` to a new index."""
    from whoosh.filedb.filestore import FileStorage

    from searchkit import pipeline

    with tempfile.TemporaryDirectory(dir=var_dir) as folder:
        bare = FileStorage(folder).create_index(schema)
        start = time.perf_counter()
        writer = bare.writer(timeout=pipeline.backend().lock_timeout, delay=0.05, codec=codec)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        rate = len(docs) / (time.perf_counter() - start)
        bare.close()
    return rate


def bench_rebuild(var_dir: Path, rounds: int) -> tuple[float, float, float]:
    """(rebuild docs/s, bare Whoosh writer docs/s, bare writer with Huddle's codec docs/s),
    the best of `rounds` of each, alternating so that noise from the rest of the machine falls
    on all alike. The third isolates what the rebuild adds to writing (database reads,
    preparation, swap, reconcile) from what its codec saves (`searchkit.codec`)."""
    from searchkit import pipeline
    from searchkit.codec import HuddleCodec

    schema = pipeline.backend().live_index().schema
    start = time.perf_counter()
    docs = prepared_documents()  # the bare writers' input, prepared before they are timed
    print(f"reading and preparing {len(docs)} documents: {time.perf_counter() - start:.1f} s")
    rebuild_rates, bare_rates, codec_rates = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        done = pipeline.rebuild()
        rebuild_rates.append(done / (time.perf_counter() - start))
        bare_rates.append(_bare_write(var_dir, schema, docs))
        codec_rates.append(_bare_write(var_dir, schema, docs, HuddleCodec()))
        print(f"rebuild: {done} documents at {rebuild_rates[-1]:.0f}/s; bare writer: "
              f"{len(docs)} at {bare_rates[-1]:.0f}/s, with Huddle's codec "
              f"{codec_rates[-1]:.0f}/s", flush=True)  # fmt: skip
    return max(rebuild_rates), max(bare_rates), max(codec_rates)


def findable_types(agent) -> dict[str, int]:
    """How many documents of each type the agent finds: every kind of content is indexed."""
    from searchkit import query as engine

    page = engine.search(user=agent, text=None, facets=("type",), per_page=1, highlight=False)
    return dict(page.facets.get("type", []))


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    return statistics.median(samples) * 1000, statistics.quantiles(samples, n=20)[-1] * 1000


def query_rounds(rounds: int, seed: int = 7) -> list[list[str]]:
    """`rounds` lists of distinct queries, none repeated anywhere: QUERIES first, then
    queries of one to three topic words, so no result cache answers a timed query."""
    rng, seen = random.Random(seed), set(QUERIES) | set(WARMUP)
    words = sorted({w for topic in TOPICS.values() for w in topic[2].split()})
    lists = [list(QUERIES)]
    while len(lists) < rounds:
        batch = []
        while len(batch) < len(QUERIES):
            q = " ".join(rng.sample(words, rng.choice([1, 2, 2, 3])))
            if q not in seen:
                seen.add(q)
                batch.append(q)
        lists.append(batch)
    return lists


def bench_page(agent, rounds: int, profile: bool) -> tuple[tuple, tuple, tuple]:
    """((page p50, p95), (bare p50, p95), (facets p50, p95)) in ms, over distinct queries
    each run once (after a warm-up on other queries). The page and the bare searcher
    alternate query by query, so noise from the rest of the machine falls on both alike; the
    first round's times are printed."""
    from django.test import Client
    from whoosh.qparser import QueryParser

    from search import query as search_query
    from search.selectors import FACETS
    from searchkit import pipeline
    from searchkit import query as engine

    client = Client()
    client.force_login(agent)
    backend = pipeline.backend()
    searcher = backend.live_index().searcher()
    parser = QueryParser("text", schema=backend.schema)

    def page_search(q):
        assert client.get("/search/", {"q": q}).status_code == 200

    def bare_search(q):
        [hit.fields() for hit in searcher.search(parser.parse(q), limit=10)]

    def engine_search(q, facets):
        text = search_query.build(search_query.parse(q))
        engine.search(user=agent, text=text, facets=facets, per_page=10, highlight=False)

    def facet_step(q) -> float:
        """Seconds the page's facet counts take over the agent's hits of `q`, timed alone
        (the difference of two whole searches, hundreds of ms at 50,000, was their noise)."""
        text = search_query.build(search_query.parse(q))
        engine_search(q, ())  # the searcher and the query's term bitmaps, as a search has them
        searcher = backend._searcher()
        compiled = backend.compile(text, searcher) if text is not None else None
        if compiled is None:
            return 0.0
        bitmaps = backend._local.bitmaps
        filters = (engine.audience_filter(agent),)
        found = bitmaps.matching(compiled) & backend._allowed_bits(bitmaps, filters)
        start = time.perf_counter()
        {name: bitmaps.facet(name, found) for name in FACETS}
        return time.perf_counter() - start

    for q in WARMUP:  # searchers, audience filters, templates: not the measured queries
        page_search(q), bare_search(q), engine_search(q, FACETS)
    times: dict[str, list[float]] = {"page": [], "bare": [], "facets": []}
    first: dict[str, tuple[float, float]] = {}
    for number, queries in enumerate(query_rounds(rounds)):
        for i, q in enumerate(queries):
            runs = [("page", page_search), ("bare", bare_search)]
            for name, run in runs if i % 2 else runs[::-1]:  # which runs first alternates
                start = time.perf_counter()
                run(q)
                times[name].append(time.perf_counter() - start)
            times["facets"].append(facet_step(q))
            if number == 0:
                first[q] = (times["page"][-1] * 1000, times["bare"][-1] * 1000)
    print(f"  {'query':<26} {'bare hits':>9} {'page ms':>8} {'bare ms':>8}")
    for q, (page_ms, bare_ms) in first.items():
        hits = len(searcher.search(parser.parse(q), limit=None))
        print(f"  {q:<26} {hits:>9} {page_ms:>8.1f} {bare_ms:>8.1f}")
    searcher.close()
    if profile:  # one more pass of the page alone, under cProfile
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [page_search(q) for q in QUERIES])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    return percentiles(times["page"]), percentiles(times["bare"]), percentiles(times["facets"])


def start_worker(var_dir: Path) -> tuple[subprocess.Popen, Path]:
    log_path = var_dir / "worker.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "INFO"}
    command = [
        str(Path(sys.executable).parent / "celery"), "-A", "config", "worker",
        "--queues=search-index", "--concurrency=1", "--pool=solo", "-n", "bench@%h",
        "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while " ready." not in log_path.read_text(errors="replace"):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"The Celery worker did not start:\n{log_path.read_text()}")
        time.sleep(0.1)
    return worker, log_path


def bench_publish(users: dict, var_dir: Path, repeats: int) -> list[float]:
    from kb import services
    from search import query as search_query
    from searchkit import query as engine

    def findable(nonce: str) -> bool:
        text = search_query.build(search_query.parse(nonce))
        return engine.count(user=users["agent"], text=text) > 0

    worker, log_path = start_worker(var_dir)
    latencies = []
    try:
        for i in range(repeats):
            nonce = f"benchmark{i}{random.randrange(10**6)}x"
            article = services.article_create(
                author=users["author"],
                content={"title": f"Refund timing {nonce}", "summary": "How long refunds take.",
                         "body": f"Card refunds take three to five days. {nonce}"},
                meta={"type": "faq", "category": users["category"]["refunds"],
                      "visibility": "everyone", "tags": ["refunds"]},
            )  # fmt: skip
            services.article_submit(article=article, user=users["author"])
            start = time.perf_counter()
            services.article_approve(article=article, editor=users["editor"])
            while not findable(nonce):
                if time.perf_counter() - start > 60 or worker.poll() is not None:
                    raise RuntimeError(f"Never findable:\n{log_path.read_text()}")
                time.sleep(0.01)
            latencies.append(time.perf_counter() - start)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of the queries")
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the search page")
    parser.add_argument("--keep", action="store_true", help="keep the temporary VAR_DIR")
    args = parser.parse_args()
    n = args.articles
    with throwaway.huddle("bench", keep=args.keep, eager=False) as var_dir:
        start = time.perf_counter()
        users = build_corpus(n)
        corpus_s = time.perf_counter() - start
        print(f"corpus: {n} articles and their questions, tracks and sessions in "
              f"{corpus_s:.1f} s", flush=True)  # fmt: skip
        # Two alternating rounds where a rebuild is short; one at 50,000 and more.
        rounds = 2 if n <= 10_000 else 1
        rebuild_rate, bare_write, codec_write = bench_rebuild(var_dir, rounds=rounds)
        found = findable_types(users["agent"])
        print("findable by the agent: " + ", ".join(f"{n} {t}" for t, n in sorted(found.items())))
        (page50, page95), (bare50, bare95), (facet50, facet95) = bench_page(
            users["agent"], args.rounds, args.profile
        )
        print(f"page p50/p95 {page50:.1f}/{page95:.1f} ms, bare {bare50:.1f}/{bare95:.1f} ms")
        latencies = bench_publish(users, var_dir, args.publishes)
        print("publish to findable: " + ", ".join(f"{s:.2f}" for s in latencies) + " s")
    write_ratio, page_ratio = rebuild_rate / bare_write, page95 / bare95
    page_target = 100 if n <= 10_000 else 200
    rows = [
        ("corpus build", f"{corpus_s:.1f} s", "", ""),
        ("rebuild", f"{rebuild_rate:.0f} docs/s", f"bare {bare_write:.0f} docs/s", ""),
        ("rebuild / bare", f"{write_ratio:.2f}", ">= 0.9", write_ratio >= 0.9),
        ("rebuild / bare, same codec", f"{rebuild_rate / codec_write:.2f}",
         f"(bare with Huddle's codec {codec_write:.0f} docs/s)", ""),
        ("page p50", f"{page50:.1f} ms", f"bare {bare50:.1f} ms", ""),
        ("page p95", f"{page95:.1f} ms", f"< {page_target} ms", page95 < page_target),
        ("page p95 / bare p95", f"{page_ratio:.1f}x", f"<= 2x (bare {bare95:.1f} ms)",
         page_ratio <= 2),
        ("facet counting p50 / p95", f"{facet50:.1f} / {facet95:.1f} ms", "p95 < 5 ms",
         facet95 < 5),
        ("publish to findable (max)", f"{max(latencies):.2f} s", "< 2 s", max(latencies) < 2),
    ]  # fmt: skip
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nHuddle search benchmark, {n} articles (load average now {load})")
    for name, figure, target, met in rows:
        verdict = "" if met == "" else ("met" if met else "MISSED")
        print(f"  {name:<26} {figure:>16}  {target:<28} {verdict}")


if __name__ == "__main__":
    main()
