"""Personal API tokens as a DRF authentication class (`Authorization: Token <key>`), and its
security scheme in the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

INVALID = "This token is unknown or revoked, or its account is inactive."


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` with a key made on the tokens page. A request without
    that header is left to the other classes; one with it and a key that opens nothing
    (unknown, revoked, inactive account) is a 401 unless a session signed it in first."""

    keyword = "Token"

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as `Authorization: Token <key>`, with one key and no spaces."
            )
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        # Imported here: DRF loads this class with its settings, which may be before the
        # models are ready.
        from people.tokens import api_token_for_key, api_token_mark_used

        token = api_token_for_key(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(INVALID)
        api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Lists the token in the schema's security schemes (and the docs' Authorize button).
    Defined here, beside the class, so it is registered whenever the class is loaded."""

    target_class = "people.api_auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal API token made on your profile page, sent as "
            "`Token <key>` (the word Token, a space, the key). A revoked or unknown token, or "
            "one whose account is inactive, is a 401.",
        }
