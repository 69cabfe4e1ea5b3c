"""Creating, checking and revoking API tokens (the secret leaves this module only once)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.api.models import ApiToken
from lotse.audit.services import audit_log

PREFIX_LENGTH = 8
#: ``last_used_at`` is written at most once per this interval (a write per request is load).
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """SHA-256 is enough: the secrets are 256 random bits, there is nothing to guess."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


class TokenRefused(Exception):
    """The presented token is unknown, expired, revoked or its user is disabled."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def default_days() -> int:
    return int(settings.LOTSE_API_TOKEN_DAYS)


def max_days() -> int:
    return int(settings.LOTSE_API_TOKEN_MAX_DAYS)


@transaction.atomic
def token_create(
    *,
    user: Any,
    name: str,
    days: int | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
    channel: str = "",
) -> IssuedToken:
    """Issue a new token; the returned secret is the only copy there will ever be."""
    name = (name or "").strip()
    lifetime = default_days() if days is None else days
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _(
            "Please give the token a name."
        )  # de: Bitte geben Sie dem Token eine Bezeichnung.
    elif len(name) > 100:
        # de: Die Bezeichnung darf höchstens 100 Zeichen lang sein.
        errors["name"] = _("The name may be at most 100 characters long.")
    if lifetime < 1 or lifetime > max_days():
        # de: Die Gültigkeit muss zwischen 1 und %(max)s Tagen liegen.
        message = _("The validity must be between 1 and %(max)s days.")
        errors["days"] = message % {"max": max_days()}
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_secret(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=lifetime),
    )
    audit_log(
        user=actor or user,
        action="create",
        object_type="api_token",
        object_id=token.pk,
        request=request,
        channel=channel,
        detail=f"{token.prefix} für {user.username}",
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(
    *, token: ApiToken, actor: Any, request: HttpRequest | None = None, channel: str = ""
) -> ApiToken:
    """Revoke at once; revoking twice keeps the first time."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_log(
            user=actor,
            action="update",
            object_type="api_token",
            object_id=locked.pk,
            request=request,
            channel=channel,
            detail=f"{locked.prefix} widerrufen",
        )
    return locked


def token_authenticate(secret: str) -> ApiToken:
    """The token row for a presented secret, or :class:`TokenRefused`.

    The row is found by its prefix and the hashes are compared in constant time, so the
    response time does not tell how much of a guessed secret was right.
    """
    candidate_hash = hash_secret(secret)
    match: ApiToken | None = None
    for token in ApiToken.objects.select_related("user").filter(prefix=secret[:PREFIX_LENGTH]):
        if hmac.compare_digest(token.token_hash, candidate_hash):
            match = token
    if match is None:
        raise TokenRefused(_("Invalid token."), "invalid_token")  # de: Ungültiger Token.
    now = timezone.now()
    if match.revoked_at is not None:
        # de: Dieser Token wurde widerrufen.
        raise TokenRefused(_("This token has been revoked."), "token_revoked")
    if match.expires_at <= now:
        raise TokenRefused(
            _("This token has expired."), "token_expired"
        )  # de: Dieser Token ist abgelaufen.
    if not match.user.is_active:
        # de: Das Benutzerkonto ist deaktiviert.
        raise TokenRefused(_("The user account is deactivated."), "user_inactive")
    if match.last_used_at is None or now - match.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=match.pk).update(last_used_at=now)
        match.last_used_at = now
    return match
