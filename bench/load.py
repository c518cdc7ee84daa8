"""The production topology under load: PostgreSQL, Redis, gunicorn, two general Celery workers,
the single search-index worker and one beat, on this machine, driven by mixed traffic.

Run from the project root, with PostgreSQL and Redis reachable (their databases are emptied):

    .venv/bin/python bench/load.py --seconds 60
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/huddle_load \
        --redis-url redis://127.0.0.1:6379/10 --users 24 --seconds 90

Steps: recreate the database and empty the Redis database; migrate, seed the demo organisation
plus --people generated colleagues and --articles generated published articles, collect static
files, build the search index (in a throw-away VAR_DIR, deleted at the end); start gunicorn
(--web-workers sync workers), two `--queues=celery` workers, the `--queues=search-index
--concurrency=1` worker and beat (sweeps shortened to seconds), each in its own process group;
then locust (`bench/load_locust.py`, a second process, headless, --seconds) drives --users people
over loopback who log in, search, read articles, give kudos and sign up for sessions, and editors
who edit, submit and publish. Meanwhile the queues' lengths are sampled every second and a probe
edits and publishes an article every few seconds and times how long the index takes to hold it.
Then, once the queues are empty: the search index is compared with the database (a dry check,
then `reconcile()`, whose report must be empty), notifications are checked for double sends,
sessions for sign-ups beyond capacity and givers for kudos beyond their allowance. Every
process is stopped (its whole group) however the run ends. Exit status 1 when a check fails or
a request errs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import faulthandler
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

HOST = "127.0.0.1"
QUEUES = ("celery", "search-index")
WORDS = ["refund", "billing", "password reset", "card", "invoice", "escalation", "shipping",
         "refnd", "gift card", "chargeback", "login", "outage"]  # fmt: skip


def production_env(args, var_dir: Path) -> dict[str, str]:
    """Production settings over plain http on loopback; beat's sweeps every few seconds."""
    env = dict(os.environ)
    env.update(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=args.database_url, REDIS_URL=args.redis_url, VAR_DIR=str(var_dir),
        SEARCH_URL=str(var_dir / "whoosh"), STATIC_ROOT=str(var_dir / "static"),
        SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false", SECURE_HSTS_SECONDS="0",
        EMAIL_URL="dummymail://", LOG_LEVEL="WARNING", SITE_URL=f"http://{HOST}:{args.port}",
        KB_REQUIRE_SECOND_EDITOR="false", SEARCH_RECONCILE_SECONDS="30",
        REMINDER_SWEEP_SECONDS="15", DIGEST_SWEEP_SECONDS="30", CELERY_TASK_ALWAYS_EAGER="false",
        DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT),
    )  # fmt: skip
    return env


def reset_stores(args) -> None:
    """A fresh PostgreSQL database and an empty Redis database."""
    import psycopg
    import redis

    url = urlsplit(args.database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(args.redis_url).flushdb()


def seed(args) -> None:
    """Demo organisation, generated colleagues and articles, static files, the index."""
    import io
    import random

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from kb import services as kb
    from kb.models import Article, Category
    from people.demo import DEMO_PASSWORD
    from people.models import Team, User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    rng = random.Random(17)
    teams = list(Team.objects.all())
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        User(username=f"colleague{i:03}", first_name="Colleague", last_name=f"{i:03}",
             email=f"colleague{i:03}@example.com", password=password, team=rng.choice(teams))
        for i in range(args.people)
    )  # fmt: skip
    editor = User.objects.get(username="editor")
    categories = list(Category.objects.all())
    topics = ["refund", "billing", "card", "invoice", "shipping", "escalation", "login"]
    for i in range(args.articles):
        topic = rng.choice(topics)
        article = kb.article_create(
            author=editor,
            content={
                "title": f"How to handle a {topic} case, variant {i}",
                "summary": f"Steps for {topic} cases seen by the {rng.choice(teams).name} team.",
                "body": f"When a customer asks about {topic}, check the account first.\n\n"
                + " ".join(rng.choice(WORDS) for _ in range(60)),
            },
            meta={"type": Article.Type.choices[0][0], "category": rng.choice(categories),
                  "visibility": "everyone", "tags": [topic], "teams": []},
        )  # fmt: skip
        kb.article_publish(article=article, editor=editor)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("rebuild_index", quiet=True, verbosity=0)
    # What seeding queued is in the fresh index already; the run starts with empty queues.
    import redis

    redis.Redis.from_url(args.redis_url).delete(*QUEUES)


