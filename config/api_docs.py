"""The API docs page (Swagger UI) under the site's Content Security Policy.

drf-spectacular's page carries one inline <style> block, which style-src 'self' refuses. That
block, and only it, is allowed on this page alone, by its hash (read from the template in use,
so an upgrade that changes it stays allowed); every other page keeps the strict policy.
"""

from __future__ import annotations

import base64
import hashlib
import re

from csp.decorators import csp_update
from django.template.loader import get_template
from drf_spectacular.views import SpectacularSwaggerSplitView

STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def inline_style_hashes(template_name: str) -> list[str]:
    """CSP sources ('sha256-…') for each literal <style> block of a template."""
    source = get_template(template_name).template.source
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
        for block in STYLE_BLOCK.findall(source)
    ]


def docs_view(*, url_name: str):
    view = SpectacularSwaggerSplitView.as_view(url_name=url_name)
    styles = inline_style_hashes(SpectacularSwaggerSplitView.template_name)
    return csp_update({"style-src": styles})(view)
