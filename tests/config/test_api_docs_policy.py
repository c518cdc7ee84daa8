"""The API docs page allows exactly its own inline style, by hash; other pages allow none."""

from __future__ import annotations

import base64
import hashlib
import re


def _style_sources(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directive = next(d.strip() for d in policy.split(";") if d.strip().startswith("style-src"))
    return directive.split()[1:]


def test_the_docs_page_allows_its_inline_style_by_hash(agent_client):
    response = agent_client.get("/api/docs/")
    assert response.status_code == 200
    blocks = re.findall(r"<style>(.*?)</style>", response.content.decode(), re.DOTALL)
    assert blocks
    expected = {
        f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in blocks
    }
    sources = _style_sources(response)
    assert "'self'" in sources
    assert expected <= set(sources)
    assert "'unsafe-inline'" not in sources


def test_other_pages_keep_the_strict_style_policy(agent_client):
    assert _style_sources(agent_client.get("/")) == ["'self'"]
