"""Sign-ins, sign-outs and failed sign-ins in the access log (ASVS 7.1.3/7.2.1, § 78a SGB X).

Connected to Django's authentication signals, so every way in is covered without the sign-in
views knowing about the log: the password step (``user_logged_in``), every failed password —
at sign-in and at a re-authentication (``user_login_failed``) — and every sign-out, also the
one that ends an expired session (``user_logged_out``). The second-factor step writes its own
entry (``accounts.views``), and so does the sign-in through the identity provider
(``lotse.sso``), which names the issuer.

Never stored: the password, nor a user name that matches no account (it may be a password
typed into the wrong field) — such an attempt is an entry of the system chain without a name.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from lotse.audit.models import AuditEntry
from lotse.audit.services import audit_log

SESSION = "session"
#: ``lotse.sso`` logs its sign-ins itself, with the issuer and the provider's second factor.
IDENTITY_PROVIDER_BACKEND = "lotse.sso.backends.IdentityProviderBackend"
#: Set on the request before ``logout()`` to name why a session ended (e.g. a timeout).
LOGOUT_REASON_ATTRIBUTE = "lotse_logout_reason"


@receiver(user_logged_in, dispatch_uid="lotse.audit.signed_in")
def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if getattr(user, "backend", "") == IDENTITY_PROVIDER_BACKEND:
        return
    audit_log(
        user=user,
        action=AuditEntry.Action.LOGIN,
        object_type=SESSION,
        request=request,
        detail="Passwort",
    )


@receiver(user_logged_out, dispatch_uid="lotse.audit.signed_out")
def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    audit_log(
        user=user,
        action=AuditEntry.Action.LOGOUT,
        object_type=SESSION,
        request=request,
        detail=getattr(request, LOGOUT_REASON_ATTRIBUTE, "") if request is not None else "",
    )


@receiver(user_login_failed, dispatch_uid="lotse.audit.sign_in_failed")
def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = credentials.get("username")
    if not isinstance(username, str) or not username:
        return  # no password attempt (e.g. a provider's callback that did not match)
    user_model = get_user_model()
    account = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    detail = "Passwort falsch" if account is not None else "unbekannter Benutzername"
    if account is not None and not account.is_active:
        detail = "Konto deaktiviert"
    audit_log(
        user=account,
        action=AuditEntry.Action.LOGIN_FAILED,
        object_type=SESSION,
        request=request,
        detail=detail,
    )


def second_factor(*, request: HttpRequest, user: Any, method: str, ok: bool) -> None:
    """The second sign-in step (or a confirmation before a sensitive action), passed or not.

    ``method`` names the factor in German (e.g. "Authenticator-App", "Sicherheitsschlüssel").
    """
    audit_log(
        user=user,
        action=AuditEntry.Action.LOGIN if ok else AuditEntry.Action.LOGIN_FAILED,
        object_type=SESSION,
        request=request,
        detail=f"zweiter Faktor: {method}" + ("" if ok else " (falsch)"),
    )


def confirmed(*, request: HttpRequest, user: Any, with_code: bool) -> None:
    """A re-authentication before a sensitive action succeeded."""
    audit_log(
        user=user,
        action=AuditEntry.Action.LOGIN,
        object_type=SESSION,
        request=request,
        detail="Anmeldung bestätigt (Passwort" + (" und zweiter Faktor)" if with_code else ")"),
    )
