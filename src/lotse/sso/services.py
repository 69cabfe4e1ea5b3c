"""Which Lotse user an identity provider's sign-in belongs to (never a new one)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.sso.models import ExternalIdentity


class IdentityRefused(Exception):
    """The provider confirmed the person, but Lotse does not let them in (German message)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _unknown() -> IdentityRefused:
    return IdentityRefused(
        # de: Ihr Konto der Kommune ist keinem Lotse-Konto zugeordnet. Bitte wenden Sie sich an die Administration von Lotse.
        _(
            "Your municipal account is not linked to a Lotse account. Please contact the "
            "Lotse administration."
        ),
        "unknown_identity",
    )


def _email_verified(claims: dict[str, Any]) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


@transaction.atomic
def identity_resolve(
    *, issuer: str, claims: dict[str, Any], link_by_email: bool, request: HttpRequest | None
) -> Any:
    """The user linked to ``(issuer, sub)``; on the first sign-in, link by verified e-mail.

    Linking by e-mail needs ``email_verified`` and exactly one *active* user with that address;
    two accounts with one address are ambiguous and refused, as are users already linked to
    another subject of the same provider.
    """
    subject = str(claims.get("sub") or "")
    if not subject:
        raise _unknown()
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        email = str(claims.get("email") or "").strip()
        if not (link_by_email and email and _email_verified(claims)):
            raise _unknown()
        candidates = list(
            get_user_model()._default_manager.filter(email__iexact=email, is_active=True)[:2]
        )
        if len(candidates) != 1:
            raise _unknown()
        user = candidates[0]
        if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
            raise _unknown()
        identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        audit_log(
            user=user,
            action="create",
            object_type="external_identity",
            object_id=identity.pk,
            request=request,
            detail=f"über bestätigte E-Mail-Adresse verknüpft ({issuer})",
        )
    user = identity.user
    if not user.is_active:
        raise IdentityRefused(
            # de: Ihr Lotse-Konto ist deaktiviert. Bitte wenden Sie sich an die Administration von Lotse.
            _("Your Lotse account is deactivated. Please contact the Lotse administration."),
            "inactive",
        )
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return user


def is_strong_authentication(
    claims: dict[str, Any], *, amr: frozenset[str], acr: frozenset[str]
) -> bool:
    """The provider says it used a second factor (``amr`` RFC 8176, or an agreed ``acr``)."""
    methods = claims.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    if amr.intersection(str(method) for method in methods):
        return True
    return bool(claims.get("acr")) and str(claims.get("acr")) in acr
