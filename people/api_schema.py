"""The API's error body in the OpenAPI schema, shared by every app's api module.

`error_response(description)` documents one refusal of an operation with the one error body
(`people.api_errors`). The postprocessing hook `document_errors` then holds the whole schema
to it, so an operation written without these helpers is documented right too:

- every 4xx response of every operation gets the `ApiError` body (whatever its module wrote);
- every operation documents 401, 403 and 429 (any request can lack credentials, be refused,
  or be throttled), 404 where a path parameter names a row or a page number may be past the
  end, and 400 where it takes a body (one that cannot be parsed)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

ERROR_COMPONENT = "ApiError"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for a person to read."},
        "code": {
            "type": "string",
            "description": "What went wrong, for a program: `invalid` (see `fields`), "
            "`parse_error`, `not_authenticated`, `authentication_failed`, "
            "`permission_denied`, `not_found`, `method_not_allowed`, `throttled`...",
        },
        "fields": {
            "type": "object",
            "description": "Validation errors only: messages by field (an item of a list or "
            "a nested object by its path, `recipients.0`).",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "code"],
}


def error_response(description: str) -> OpenApiResponse:
    """One documented refusal of an operation (`responses={404: error_response("...")}`)."""
    return OpenApiResponse(ERROR_SCHEMA, description=description)


NOT_FOUND = error_response("No such row that you may see, or no such page.")
BAD_REQUEST = error_response(
    "Refused, nothing saved: `detail` says why, `fields` lists the messages by field."
)
THROTTLED = error_response("Too many requests in a short time: wait (`Retry-After`) and retry.")

# What the hook adds where an operation does not say it.
EVERY_OPERATION = {
    "401": "A token was sent that is unknown or revoked, or whose account is inactive.",
    "403": "Not signed in (no session and no token), or not allowed to do this.",
    "429": "Too many requests in a short time: wait (`Retry-After`) and retry.",
}
WITH_ROW_OR_PAGE = "No such row that you may see, or no such page."
WITH_BODY = "The body cannot be read, or is refused: see `detail` and `fields`."


def document_errors(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in _expected_errors(operation).items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if str(code).startswith("4"):
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
    return result


def _expected_errors(operation: dict) -> dict[str, str]:
    expected = dict(EVERY_OPERATION)
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" for p in parameters) or any(
        p.get("in") == "query" and p.get("name") == "page" for p in parameters
    ):
        expected["404"] = WITH_ROW_OR_PAGE
    if "requestBody" in operation:
        expected["400"] = WITH_BODY
    return expected
