"""The API schema, made once per process, and the docs page (Swagger UI) under the site's
Content Security Policy.

drf-spectacular's page carries one inline <style> block, which style-src 'self' refuses. That
block, and only it, is allowed on this page alone, by its hash (read from the template in use,
so an upgrade that changes it stays allowed); every other page keeps the strict policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import ClassVar

from csp.decorators import csp_update
from django.http import HttpResponse
from django.template.loader import get_template
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

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


class SchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, generated and rendered once per process for each
    (version, language, format) instead of on every request (~145 ms, most of it walking every
    viewset and dumping YAML). The schema depends only on the code: every view's serializers
    and permissions are chosen by action and method, never by the reader, and it is served
    whole (`SERVE_PUBLIC`) to anyone signed in; it changes only with a deploy, which starts new
    processes."""

    _rendered: ClassVar[dict[tuple, tuple[bytes, str, str]]] = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        key = (version, translation.get_language(), type(renderer), media_type)
        if key not in self._rendered:
            response = super()._get_schema_response(request)
            content = renderer.render(response.data, media_type, self.get_renderer_context())
            if renderer.charset:
                media_type = f"{media_type}; charset={renderer.charset}"
            self._rendered[key] = (content, media_type, response["Content-Disposition"])
        content, content_type, disposition = self._rendered[key]
        return HttpResponse(
            content, content_type=content_type, headers={"Content-Disposition": disposition}
        )
