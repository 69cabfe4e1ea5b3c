"""The authentication backend for sign-in via the municipality's identity provider."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from lotse.sso import config, reauth
from lotse.sso.services import IdentityRefused, identity_resolve, is_strong_authentication

logger = logging.getLogger(__name__)

#: Set on the user returned by :meth:`IdentityProviderBackend.authenticate` for the callback view.
STRONG_ATTRIBUTE = "_lotse_oidc_strong"
ISSUER_ATTRIBUTE = "_lotse_oidc_issuer"
#: Set on the request when the backend has already told the user why the sign-in failed.
REFUSED_ATTRIBUTE = "_lotse_oidc_refused"


def refuse(request: HttpRequest, message: str) -> None:
    messages.error(request, message)
    setattr(request, REFUSED_ATTRIBUTE, True)


class IdentityProviderBackend(OIDCAuthenticationBackend):
    """Authorization code flow (with PKCE and nonce), id token checked for signature (RS256 via
    the provider's JWKS), issuer, audience, expiry and nonce; the subject is mapped to an
    existing user by :func:`lotse.sso.services.identity_resolve`.

    Password sign-ins pass through: without the callback's ``nonce`` this backend answers None.
    """

    get_settings = staticmethod(config.oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The provider's endpoints are resolved per sign-in (discovery), not at start-up.
        self.UserModel = get_user_model()

    def _configure(self, provider: config.Provider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.algorithm
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:  # type: ignore[override]
        if request is None or "nonce" not in kwargs or not config.is_configured():
            return None
        try:
            self._configure(config.provider())
            return super().authenticate(request, **kwargs)
        except IdentityRefused as refused:
            logger.info("OIDC sign-in refused: %s", refused.code)
            refuse(request, refused.message)
        except (
            config.ProviderUnavailable,
            SuspiciousOperation,
            requests.RequestException,
            jwt.PyJWTError,
            KeyError,
            ValueError,
        ) as error:
            logger.warning("OIDC sign-in failed: %s", error)
            refuse(
                request,
                # de: Die Anmeldung über das Konto der Kommune konnte nicht bestätigt werden. Bitte versuchen Sie es erneut.
                _(
                    "The sign-in via the municipal account could not be confirmed. Please try again."
                ),
            )
        return None

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        """Signature, algorithm, issuer, audience and lifetime (the library skips the last three)."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"id token algorithm {header.get('alg')!r}")
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=60,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"id token rejected: {error}") from error
        audience = claims["aud"]
        if (
            isinstance(audience, list)
            and len(audience) > 1
            and claims.get("azp") != self.OIDC_RP_CLIENT_ID
        ):
            raise SuspiciousOperation("id token azp does not name this client")
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        if getattr(self.request, reauth.REAUTH_ATTRIBUTE, None) is not None:
            # Re-authentication: only the signed-in user's own identity counts (no linking).
            user = reauth.identity_of_signed_in_user(self.request, self.provider.issuer, payload)
            setattr(user, reauth.AUTH_TIME_ATTRIBUTE, payload.get("auth_time"))
            setattr(
                user,
                STRONG_ATTRIBUTE,
                is_strong_authentication(
                    payload, amr=self.provider.mfa_amr, acr=self.provider.mfa_acr
                ),
            )
            return user
        claims = dict(payload)
        if self.provider.userinfo_endpoint:
            info = self.get_userinfo(access_token, id_token, payload)
            if str(info.get("sub")) != str(payload["sub"]):  # OIDC Core § 5.3.2
                raise SuspiciousOperation("userinfo sub differs from the id token")
            claims = {**info, **payload}
        user = identity_resolve(
            issuer=self.provider.issuer,
            claims=claims,
            link_by_email=self.provider.link_by_email,
            request=self.request,
        )
        setattr(
            user,
            STRONG_ATTRIBUTE,
            is_strong_authentication(payload, amr=self.provider.mfa_amr, acr=self.provider.mfa_acr),
        )
        setattr(user, ISSUER_ATTRIBUTE, self.provider.issuer)
        return user

    def get_user(self, user_id: Any) -> Any:
        """Like the password backend: a deactivated user's session ends at the next request."""
        return ModelBackend.get_user(self, user_id)
