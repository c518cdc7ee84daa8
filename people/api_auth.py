"""Personal API tokens as a DRF authentication class (`Authorization: Token <key>`).

Placeholder until the token model lands: it authenticates nobody, so the session stays the
only way in."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication


class TokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        return None

    def authenticate_header(self, request) -> str:
        return self.keyword
