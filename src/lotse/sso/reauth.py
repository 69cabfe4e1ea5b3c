"""Re-authentication at the identity provider (for users who sign in only there).

The confirmation page (``/anmelden/bestaetigen/``) offers a button that posts to
``sso:oidc_reauth``; it starts an authorization request with ``prompt=login`` and ``max_age=0``
and keeps ``next`` and the kept form entries in the session under the request's ``state``. The
shared callback hands such a state to :func:`callback`: the id token must name the *same*
identity as the signed-in user and carry a recent ``auth_time``; the session's user never
changes. On success the re-authentication time is set like the password path does.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from lotse.accounts import mfa
from lotse.accounts.reauth import reauth_url
from lotse.audit.services import audit_log
from lotse.sso import config
from lotse.sso.models import ExternalIdentity

logger = logging.getLogger(__name__)

SESSION_PENDING = "lotse_oidc_reauth"
#: On the request during a re-authentication callback: the pending entry (see the backend).
REAUTH_ATTRIBUTE = "_lotse_oidc_reauth"
AUTH_TIME_ATTRIBUTE = "_lotse_oidc_auth_time"
#: How old the provider's ``auth_time`` may be (it should be "just now" with ``max_age=0``).
MAX_AUTH_AGE_SECONDS = 300
CLOCK_SKEW_SECONDS = 60
MAX_PENDING = 5


class ReauthRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def has_identity(user: Any) -> bool:
    if not (config.is_configured() and getattr(user, "is_authenticated", False)):
        return False
    return ExternalIdentity.objects.filter(
        user=user, issuer=str(settings.LOTSE_OIDC_ISSUER)
    ).exists()


def _next_and_carried(request: HttpRequest) -> tuple[str, list[tuple[str, str]]]:
    from lotse.accounts.views import safe_next

    next_url = safe_next(request, request.POST.get("next"))
    carried = [
        (key[len("carried:") :], value)
        for key, values in request.POST.lists()
        if key.startswith("carried:")
        for value in values
    ]
    return next_url, carried


def reauth_page_url(request: HttpRequest) -> str:
    return reauth_url(_next_and_carried(request)[0])


def remember_pending(request: HttpRequest, response: HttpResponse) -> None:
    """Keep ``next`` and the entries under the ``state`` of the authorization request."""
    location = urlparse(response.get("Location", ""))
    state = (parse_qs(location.query).get("state") or [""])[0]
    if not state:
        return  # the provider could not be reached; the start view said so
    next_url, carried = _next_and_carried(request)
    pending = dict(request.session.get(SESSION_PENDING) or {})
    for stale_state in list(pending)[: max(0, len(pending) - MAX_PENDING + 1)]:
        del pending[stale_state]  # abandoned confirmations (oldest first)
    pending[state] = {
        "user": str(request.user.pk),
        "next": next_url,
        "carried": carried,
        "started": int(time.time()),
    }
    request.session[SESSION_PENDING] = pending


def take_pending(request: HttpRequest) -> dict[str, Any] | None:
    """The pending re-authentication for this callback's ``state`` (removed from the session)."""
    state = request.GET.get("state")
    pending = request.session.get(SESSION_PENDING) or {}
    if not state or state not in pending:
        return None
    entry = dict(pending.pop(state))
    request.session[SESSION_PENDING] = pending
    return entry


def _other_account() -> ReauthRefused:
    return ReauthRefused(
        _(
            "The confirmation was made with a different municipal account than the one you are signed in with. Please confirm with your own account."  # de: Die Bestätigung erfolgte mit einem anderen Konto der Kommune als dem, mit dem Sie angemeldet sind. Bitte bestätigen Sie mit Ihrem eigenen Konto.
        )
    )


def identity_of_signed_in_user(request: HttpRequest, issuer: str, claims: dict[str, Any]) -> Any:
    """The signed-in user, if ``claims['sub']`` is *their* identity (never another user)."""
    subject = str(claims.get("sub") or "")
    user = request.user
    if (
        not subject
        or not ExternalIdentity.objects.filter(
            user_id=str(user.pk), issuer=issuer, subject=subject
        ).exists()
    ):
        raise _other_account()
    return user


def _check_auth_time(claims_auth_time: Any, started: int) -> None:
    now = int(time.time())
    if (
        not isinstance(claims_auth_time, int | float)
        or isinstance(claims_auth_time, bool)
        or claims_auth_time > now + CLOCK_SKEW_SECONDS
        or now - claims_auth_time > MAX_AUTH_AGE_SECONDS
        or claims_auth_time < started - CLOCK_SKEW_SECONDS
    ):
        raise ReauthRefused(
            _(
                "The municipality's sign-in service did not confirm a new sign-in. Please try again."  # de: Der Anmeldedienst der Kommune hat keine neue Anmeldung bestätigt. Bitte versuchen Sie es erneut.
            )
        )


def _not_confirmed() -> str:
    return _(
        "The confirmation via the municipal account has failed. Please try again."  # de: Die Bestätigung über das Konto der Kommune ist fehlgeschlagen. Bitte versuchen Sie es erneut.
    )


def _confirm(request: HttpRequest, pending: dict[str, Any]) -> bool:
    """Runs the code exchange and the checks; True when strong (second factor at the provider)."""
    from lotse.sso.backends import STRONG_ATTRIBUTE, IdentityProviderBackend

    if request.GET.get("error") or not request.user.is_authenticated:
        raise ReauthRefused(_not_confirmed())
    if str(request.user.pk) != pending.get("user"):
        raise _other_account()
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    if state not in states or "code" not in request.GET:
        raise ReauthRefused(_not_confirmed())
    entry = states.pop(state)
    request.session["oidc_states"] = states
    setattr(request, REAUTH_ATTRIBUTE, pending)
    backend = IdentityProviderBackend()
    try:
        backend._configure(config.provider())
        user = super(IdentityProviderBackend, backend).authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except ReauthRefused:
        raise
    except (
        config.ProviderUnavailable,
        SuspiciousOperation,
        requests.RequestException,
        jwt.PyJWTError,
        KeyError,
        ValueError,
    ) as error:
        logger.warning("OIDC re-authentication failed: %s", error)
        raise ReauthRefused(_not_confirmed()) from error
    if user is None or user.pk != request.user.pk:
        raise ReauthRefused(_not_confirmed())
    _check_auth_time(getattr(user, AUTH_TIME_ATTRIBUTE, None), int(pending.get("started", 0)))
    return bool(getattr(user, STRONG_ATTRIBUTE, False))


def callback(request: HttpRequest, pending: dict[str, Any]) -> HttpResponse:
    next_url = str(pending.get("next") or "/")
    carried = [(str(key), str(value)) for key, value in pending.get("carried") or []]
    try:
        strong = _confirm(request, pending)
    except ReauthRefused as refused:
        logger.info("OIDC re-authentication refused")
        messages.error(request, refused.message)
        if carried:
            from lotse.accounts.views import reauth_page

            return reauth_page(request, next_url=next_url, carried=carried, status=403)
        return HttpResponseRedirect(reauth_url(next_url))
    request.session[mfa.SESSION_AUTH_AT] = int(time.time())
    if strong:
        mfa.mark_verified(request)
    audit_log(
        user=request.user,
        action="login",
        object_type="session",
        request=request,
        detail="Anmeldung über OpenID Connect bestätigt"
        + (", zweiter Faktor beim Identitätsanbieter" if strong else ""),
    )
    if carried:
        return render(
            request, "accounts/reauth_continue.html", {"next": next_url, "carried": carried}
        )
    return HttpResponseRedirect(next_url)
