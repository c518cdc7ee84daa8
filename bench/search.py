"""Search benchmark: how Huddle's search performs against bare Whoosh on the same documents.

Run from the project root (the corpus size is the only required choice):

    .venv/bin/python bench/search.py --articles 1000
    .venv/bin/python bench/search.py --articles 50000 --profile

Everything happens in a fresh throw-away VAR_DIR (SQLite, Whoosh index, filesystem Celery
queue), deleted at the end. A corpus of realistic customer-service articles (topics, Zipfian
word frequencies, Markdown-ish bodies, tags, some team-restricted) is written with bulk
inserts, then, on the same documents:

(a) rebuild: `searchkit.pipeline.rebuild()` (database reads, document preparation, Whoosh
    writing, the swap and the reconcile after it) in documents per second, against a bare
    Whoosh writer on the same schema adding the same documents, prepared beforehand.
(b) search page: p50/p95 of a warm, in-process GET /search/?q=... (Django test client, logged
    in as a non-editor agent with a team) over a fixed list of queries, against a bare Whoosh
    searcher (QueryParser on `text`, top 10, stored fields read) on the same index.
(c) publish to findable: seconds from approving an article (the commit queues the index
    update) until `searchkit.query.count` finds it for the agent (the query built from the
    typed words as the search page builds it), with a real Celery worker consuming the
    "search-index" queue (filesystem broker, or Redis when REDIS_URL is set).

A table of figures and targets closes the output; --profile adds cProfile of the page.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
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

TOPICS = {  # category slug: (name, parent slug, topic words, tags)
    "billing": ("Billing", None, "invoice payment card charge billing statement plan renewal "
                "discount coupon receipt balance direct debit bank transfer", "billing payments"),
    "refunds": ("Refunds", "billing", "refund partial chargeback dispute return window credit "
                "reversal original method approval fraud", "refunds chargebacks payments"),
    "invoices": ("Invoices and VAT", "billing", "invoice vat tax business reverse charge number "
                 "address company registration pdf correction", "invoices vat"),
    "accounts": ("Accounts", None, "account profile email username merge duplicate close "
                 "delete data privacy gdpr export ownership", "accounts privacy"),
    "login": ("Log-in and security", "accounts", "password reset login 2fa authenticator code "
              "sms locked sso session device recovery identity", "login security 2fa"),
    "shipping": ("Shipping", None, "delivery courier tracking parcel customs address dispatch "
                 "warehouse delayed lost damaged label carrier", "shipping delivery customs"),
    "escalations": ("Escalations", None, "escalate escalation supervisor complaint priority "
                    "ticket sla regulator legal incident outage", "escalations complaints"),
    "tone": ("Tone and empathy", None, "empathy tone apologise calm angry frustrated listen "
             "acknowledge reassure phrasing positive", "tone empathy"),
}  # fmt: skip
COMMON = (  # the most frequent first
    "the to a and of you your in is for it that on with customer if this be can are order we "
    "they as not or have will at from by check ask account when their our an do what should "
    "make sure before after then there any all need time one may only first also more team "
    "agent case ticket note give help days call chat email back open system page details "
    "policy support reply new still next right same each way keep use send see know tell"
)
TITLE_FORMS = [
    "How to handle {a} {b}", "{A} {b} FAQ", "Troubleshooting {a} {b}", "When a customer asks "
    "about {a}", "{A}: what to check first", "Explaining {a} and {b} to customers", "{A} {b} "
    "for business accounts", "{A} after {b}", "Best practice: {a} on chat", "{A} {b} checklist",
]  # fmt: skip
QUERIES = [
    "refund", "invoice", "password", "tracking", "chargeback", "customs", "escalation",
    "empathy", "refund card payment", "reset password", "delivery address courier",
    "vat invoice business", "angry customer", "account locked", "plan renewal discount",
    "sso login session", '"refund policy"', '"delivery address"', "refnud", "pasword reset",
]  # fmt: skip
TEAMS = ["Billing Support", "Technical Support", "Customer Success", "Escalations Desk"]
SYLLABLES = "ka lo mi ne ru sa ti vo ze bra gel dor fin hap jum pex quo rix sul tam"


class Writer:
    """Markdown-ish bodies with their HTML and plain text, from Zipf-weighted vocabularies."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        syllables, common = SYLLABLES.split(), COMMON.split()
        self.tail = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(20000)]

        def zipf(words, shift, share):  # rank r gets 1 / (r + shift), scaled to `share`
            weights = [1 / (rank + shift) for rank in range(len(words))]
            return [share * w / sum(weights) for w in weights]

        self.topics = {}  # topic: (population, cumulative weights)
        for slug, topic in TOPICS.items():
            own = topic[2].split()
            other = sorted({w for t in TOPICS.values() for w in t[2].split()} - set(own))
            population = [*common, *own, *other, None]  # None: a word of the long tail
            weights = [*zipf(common, 2.7, 0.77), *zipf(own, 1.5, 0.15)]
            weights += [0.05 / len(other)] * len(other) + [0.03]
            self.topics[slug] = (population, list(itertools.accumulate(weights)))

    def words(self, topic: str, n: int) -> list[str]:
        population, cumulative = self.topics[topic]
        drawn = self.rng.choices(population, cum_weights=cumulative, k=n)
        return [word or self.rng.choice(self.tail) for word in drawn]

    def sentence(self, topic: str) -> str:
        text = " ".join(self.words(topic, self.rng.randint(7, 18)))
        return text[0].upper() + text[1:] + "."

    def title(self, topic: str) -> str:
        a, b = self.rng.sample(TOPICS[topic][2].split(), 2)
        form = self.rng.choice(TITLE_FORMS)
        return form.format(a=a, b=b, A=a.capitalize(), B=b.capitalize())

    def body(self, topic: str) -> tuple[str, str, str]:
        """(markdown, html, text) of 150-400 words in headed sections, steps and lists."""
        rng, target = self.rng, self.rng.randint(150, 400)
        md, html, text = [], [], []
        while len(text) < target:
            if md and rng.random() < 0.5:
                head = " ".join(self.words(topic, rng.randint(2, 4))).capitalize()
                md.append(f"## {head}")
                html.append(f'<h2 id="{head.lower().replace(" ", "-")}">{head}</h2>')
                text.extend(head.split())
            if rng.random() < 0.35:
                items = [self.sentence(topic) for _ in range(rng.randint(2, 5))]
                tag, mark = rng.choice([("ol", "1."), ("ul", "-")])
                md.append("\n".join(f"{mark} {item}" for item in items))
                html.append(f"<{tag}>{''.join(f'<li>{i}</li>' for i in items)}</{tag}>")
                text.extend(" ".join(items).split())
            else:
                para = " ".join(self.sentence(topic) for _ in range(rng.randint(2, 4)))
                md.append(para)
                html.append(f"<p>{para}</p>")
                text.extend(para.split())
        return "\n\n".join(md), "\n".join(html), " ".join(text)


