"""One error body for every API failure:

    {"detail": "<what went wrong, for a person>", "code": "<for a program>",
     "fields": {"<field>": ["<message>", ...]}}

`fields` is there for validation errors only (400 with code `invalid`), naming each refused
field; an item of a list or a nested object is named by its path (`recipients.0`). Messages
that belong to no field are in `detail`. Every status (400, 401, 403, 404, 405, 406, 415, 429)
answers this shape; the schema documents it (`people.api_schema`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = {"non_field_errors", "__all__"}
INVALID_FIELDS = "Some fields are invalid; see `fields`."


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, exceptions.AuthenticationFailed):
        # A token was sent and opens nothing. DRF turns this into a 403 when the first
        # authentication class (the session) names no scheme; the API always offers the token
        # scheme, so it is a 401 that says which.
        exc.status_code = status.HTTP_401_UNAUTHORIZED
        exc.auth_header = "Token"
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API refusal: a server error, left to Django
    response.data = error_body(exc)
    return response


def error_body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        fields: dict[str, list[str]] = {}
        general: list[str] = []
        for name, messages in _flatten(exc.detail, ""):
            if name in NON_FIELD or not name:
                general.extend(messages)
            else:
                fields.setdefault(name, []).extend(messages)
        detail = " ".join(general) or INVALID_FIELDS
        return {"detail": detail, "code": "invalid", "fields": fields}
    code = getattr(exc.detail, "code", None) or exc.default_code
    text = exc.detail if isinstance(exc.detail, str) else " ".join(_messages(exc.detail))
    return {"detail": str(text) or str(exc.default_detail), "code": str(code)}


def _flatten(detail, path: str):
    """(field path, messages) for each place in a validation error's nested detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = str(key)
            inner = key if not path or key in NON_FIELD else f"{path}.{key}"
            if path and key in NON_FIELD:
                inner = path
            yield from _flatten(value, inner)
    elif isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        # A list of nested results (one per item of a list field), empty ones for valid items.
        for position, item in enumerate(detail):
            if isinstance(item, (dict, list)):
                yield from _flatten(item, f"{path}.{position}" if path else str(position))
            else:
                yield path, [str(item)]
    else:
        yield path, _messages(detail)


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [text for value in detail.values() for text in _messages(value)]
    if isinstance(detail, list):
        return [text for value in detail for text in _messages(value)]
    return [str(detail)]
