"""OpenID Connect configuration from ``LOTSE_OIDC_*`` (see docs/operations.md).

Sign-in via the identity provider is active only when the issuer, the client id and the client
secret are set. The endpoints come from the provider's discovery document
(``<issuer>/.well-known/openid-configuration``) unless they are set explicitly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from mozilla_django_oidc.utils import import_from_settings

DISCOVERY_TTL_SECONDS = 3600
_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}


class ProviderUnavailable(Exception):
    """The discovery document could not be fetched or does not fit the configuration."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_endpoint: str
    userinfo_endpoint: str | None
    scopes: str
    algorithm: str
    link_by_email: bool
    mfa_amr: frozenset[str]
    mfa_acr: frozenset[str]
    timeout: int


def is_configured() -> bool:
    return bool(
        settings.LOTSE_OIDC_ISSUER
        and settings.LOTSE_OIDC_CLIENT_ID
        and settings.LOTSE_OIDC_CLIENT_SECRET
    )


def _discovery(issuer: str, timeout: int) -> dict[str, Any]:
    cached = _discovery_cache.get(issuer)
    if cached and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
        return cached[1]
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=timeout)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"discovery {url}: {error}") from error
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        # OpenID Connect Discovery 1.0 § 4.3: the issuer must be exactly the configured one.
        raise ProviderUnavailable(f"discovery {url}: issuer {document.get('issuer')!r}")
    _discovery_cache[issuer] = (time.monotonic(), document)
    return document


def provider() -> Provider:
    """The configuration with every endpoint resolved; raises :class:`ProviderUnavailable`."""
    issuer = str(settings.LOTSE_OIDC_ISSUER)
    timeout = int(settings.LOTSE_OIDC_TIMEOUT)
    explicit = {
        "authorization_endpoint": settings.LOTSE_OIDC_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.LOTSE_OIDC_TOKEN_ENDPOINT,
        "jwks_uri": settings.LOTSE_OIDC_JWKS_ENDPOINT,
        "userinfo_endpoint": settings.LOTSE_OIDC_USERINFO_ENDPOINT,
    }
    required = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    document: dict[str, Any] = {}
    if not all(explicit[key] for key in required):
        document = _discovery(issuer, timeout)
    endpoints = {key: explicit[key] or document.get(key) or "" for key in explicit}
    missing = [key for key in required if not endpoints[key]]
    if missing:
        raise ProviderUnavailable(f"missing endpoints: {', '.join(missing)}")
    return Provider(
        issuer=issuer,
        client_id=str(settings.LOTSE_OIDC_CLIENT_ID),
        client_secret=str(settings.LOTSE_OIDC_CLIENT_SECRET),
        authorization_endpoint=endpoints["authorization_endpoint"],
        token_endpoint=endpoints["token_endpoint"],
        jwks_endpoint=endpoints["jwks_uri"],
        userinfo_endpoint=endpoints["userinfo_endpoint"] or None,
        scopes=str(settings.LOTSE_OIDC_SCOPES),
        algorithm=str(settings.LOTSE_OIDC_SIGN_ALGO),
        link_by_email=bool(settings.LOTSE_OIDC_LINK_BY_EMAIL),
        mfa_amr=frozenset(settings.LOTSE_OIDC_MFA_AMR),
        mfa_acr=frozenset(settings.LOTSE_OIDC_MFA_ACR),
        timeout=timeout,
    )


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, answered from ``LOTSE_OIDC_*`` (its ``get_settings``)."""
    fixed: dict[str, Any] = {
        "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:oidc_callback",
        "OIDC_CREATE_USER": False,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_VERIFY_SSL": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_REDIRECT_ALLOWED_HOSTS": [],
        "OIDC_TOKEN_USE_BASIC_AUTH": False,
    }
    if attr in fixed:
        return fixed[attr]
    if attr == "LOGIN_REDIRECT_URL_FAILURE":
        return reverse("login")
    if attr == "OIDC_TIMEOUT":
        return int(settings.LOTSE_OIDC_TIMEOUT)
    if attr == "OIDC_RP_SCOPES":
        return str(settings.LOTSE_OIDC_SCOPES)
    return import_from_settings(attr, *default)


@receiver(setting_changed)
def _forget_discovery(setting: str, **kwargs: Any) -> None:
    if setting.startswith("LOTSE_OIDC_"):
        _discovery_cache.clear()
