"""Project-wide middleware."""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequiredMiddleware


class LoginRequiredMiddleware(_LoginRequiredMiddleware):
    """Django's default-deny login check, except for the API.

    API clients get DRF's 403 with a JSON body from its IsAuthenticated permission rather
    than a redirect to an HTML login page they cannot use.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match and request.resolver_match.namespace.startswith("api"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
