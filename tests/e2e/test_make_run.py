"""`make run` as a newcomer runs it: the app starts, the demo login works, worker and beat run."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120
# Set by this test process (pytest-django, config.settings_test, the browser fixtures) or by an
# enclosing `make`; a newcomer's shell has none of them, and the app must not inherit them.
INHERITED_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "CELERY_TASK_ALWAYS_EAGER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
}

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs `make` on PATH")


@dataclass
class Running:
    process: subprocess.Popen
    base_url: str
    log: Path

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace").splitlines()[-lines:]
        return "\n--- tail of `make run` output ---\n" + "\n".join(text)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(root: int) -> dict[int, str]:
    """Every process below `root`, by pid, with its command line (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: dict[int, str] = {}
    stack = [root]
    while stack:
        for pid in children.get(stack.pop(), []):
            try:
                cmdline = (Path("/proc") / str(pid) / "cmdline").read_bytes()
            except OSError:
                continue
            found[pid] = cmdline.replace(b"\0", b" ").decode(errors="replace")
            stack.append(pid)
    return found


def _stop(process: subprocess.Popen) -> None:
    # Web, worker and beat share make's process group, as they do in a newcomer's terminal
    # where Ctrl-C reaches them all: SIGTERM lets them shut down, SIGKILL ends stragglers.
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[Running]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_VARIABLES}
    env.update(PORT=str(port), VAR_DIR=str(tmp_path / "var"), DEBUG="true")
    log = tmp_path / "make-run.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["make", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Running(process, f"http://127.0.0.1:{port}", log)
    finally:
        _stop(process)


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait_for_login_page(running: Running, opener) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert running.process.poll() is None, "`make run` exited early" + running.tail()
        try:
            with opener.open(f"{running.base_url}/accounts/login/", timeout=5) as response:
                return response.read().decode()
        except HTTPError as error:
            pytest.fail(f"the login page answered {error.code}" + running.tail())
        except (URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"no login page within {STARTUP_SECONDS}s" + running.tail())


def _process_group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _wait_for_processes(running: Running, *needles: str) -> dict[int, str]:
    """Wait (briefly) until a descendant's command line contains each of the needles."""
    deadline = time.monotonic() + 30
    while True:
        # Only processes in make's group: those are what Ctrl-C in the terminal stops.
        processes = {
            pid: cmd
            for pid, cmd in _descendants(running.process.pid).items()
            if _process_group(pid) == running.process.pid
        }
        missing = [n for n in needles if not any(n in cmd for cmd in processes.values())]
        if not missing or time.monotonic() > deadline:
            return processes
        time.sleep(0.5)


def test_make_run_serves_the_demo_with_worker_and_beat(make_run: Running):
    opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect)
    login_page = _wait_for_login_page(make_run, opener)

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
    assert token, "no CSRF token in the login form" + make_run.tail()
    form = {"csrfmiddlewaretoken": token[1], "username": "agent", "password": "huddle-demo"}
    request = Request(f"{make_run.base_url}/accounts/login/", data=urlencode(form).encode())
    try:
        with opener.open(request, timeout=10) as response:
            status, location = response.status, None
    except HTTPError as answer:  # the redirect, since the opener does not follow it
        status, location = answer.code, answer.headers["Location"]
    assert (status, location) == (302, "/"), f"login answered {status}" + make_run.tail()

    with opener.open(f"{make_run.base_url}/", timeout=10) as home:
        status, body = home.status, home.read().decode()
    assert status == 200, make_run.tail()
    worker, beat = "celery -A config worker", "celery -A config beat"
    processes = _wait_for_processes(make_run, worker, beat)
    commands = "\n".join(processes.values())
    assert any(worker in cmd for cmd in processes.values()), commands + make_run.tail()
    assert any(beat in cmd for cmd in processes.values()), commands + make_run.tail()

    # The demo agent's seeded name, so the page really comes from the seeded demo data.
    heading = re.search(r"<h1>(.*?)</h1>", body)
    assert heading, "no heading on the home page" + make_run.tail()
    assert heading[1] == "Hello, Alex Agent", make_run.tail()