def plan(var_dir: Path) -> Path:
    """Who logs in and what they touch, for the locust process."""
    from django.contrib.auth.models import Group

    from kb.models import Article
    from people.demo import DEMO_PASSWORD
    from people.models import User
    from recognition.models import Value
    from training.models import Session

    editors = list(
        Group.objects.get(name="KB Editor").user_set.filter(is_active=True)
        .values_list("username", flat=True)
    )  # fmt: skip
    agents = list(
        User.objects.filter(is_active=True, is_superuser=False).exclude(username__in=editors)
        .order_by("username").values_list("username", flat=True)
    )  # fmt: skip
    public = Article.objects.published().filter(visibility="everyone").order_by("pk")
    sessions = Session.objects.upcoming().filter(visibility="everyone", status="scheduled")
    data = {
        "password": DEMO_PASSWORD,
        "people": {"agents": agents, "editors": editors},
        "articles": list(public.values_list("slug", flat=True)),
        # Few enough that editors sometimes edit the same article at once (a stale edit).
        "editable": list(public.values_list("slug", flat=True)[:12]),
        "sessions": list(sessions.values_list("slug", flat=True)),
        "values": list(Value.objects.filter(is_active=True).values_list("slug", flat=True)),
        "words": WORDS,
    }
    path = var_dir / "plan.json"
    path.write_text(json.dumps(data))
    return path


