"""Bearer-token authentication for /api/v1/. A valid token makes its owner the request's user, so every selector
and policy below answers exactly as on the screens. A missing, wrong, expired or revoked token is 401. Public
endpoints (the report form, the status check, the public figures) take no token, as the public site."""

from __future__ import annotations

from ninja.security import HttpBearer

from perisai.api import selectors, services


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = selectors.token_for_secret(token)
        if found is None:
            return None
        services.token_mark_used(token=found)
        request.user = found.user
        request.api_token = found
        return found


token_auth = TokenAuth()
