"""Settings for the test suite: the real settings, pointed at a throw-away var/ directory."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
# Each pytest-xdist worker ("gw0", "gw1"...) gets its own var/ (SQLite file, Whoosh index,
# queue), as pytest-django gives each its own test database. Workers inherit the VAR_DIR the
# controller set, so the worker's name is appended to whatever it is.
_var_dir = Path(os.environ.get("VAR_DIR") or Path(__file__).resolve().parent.parent / "var/test")
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and _var_dir.name != _worker:
    _var_dir = _var_dir / _worker
os.environ["VAR_DIR"] = str(_var_dir)
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from config.settings import *  # noqa: E402, F403
from config.settings import DATABASES, INSTALLED_APPS, VAR_DIR  # noqa: E402

# A test-only app with one indexed model: what any app does to put a model into search.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.searchkit.notes"]

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the source folders, as in development, so browser tests get CSS
# and JavaScript without a collectstatic step.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Every test starts from an empty cache; Redis is exercised through the Celery broker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits count in that memory, one per test process, emptied before each test.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A real file, not SQLite's in-memory default, so worker subprocesses share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    # No persistent connections, so nothing holds the test database open at teardown.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
