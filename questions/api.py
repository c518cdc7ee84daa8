"""The REST API of this app (placeholder until its endpoints land).

`ROUTES` are registered on the project's router (prefix, viewset, basename); `PATHS` are
added beside them under /api/."""

from __future__ import annotations

ROUTES: list = []
PATHS: list = []
