"""Project-wide middleware."""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequiredMiddleware
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import timezone


class LoginRequiredMiddleware(_LoginRequiredMiddleware):
    """Django's default-deny login check, except for the API.

    API clients get DRF's 403 with a JSON body from its IsAuthenticated permission rather
    than a redirect to an HTML login page they cannot use.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match and request.resolver_match.namespace.startswith("api"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class InputSanityMiddleware:
    """Refuses, with HTTP 400 and a message, input that no page can use, before any view or
    query sees it (each was a 500 somewhere):

    - a NUL character in a page's address, a parameter's name or value, or a form field:
      PostgreSQL refuses NUL in text, so it failed in whichever query first got it, and no
      person types one;
    - a field naming an account (`username`) longer than any account's name: the lockout
      records attempted names in a column of 255 characters.

    A cookie with a NUL character counts as no cookie (a session key with one failed its
    lookup). The API is left to validate its own parameters, which it documents (a NUL in
    `?q=` is a 400 listing the parameter, in a person's name a 404).
    """

    NUL_MESSAGE = (
        "This request contains a NUL character, which no page of Huddle accepts. "
        "Remove it from the address or the form and try again."
    )

    def __init__(self, get_response):
        self.get_response = get_response
        from people.models import User  # models are ready once middleware is built

        self.identifier_limits = {"username": User._meta.get_field("username").max_length}

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if "\x00" in value]:
            del request.COOKIES[name]
        if not request.path_info.startswith("/api/"):
            message = self.refusal(request)
            if message:
                return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))
        return self.get_response(request)

    def refusal(self, request) -> str | None:
        if "\x00" in request.path:
            return self.NUL_MESSAGE
        # Reading POST here parses the body once, as the CSRF check would; a body that cannot
        # be parsed raises Django's own 400 (MultiPartParserError, RequestDataTooBig).
        for data in (request.GET, request.POST):
            for name, values in data.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return self.NUL_MESSAGE
                limit = self.identifier_limits.get(name)
                if limit and any(len(value) > limit for value in values):
                    return f"A {name} has at most {limit} characters."
        return None


class ViewerTimeZoneMiddleware:
    """Pages render, and forms read, dates and times on the signed-in person's own clock
    (`User.zone`); everyone else, and everything stored, stays in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with timezone.override(user.zone):
            return self.get_response(request)
