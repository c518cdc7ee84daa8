"""WSGI module for benchmarks served from outside (`gunicorn bench.bare_wsgi`): Huddle as
`config.wsgi` serves it, plus the bare view of `bench/pages.py` at /bench-bare/, last in the
URL conf, so a page's requests per second can be compared with Django's floor in the same
server."""

from __future__ import annotations

from bench.pages import serve_bare_view
from config.wsgi import application  # noqa: F401  (sets Django up first)

serve_bare_view()