def build_corpus(n: int, seed: int = 42) -> dict:
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from kb.models import Article, ArticleRevision, Category
    from people.models import Role, Team, User

    rng, writer, now = random.Random(seed), Writer(random.Random(seed)), timezone.now()
    teams = [Team.objects.create(name=name, slug=name.lower().replace(" ", "-")) for name in TEAMS]
    person = lambda name, team: User.objects.create(  # noqa: E731 (no password: force_login)
        username=name, email=f"{name}@example.com", password="!", team=team
    )
    editor, agent = person("editor", teams[0]), person("agent", teams[0])
    editor.groups.add(Group.objects.get(name=Role.KB_EDITOR))
    agent.groups.add(Group.objects.get(name=Role.AGENT))
    authors = [person(f"author{i}", teams[i % 4]) for i in range(20)]
    categories = {}
    for slug, (name, parent, _, _) in TOPICS.items():  # parents come first in TOPICS
        parent = categories.get(parent)
        categories[slug] = Category.objects.create(name=name, slug=slug, parent=parent)
    tag_names = sorted({t for topic in TOPICS.values() for t in topic[3].split()})
    tags = {t.name: t for t in Tag.objects.bulk_create(Tag(name=t, slug=t) for t in tag_names)}
    types = [choice for choice, _ in Article.Type.choices]
    articles, revisions, tagged, team_links = [], [], [], []
    for pk in range(1, n + 1):
        topic = rng.choice(list(TOPICS))
        title = writer.title(topic)
        md, html, text = writer.body(topic)
        author = rng.choice(authors)
        updated = now - timezone.timedelta(days=rng.uniform(0, 730))
        restricted = rng.random() < 0.15
        articles.append(Article(
            pk=pk, slug=f"{slugify(title)[:100]}-{pk}",
            type=rng.choices(types, [5, 3, 3, 3, 1])[0], category=categories[topic],
            author=author, owner=rng.choice(authors), status=Article.Status.PUBLISHED,
            visibility="teams" if restricted else "everyone", published_revision_id=pk,
            latest_revision_id=pk, created_at=updated, updated_at=updated,
            published_at=updated, verified_at=updated,
        ))  # fmt: skip
        revisions.append(ArticleRevision(
            pk=pk, article_id=pk, number=1, title=title, summary=writer.sentence(topic)[:300],
            body=md, rendered_html=html, body_text=text, editor=author, created_at=updated,
        ))  # fmt: skip
        for tag in rng.sample(TOPICS[topic][3].split(), rng.randint(1, 2)):
            tagged.append((pk, tags[tag].pk))
        if restricted:
            team_links.extend((pk, t.pk) for t in rng.sample(teams, rng.randint(1, 2)))
    content_type = ContentType.objects.get_for_model(Article)
    with transaction.atomic():  # foreign keys are checked at commit, so the order is free
        Article.objects.bulk_create(articles, batch_size=500)
        ArticleRevision.objects.bulk_create(revisions, batch_size=500)
        TaggedItem.objects.bulk_create(
            (TaggedItem(content_type=content_type, object_id=a, tag_id=t) for a, t in tagged),
            batch_size=2000,
        )
        Article.teams.through.objects.bulk_create(
            (Article.teams.through(article_id=a, team_id=t) for a, t in team_links),
            batch_size=2000,
        )
    return {"editor": editor, "agent": agent, "author": authors[0], "category": categories}


