"""One error body for every API failure. Placeholder: DRF's own handler until it lands."""

from __future__ import annotations

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    return drf_exception_handler(exc, context)
