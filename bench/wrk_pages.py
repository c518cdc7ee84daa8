"""Pages under wrk: requests per second of every page of Huddle served by gunicorn, measured
from outside, against a bare Django view in the same server.

Run from the project root (needs wrk: `apt-get install -y wrk` on Debian/Ubuntu):

    .venv/bin/python bench/wrk_pages.py
    .venv/bin/python bench/wrk_pages.py --seconds 3 --only kb
    .venv/bin/python bench/wrk_pages.py --only 'home,article detail'

In a throw-away VAR_DIR (SQLite, Whoosh, the demo organisation seeded and indexed, static
files collected), deleted at the end, gunicorn serves `bench.bare_wsgi` (Huddle plus the bare
view of `bench/pages.py`) with --workers sync workers, DEBUG off, over plain http on loopback.
Each page of `bench/pages.py`'s PAGES is requested as its demo user (a session made by a real
log-in) by wrk for --seconds with --connections connections; the bare view (as agent) is
measured before the first page and after each app, and each page's requests per second are
given as a percentage of the median of those. Figures, not a test: it exits 0 unless the
server does not start.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import throwaway  # noqa: E402
from bench.pages import BARE, PAGES, Page, demo_ids  # noqa: E402

HOST = "127.0.0.1"


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk is not installed: `apt-get install -y wrk` (Debian/Ubuntu) or "
                 "`brew install wrk` (macOS), then run this again.")  # fmt: skip
    return wrk


def server_env(var_dir: Path, secret_key: str) -> dict[str, str]:
    """Production settings over plain http on loopback, on the throw-away data."""
    env = dict(os.environ)
    env.update(
        DEBUG="false", SECRET_KEY=secret_key, ALLOWED_HOSTS=f"{HOST},localhost",
        VAR_DIR=str(var_dir), STATIC_ROOT=str(var_dir / "static"),
        SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false", SECURE_HSTS_SECONDS="0",
        CELERY_TASK_ALWAYS_EAGER="true", EMAIL_URL="dummymail://", LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )  # fmt: skip
    for name in ("DATABASE_URL", "SEARCH_URL", "CELERY_QUEUE_DIR", "REDIS_URL"):
        env.pop(name, None)
    return env


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int):
    """gunicorn in its own process group, stopped (group and all) however the run ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.bare_wsgi", f"--bind={HOST}:{port}",
         f"--workers={workers}", "--log-level=warning", "--graceful-timeout=5"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(port, process)
        yield process
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen, grace: float = 10) -> None:
    """SIGTERM to the leader (gunicorn's master stops its workers itself), then SIGKILL to
    whatever of its group is left."""
    with contextlib.suppress(ProcessLookupError):
        process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError):
            status(port, "/accounts/login/", {})
            return
        time.sleep(0.3)
    sys.exit("gunicorn did not answer within a minute")


def status(port: int, url: str, headers: dict[str, str]) -> tuple[int, str]:
    """One request: (status, Location)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def log_in(port: int, username: str, password: str) -> str:
    """A real log-in through the login form; returns the Cookie header of its session."""
    from http.cookies import SimpleCookie

    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", "/accounts/login/")
        response = connection.getresponse()
        page = response.read().decode()
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
        connection.request("POST", "/accounts/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={m.value}" for k, m in jar.items()),
        })  # fmt: skip
        response = connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        if response.status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"log-in as {username} answered {response.status}")
        return "; ".join(f"{k}={m.value}" for k, m in jar.items() if m.value)
    finally:
        connection.close()


def run_wrk(wrk: str, port: int, page: Page, url: str, cookie: str | None, args) -> dict:
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s",
               "--latency", "--timeout=30s"]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if page.htmx:
        command += ["-H", "HX-Request: true"]
    out = subprocess.run(
        [*command, f"http://{HOST}:{port}{url}"], capture_output=True, text=True, check=False
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": float(p50.group(1)) * scale[p50.group(2)] if p50 else float("nan"),
        "p99": float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        "non2xx": int(bad.group(1)) if bad else 0,
        "errors": errors.group(0) if errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=2, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8061)
    parser.add_argument(
        "--only", default="", help="only pages whose app, label or URL has this (a,b: either)"
    )
    args = parser.parse_args()
    wrk = require_wrk()
    secret_key = secrets.token_urlsafe(50)  # the sessions made below are signed with it
    os.environ["SECRET_KEY"] = secret_key
    with throwaway.huddle("wrk", demo=True) as var_dir:
        from people.demo import DEMO_PASSWORD

        ids = demo_ids()  # before the server starts: it may create the agent's feed
        env = server_env(var_dir, secret_key)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        only = [part.strip() for part in args.only.lower().split(",")]
        jobs = [
            (app, page._replace(user=page.user and page.user.format(**ids)), page.url.format(**ids))
            for app, pages in PAGES.items()
            for page in pages
            if any(part in f"{app} {page.label} {page.url}".lower() for part in only)
        ]
        with gunicorn(env, args.port, args.workers):
            cookies = {
                user: log_in(args.port, user, DEMO_PASSWORD)
                for user in {"agent", *(page.user for _, page, _ in jobs if page.user)}
            }
            bare_page = Page("bare view", BARE, "agent")
            bare = [run_wrk(wrk, args.port, bare_page, BARE, cookies["agent"], args)["rps"]]
            rows, last_app = [], None
            for app, page, url in jobs:
                if last_app is not None and app != last_app:
                    bare.append(
                        run_wrk(wrk, args.port, bare_page, BARE, cookies["agent"], args)["rps"]
                    )
                last_app = app
                headers = {"Cookie": cookies[page.user]} if page.user else {}
                if page.htmx:
                    headers["HX-Request"] = "true"
                code, location = status(args.port, url, headers)
                result = run_wrk(wrk, args.port, page, url, cookies.get(page.user), args)
                rows.append((app, page, url, code, location, result))
            bare.append(run_wrk(wrk, args.port, bare_page, BARE, cookies["agent"], args)["rps"])
        report(rows, bare, args)


def report(rows, bare: list[float], args) -> None:
    floor = statistics.median(bare)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nHuddle pages under wrk: gunicorn, {args.workers} sync workers; wrk {args.threads} "
          f"threads, {args.connections} connections, {args.seconds} s per page "
          f"(load average now {load})\n")  # fmt: skip
    print(f"{'page':<26} {'user':<11} {'status':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'% bare':>7}")  # fmt: skip
    last_app, below = None, []
    for app, page, url, code, location, result in rows:
        if app != last_app:
            print(f"-- {app}")
            last_app = app
        share = 100 * result["rps"] / floor
        print(f"{page.label:<26} {page.user or '-':<11} {code:>6} {result['rps']:>8.1f} "
              f"{result['p50']:>8.1f} {result['p99']:>8.1f} {share:>6.1f}%")  # fmt: skip
        if code != 200:
            print(f"   WARNING: {url} answered {code}" + (f": {location}" if location else ""))
        if result["non2xx"] or result["errors"]:
            print(f"   WARNING: {result['non2xx']} non-2xx/3xx answers {result['errors']}")
        if code == 200 and share < 10:
            below.append(page.label)
    print(f"\nbare view ({BARE}, as agent): median {floor:.1f} req/s over {len(bare)} runs "
          f"({', '.join(f'{x:.0f}' for x in bare)})")  # fmt: skip
    ok = len([r for r in rows if r[3] == 200]) - len(below)
    print(f"pages at >= 10% of the bare view: {ok} of {len([r for r in rows if r[3] == 200])}")
    if below:
        print("below 10%: " + ", ".join(below))


if __name__ == "__main__":
    main()