def bench_rebuild() -> tuple[float, float]:
    """(rebuild docs/s, bare Whoosh writer docs/s)."""
    from haystack import connections
    from whoosh.filedb.filestore import FileStorage

    from searchkit import pipeline
    from searchkit.indexes import index_for

    start = time.perf_counter()
    done = pipeline.rebuild()
    rebuild_rate = done / (time.perf_counter() - start)
    print(f"rebuild: {done} documents in {done / rebuild_rate:.1f} s", flush=True)
    backend, index = connections["default"].get_backend(), index_for("kb.article")
    start = time.perf_counter()
    docs = [backend.prepare(index, a) for batch in pipeline._batches(index.index_queryset(), 500)
            for a in batch]  # fmt: skip
    print(f"reading and preparing them again: {time.perf_counter() - start:.1f} s", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        bare = FileStorage(folder).create_index(backend.schema)
        start = time.perf_counter()
        writer = bare.writer(timeout=backend.lock_timeout, delay=0.05)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        bare_rate = len(docs) / (time.perf_counter() - start)
        print(f"bare writer: {len(docs)} documents in {len(docs) / bare_rate:.1f} s", flush=True)
        bare.close()
    return rebuild_rate, bare_rate


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    return statistics.median(samples) * 1000, statistics.quantiles(samples, n=20)[-1] * 1000


def bench_page(agent, rounds: int, profile: bool) -> tuple[tuple, tuple]:
    """((page p50, p95), (bare p50, p95)) in ms. Page and bare searches alternate, so noise
    from the rest of the machine falls on both alike; the per-query medians are printed."""
    from django.test import Client
    from haystack import connections
    from whoosh.qparser import QueryParser

    client = Client()
    client.force_login(agent)
    backend = connections["default"].get_backend()
    searcher = backend.live_index().searcher()
    parser = QueryParser("text", schema=backend.schema)

    def page_search(q):
        assert client.get("/search/", {"q": q}).status_code == 200

    def bare_search(q):
        [hit.fields() for hit in searcher.search(parser.parse(q), limit=10)]

    times = {(q, run): [] for q in QUERIES for run in (page_search, bare_search)}
    for round_ in range(rounds + 1):  # the first round warms up (searchers, filters, caches)
        for q in QUERIES:
            for run in (page_search, bare_search):
                start = time.perf_counter()
                run(q)
                if round_:
                    times[q, run].append(time.perf_counter() - start)
    print(f"  {'query':<26} {'bare hits':>9} {'page ms':>8} {'bare ms':>8}")
    for q in QUERIES:
        hits = len(searcher.search(parser.parse(q), limit=10))
        page_ms, bare_ms = (
            statistics.median(times[q, r]) * 1000 for r in (page_search, bare_search)
        )
        print(f"  {q:<26} {hits:>9} {page_ms:>8.1f} {bare_ms:>8.1f}")
    searcher.close()
    if profile:  # one more round of the page alone, under cProfile
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [page_search(q) for q in QUERIES])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    samples = lambda run: [t for (_, r), ts in times.items() if r is run for t in ts]  # noqa: E731
    return percentiles(samples(page_search)), percentiles(samples(bare_search))


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
    with throwaway.huddle("bench", keep=args.keep, eager=False) as var_dir:
        start = time.perf_counter()
        users = build_corpus(args.articles)
        corpus_s = time.perf_counter() - start
        print(f"corpus: {args.articles} articles in {corpus_s:.1f} s", flush=True)
        rebuild_rate, bare_write = bench_rebuild()
        (page50, page95), (bare50, bare95) = bench_page(users["agent"], args.rounds, args.profile)
        print(f"page p50/p95 {page50:.1f}/{page95:.1f} ms, bare {bare50:.1f}/{bare95:.1f} ms")
        latencies = bench_publish(users, var_dir, args.publishes)
        print("publish to findable: " + ", ".join(f"{s:.2f}" for s in latencies) + " s")
    write_ratio, page_ratio = rebuild_rate / bare_write, page95 / bare95
    rows = [
        ("corpus build", f"{corpus_s:.1f} s", "", ""),
        ("rebuild", f"{rebuild_rate:.0f} docs/s", f"bare {bare_write:.0f} docs/s", ""),
        ("rebuild / bare", f"{write_ratio:.2f}", ">= 0.7", write_ratio >= 0.7),
        ("page p50", f"{page50:.1f} ms", f"bare {bare50:.1f} ms", ""),
        ("page p95", f"{page95:.1f} ms", "< 100 ms", page95 < 100),
        ("page p95 / bare p95", f"{page_ratio:.1f}x", f"<= 2x (bare {bare95:.1f} ms)",
         page_ratio <= 2),
        ("publish to findable (max)", f"{max(latencies):.2f} s", "< 5 s", max(latencies) < 5),
    ]  # fmt: skip
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nHuddle search benchmark, {args.articles} articles (load average now {load})")
    for name, figure, target, met in rows:
        verdict = "" if met == "" else ("met" if met else "MISSED")
        print(f"  {name:<26} {figure:>14}  {target:<28} {verdict}")


if __name__ == "__main__":
    main()