class Processes:
    """Children in their own process groups, each stopped with its whole group."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env, self.logs, self.running = env, logs, {}

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115  (closed with the process)
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.running[name] = (process, log)
        return process

    def stop_all(self) -> None:
        # SIGTERM to each leader (gunicorn's master and Celery's main process stop their
        # children themselves), then SIGKILL to whatever of each group is left.
        for process, _ in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        deadline = time.monotonic() + 15
        for process, log in self.running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(deadline - time.monotonic(), 0.1))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            log.close()
        self.running.clear()

    def dead(self) -> list[str]:
        return [name for name, (p, _) in self.running.items() if p.poll() is not None]


def start_topology(procs: Processes, args) -> None:
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    procs.start("web", [sys.executable, "-m", "gunicorn", "config.wsgi",
                        f"--bind={HOST}:{args.port}", f"--workers={args.web_workers}",
                        "--log-level=warning"])  # fmt: skip
    for n in (1, 2):
        procs.start(f"worker{n}", [*celery, "worker", "--loglevel=WARNING", "--queues=celery",
                                   "--concurrency=2", f"--hostname=worker{n}@%h"])  # fmt: skip
    procs.start("search_index", [*celery, "worker", "--loglevel=WARNING",
                                 "--queues=search-index", "--concurrency=1",
                                 "--hostname=search-index@%h"])  # fmt: skip
    procs.start("beat", [*celery, "beat", "--loglevel=WARNING",
                         f"--schedule={procs.env['VAR_DIR']}/celerybeat-schedule"])  # fmt: skip
    from config.celery import app

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if procs.dead():
            raise RuntimeError(f"exited early: {procs.dead()} (logs in {procs.logs})")
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= 3 and web_answers(args.port):
            return
        time.sleep(1)
    raise RuntimeError("the workers or gunicorn did not come up within two minutes")


def web_answers(port: int) -> bool:
    import http.client

    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        connection.request("GET", "/accounts/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False


class Sampler(threading.Thread):
    """Queue lengths every second; and a probe that edits and publishes an article every
    `every` seconds and times how long until the index holds its new version."""

    def __init__(self, redis_url: str, every: float = 5.0):
        super().__init__(daemon=True)
        import redis

        self.redis, self.every = redis.Redis.from_url(redis_url), every
        self.lengths = {queue: [] for queue in QUEUES}
        self.lags: list[float] = []
        self.unindexed = 0
        self.stop = threading.Event()

    def run(self):
        prober = threading.Thread(target=self.probe_loop, daemon=True)
        prober.start()
        while not self.stop.is_set():
            for queue in QUEUES:
                self.lengths[queue].append(self.redis.llen(queue))
            self.stop.wait(1.0)
        prober.join(70)

    def probe_loop(self):
        try:
            while not self.stop.wait(self.every):
                self.probe()
        finally:
            from django.db import connection

            connection.close()

    def probe(self):
        from kb import services as kb
        from kb.models import Article
        from people.models import User
        from searchkit.indexes import index_for
        from searchkit.pipeline import backend

        editor = User.objects.get(username="editor")
        article = Article.objects.published().filter(visibility="everyone").order_by("-pk")[0]
        latest = article.latest_revision
        content = {"title": latest.title, "summary": latest.summary,
                   "body": f"{latest.body}\n\nProbe {secrets.token_hex(4)}."}  # fmt: skip
        kb.article_update(article=article, editor=editor, content=content, meta={})
        kb.article_publish(article=Article.objects.get(pk=article.pk), editor=editor)
        start, index = time.monotonic(), index_for("kb.article")
        wanted = index.version_of(index.version_queryset().get(pk=article.pk))
        while time.monotonic() - start < 60 and not self.stop.is_set():
            if backend().document_versions("kb.article").get(article.pk) == wanted:
                self.lags.append(time.monotonic() - start)
                return
            time.sleep(0.1)
        self.unindexed += 1


def drain(redis_url: str, timeout: float = 180) -> float:
    """Wait until both queues are empty and no worker holds a task (taken from a queue, so
    no longer counted in it), twice in a row; returns the seconds waited."""
    import redis

    from config.celery import app

    client, start, idle = redis.Redis.from_url(redis_url), time.monotonic(), 0
    while time.monotonic() - start < timeout and idle < 2:
        busy = any(client.llen(queue) for queue in QUEUES)
        if not busy:
            inspect = app.control.inspect(timeout=2.0)
            held = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
            busy = any(held)
        idle = 0 if busy else idle + 1
        time.sleep(1)
    return time.monotonic() - start


def checks() -> list[tuple[str, int, str]]:
    """(check, problems found, detail) after the run."""
    from django.conf import settings
    from django.db.models import Count, F, Max, Min, Q

    from notifications.models import Notification
    from people.models import User
    from recognition.models import KudosRecipient
    from recognition.selectors.accounts import allowance_for
    from searchkit.indexes import registered
    from searchkit.pipeline import backend, reconcile
    from training.models import Session

    results = []
    engine, stale, gone = backend(), 0, 0
    for label, index in registered().items():
        indexed = engine.document_versions(label)
        wanted = {obj.pk: index.version_of(obj) for obj in index.version_queryset()}
        stale += sum(1 for pk, version in wanted.items() if indexed.get(pk) != version)
        gone += len(indexed.keys() - wanted.keys())
    results.append(("index = database (dry check)", stale + gone,
                    f"{stale} missing or stale, {gone} not wanted"))  # fmt: skip
    report = reconcile()
    fixed = ", ".join([*report.updated, *report.removed][:5])
    detail = f"{report}" + (f": {fixed}" if fixed else "")
    results.append(("reconcile() report", len(report.updated) + len(report.removed), detail))
    # A second pass must find nothing: a version computed one way when written and another
    # way when compared would be "fixed" by every reconcile, for ever.
    again = reconcile()
    results.append(("a second reconcile()", len(again.updated) + len(again.removed), str(again)))
    keys = (
        Notification.objects.exclude(dedupe_key=None).values("dedupe_key")
        .annotate(n=Count("pk")).filter(n__gt=1).count()
    )  # fmt: skip
    results.append(("notifications with a repeated dedupe key", keys, ""))
    # The same message to the same person about the same page within two seconds: a task run
    # twice, not two events (two edits, two kudos) that happen to read alike.
    twins = (
        Notification.objects.values("recipient", "kind", "url", "message")
        .annotate(n=Count("pk"), first=Min("created_at"), last=Max("created_at"))
        .filter(n__gt=1)
    )
    doubles = [t for t in twins if (t["last"] - t["first"]).total_seconds() < 2]
    results.append(("notifications sent twice (same person, kind, url, text < 2 s)",
                    len(doubles), f"{Notification.objects.count()} notifications"))  # fmt: skip
    over = Session.objects.annotate(
        confirmed=Count("signups", filter=Q(signups__status="confirmed"))
    ).filter(confirmed__gt=F("capacity"))
    results.append(("sessions over capacity", over.count(),
                    f"{Session.objects.count()} sessions"))  # fmt: skip
    givers = User.objects.filter(pk__in=KudosRecipient.objects.values("giver"))
    overspent = [u.username for u in givers if allowance_for(u).left < 0]
    detail = f"{givers.count()} givers, allowance {settings.RECOGNITION_MONTHLY_ALLOWANCE}"
    results.append(("givers beyond their monthly allowance", len(overspent), detail))
    return results


def locust_run(args, env: dict[str, str], plan_path: Path, var_dir: Path) -> list[dict]:
    """Locust, headless, in its own process group, bounded by --seconds; its stats rows."""
    prefix = var_dir / "locust"
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_locust.py"),
        "--headless", f"--users={args.users}", f"--spawn-rate={args.users}",
        f"--run-time={args.seconds}s", f"--host=http://{HOST}:{args.port}",
        f"--csv={prefix}", "--only-summary", "--loglevel=WARNING", "--stop-timeout=10",
    ]  # fmt: skip
    out = open(var_dir / "locust.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        command, cwd=ROOT, env={**env, "LOAD_PLAN": str(plan_path)},
        stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        process.wait(args.seconds + 60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        out.close()
    with open(f"{prefix}_stats.csv") as stats:
        return list(csv.DictReader(stats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long the traffic runs")
    parser.add_argument("--users", type=int, default=20, help="simulated people at once")
    parser.add_argument("--people", type=int, default=200, help="generated colleagues")
    parser.add_argument("--articles", type=int, default=150, help="generated articles")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8062)
    parser.add_argument("--database-url", default=os.environ.get(
        "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/huddle_load"))  # fmt: skip
    parser.add_argument("--redis-url", default=os.environ.get(
        "LOAD_REDIS_URL", "redis://127.0.0.1:6379/10"))  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the VAR_DIR (logs)")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="huddle-load-"))
    (var_dir / "logs").mkdir()
    env = production_env(args, var_dir)
    os.environ.update(env)
    procs = Processes(env, var_dir / "logs")
    # A Ctrl-C or a kill still stops every child (the finally below runs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>` shows where a slow run is
    try:
        started = time.monotonic()
        reset_stores(args)
        import django

        django.setup()
        seed(args)
        plan_path = plan(var_dir)
        print(f"seeded in {time.monotonic() - started:.0f} s")
        start_topology(procs, args)
        sampler = Sampler(args.redis_url)
        sampler.start()
        stats = locust_run(args, env, plan_path, var_dir)
        sampler.stop.set()
        sampler.join(70)
        waited = drain(args.redis_url)
        dead = procs.dead()
        found = checks()
        print_report(args, stats, sampler, waited, found, dead)
        failed = (
            any(n for _, n, _ in found) or dead or any(int(row["Failure Count"]) for row in stats)
        )
        return 1 if failed else 0
    finally:
        procs.stop_all()
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def print_report(args, stats, sampler, waited, found, dead) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nHuddle under load: gunicorn {args.web_workers} workers, 2 Celery workers, 1 "
          f"search-index worker, 1 beat; PostgreSQL, Redis; {args.users} people for "
          f"{args.seconds} s (load average now {load})\n")  # fmt: skip
    print(f"{'kind':<27} {'requests':>8} {'errors':>6} {'req/s':>7} {'median ms':>9} {'p95 ms':>7}")
    for row in stats:
        kind = f"{row['Type']} {row['Name']}".strip()
        print(f"{kind:<27} {row['Request Count']:>8} {row['Failure Count']:>6} "
              f"{float(row['Requests/s']):>7.1f} {row['50%']:>9} {row['95%']:>7}")  # fmt: skip
    print()
    for queue, lengths in sampler.lengths.items():
        if lengths:
            print(f"queue {queue:<13} length: mean {statistics.mean(lengths):.1f}, "
                  f"max {max(lengths)} ({len(lengths)} samples)")  # fmt: skip
    if sampler.lags:
        lags = sorted(sampler.lags)
        print(f"publish -> indexed: median {statistics.median(lags):.2f} s, max {lags[-1]:.2f} s "
              f"({len(lags)} probes, {sampler.unindexed} not indexed within 60 s)")  # fmt: skip
    print(f"queues empty {waited:.1f} s after the traffic stopped")
    if dead:
        print(f"PROCESSES THAT DIED: {', '.join(dead)}")
    print()
    for name, n, detail in found:
        print(f"{'ok  ' if n == 0 else 'FAIL'} {name}: {n}" + (f" ({detail})" if detail else ""))


if __name__ == "__main__":
    sys.exit(main())
