"""`make run` as a newcomer runs it: the app starts, the demo login works, worker and beat run,
emails link to the port it serves on, and stopping it (Ctrl-C, or SIGTERM to it or its process
group) stops every process it started within seconds."""

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
# Web, workers and beat share make's process group; the workers run no prefork children.
SHUTDOWN_SECONDS = 8
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
    var_dir: Path

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


def _stop(process: subprocess.Popen, var_dir: Path) -> None:
    # As a terminal closing would: SIGTERM to make's process group, which web, workers and beat
    # share. Whatever a failed test leaves behind is killed.
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for pid in _started_by(str(var_dir)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[Running]:
    port = _free_port()
    # And no SITE_URL or EMAIL_URL: `make run` derives SITE_URL from PORT, and the test reads
    # the emails that the default backend prints to the console.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in INHERITED_VARIABLES | {"SITE_URL", "EMAIL_URL"}
    }
    var_dir = tmp_path / "var"
    env.update(PORT=str(port), VAR_DIR=str(var_dir), DEBUG="true")
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
        yield Running(process, f"http://127.0.0.1:{port}", log, var_dir)
    finally:
        _stop(process, var_dir)


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


def _wait_for_processes(running: Running, *needles: str) -> dict[int, str]:
    """Wait (briefly) until a descendant's command line contains each of the needles."""
    deadline = time.monotonic() + 30
    while True:
        # They all run in make's process group, and stop with it: the stopping tests below
        # check that.
        processes = _descendants(running.process.pid)
        missing = [n for n in needles if not any(n in cmd for cmd in processes.values())]
        if not missing or time.monotonic() > deadline:
            return processes
        time.sleep(0.5)


def _started_by(var_dir: str) -> dict[int, str]:
    """Every process on the machine whose environment has this run's VAR_DIR: whatever
    `make run` started, including any that outlived their parent and were re-parented."""
    marker = f"VAR_DIR={var_dir}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # gone, or not ours to read
            continue
        if cmdline:  # a zombie has none: it is dead, only not yet reaped
            found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace")
    return found


def _wait_for_email_line(running: Running, needle: str) -> str | None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines = [ln for ln in running.log.read_text(errors="replace").splitlines() if needle in ln]
        if lines:
            return lines[0]
        time.sleep(0.5)
    return None


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

    # The demo's notifications are emailed (one line each on the console), linking to the
    # port this run serves on, not to the default 8000.
    email = _wait_for_email_line(make_run, "Email to ")
    assert email, "no email printed" + make_run.tail()
    assert f"<{make_run.base_url}/notifications/" in email, email + make_run.tail()


@pytest.mark.parametrize(
    ("whom", "signum"),
    [
        # Ctrl-C in the terminal: SIGINT to the foreground process group, make's.
        pytest.param("group", signal.SIGINT, id="ctrl-c"),
        pytest.param("group", signal.SIGTERM, id="sigterm-to-the-group"),
        pytest.param("make", signal.SIGTERM, id="sigterm-to-make"),
    ],
)
def test_stopping_make_run_stops_every_process_within_seconds(
    make_run: Running, whom: str, signum: signal.Signals
):
    opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect)
    _wait_for_login_page(make_run, opener)
    worker, beat = "celery -A config worker", "celery -A config beat"
    _wait_for_processes(make_run, worker, beat)
    var_dir = str(make_run.var_dir)
    started = _started_by(var_dir)
    assert sum(worker in cmd for cmd in started.values()) >= 2, "\n".join(started.values())

    stopped_at = time.monotonic()
    if whom == "group":
        os.killpg(make_run.process.pid, signum)
    else:
        make_run.process.send_signal(signum)
    while time.monotonic() - stopped_at < SHUTDOWN_SECONDS:
        left = _started_by(var_dir)
        if not left and make_run.process.poll() is not None:
            break
        time.sleep(0.2)
    took = time.monotonic() - stopped_at
    assert make_run.process.poll() is not None, f"make still runs after {took:.1f}s"
    assert not left, (
        f"still running {took:.1f}s after {signal.Signals(signum).name} to {whom}:\n"
        + "\n".join(f"{pid} {cmd}" for pid, cmd in left.items())
        + make_run.tail()
    )
