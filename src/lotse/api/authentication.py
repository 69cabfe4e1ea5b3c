"""``Authorization: Bearer <token>`` (and ``Token <token>`` for older clients)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from lotse.api.models import ApiToken
from lotse.api.services import TokenRefused, token_authenticate

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    """Hashed, expiring tokens (:class:`lotse.api.models.ApiToken`).

    Errors are 401 with a German ``detail``; the ``WWW-Authenticate`` header names the
    Bearer scheme (RFC 6750).
    """

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            # de: Ungültige Anmeldedaten: Nach „Bearer“ muss genau ein Token folgen.
            raise exceptions.AuthenticationFailed(
                _("Invalid credentials: “Bearer” must be followed by exactly one token.")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            # de: Ungültiger Token.
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        try:
            token = token_authenticate(secret)
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(refused.message, refused.code) from None
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
