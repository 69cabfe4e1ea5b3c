"""Security keys and passkeys (WebAuthn) as an additional second factor.

Policy: the authenticator app (TOTP, :mod:`lotse.accounts.mfa`) stays the factor every user
sets up first and the fallback with its recovery codes. A user who has it may add security
keys (at most :data:`MAX_KEYS`) and then sign in with a key instead of a code; a key alone,
without the app, is not offered, so losing every key never locks anyone out and the
enrollment and the administration's reset stay as they are. Keys are a second factor only:
there is no passwordless sign-in.

Each ceremony (registration, sign-in) gets a fresh random challenge kept in the session. It is
single use (taken out of the session by the first verification, whatever the outcome) and
expires after :data:`CHALLENGE_SECONDS`. The relying party (RP ID and origin) comes from the
settings in production (:mod:`lotse.accounts.relying_party`).

The verification itself is py_webauthn's: client data type, challenge, origin, RP ID hash,
user presence, the signature over authenticator data and client data hash, and the signature
counter, which must grow unless the authenticator keeps none (always 0, as synced passkeys do);
a counter that does not grow points to a cloned key and is refused.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    bytes_to_base64url,
    options_to_json_dict,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from lotse.accounts import mfa
from lotse.accounts.models import User, WebAuthnCredential
from lotse.accounts.relying_party import RP_NAME
from lotse.audit.services import audit_log

SESSION_REGISTRATION = "lotse_webauthn_registration"
SESSION_AUTHENTICATION = "lotse_webauthn_authentication"

CHALLENGE_SECONDS = 180
TIMEOUT_MS = 120_000
MAX_KEYS = 10
NAME_MAX_LENGTH = 64
MAX_CREDENTIAL_JSON = 64 * 1024

#: Anything a malformed or forged response can raise while it is parsed and checked.
_REFUSED = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError, IndexError)


class SecurityKeyRefused(Exception):
    """The browser's response does not verify (or there is no valid challenge for it)."""


# -- relying party --------------------------------------------------------------------------


def enabled() -> bool:
    """Security keys are on (production: only with an RP origin from the settings)."""
    return bool(getattr(settings, "LOTSE_WEBAUTHN_ENABLED", True))


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """(RP ID, origin): from the settings, else (development, tests) from the request.

    ``request.get_host()`` is validated against ALLOWED_HOSTS; production never uses it: there
    the settings hold both (``relying_party.resolve_production`` at start) or keys are off.
    """
    if not enabled():
        raise SecurityKeyRefused("security keys are switched off")
    rp_id = settings.LOTSE_WEBAUTHN_RP_ID
    origin = settings.LOTSE_WEBAUTHN_ORIGIN
    if not origin:
        origin = f"{request.scheme}://{request.get_host()}"
    if not rp_id:
        rp_id = urlsplit(origin).hostname or ""
    return rp_id.lower(), origin.lower()


def _user_handle(user: User) -> bytes:
    """An opaque, stable handle for the authenticator (not the user name, not the pk)."""
    return salted_hmac(
        "lotse.accounts.security_keys.user_handle", str(user.pk), algorithm="sha256"
    ).digest()


# -- reads ----------------------------------------------------------------------------------


def keys_of(user: Any) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user)


def has_keys(user: Any) -> bool:
    """The user can sign in with a key: keys are on and the user has one."""
    return enabled() and bool(getattr(user, "pk", None)) and keys_of(user).exists()


def get_own_key(user: Any, pk: int) -> WebAuthnCredential:
    """Another user's key is a 404, like a missing one."""
    return get_object_or_404(WebAuthnCredential, pk=pk, user=user)


def may_add_keys(user: Any) -> bool:
    """Only a user who has the authenticator app (the fallback) may add keys."""
    return enabled() and mfa.has_confirmed_device(user)


# -- challenges -----------------------------------------------------------------------------


def _store_challenge(request: HttpRequest, key: str, challenge: bytes) -> None:
    request.session[key] = {
        "challenge": bytes_to_base64url(challenge),
        "user": request.user.pk,
        "at": int(time.time()),
    }


def _take_challenge(request: HttpRequest, key: str) -> bytes:
    """The pending challenge of this user, removed from the session (single use)."""
    pending = request.session.pop(key, None)
    if not isinstance(pending, dict) or pending.get("user") != request.user.pk:
        raise SecurityKeyRefused("no pending challenge")
    at = pending.get("at")
    if not isinstance(at, int) or not 0 <= int(time.time()) - at <= CHALLENGE_SECONDS:
        raise SecurityKeyRefused("challenge expired")
    return base64url_to_bytes(str(pending.get("challenge", "")))


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for key in keys_of(user):
        transports = []
        for value in key.transports or []:
            try:
                transports.append(AuthenticatorTransport(value))
            except ValueError:
                continue
        descriptors.append(
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(key.credential_id), transports=transports or None
            )
        )
    return descriptors


# -- registration ---------------------------------------------------------------------------


def registration_options(request: HttpRequest, user: User) -> dict[str, Any]:
    """Options for ``navigator.credentials.create`` (JSON-ready); remembers the challenge."""
    rp_id, _origin = relying_party(request)
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_id=_user_handle(user),
        user_name=user.username,
        user_display_name=user.display_name(),
        challenge=challenge,
        timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    _store_challenge(request, SESSION_REGISTRATION, challenge)
    return options_to_json_dict(options)


def validate_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        # de: Bitte geben Sie dem Sicherheitsschlüssel eine Bezeichnung.
        raise ValidationError({"name": _("Please give the security key a name.")})
    if len(name) > NAME_MAX_LENGTH:
        # de: Die Bezeichnung darf höchstens %(max)s Zeichen lang sein.
        message = _("The name may be at most %(max)s characters long.")
        raise ValidationError({"name": message % {"max": NAME_MAX_LENGTH}})
    return name


def _credential_json(raw: str) -> str:
    if not raw or len(raw) > MAX_CREDENTIAL_JSON:
        raise SecurityKeyRefused("no or oversized response")
    return raw


@transaction.atomic
def key_register(
    *, request: HttpRequest, user: User, name: str, credential: str
) -> WebAuthnCredential:
    """Verify the browser's response to the registration options and store the key.

    Raises ``ValidationError`` (keyed by field, German) for a bad name, too many keys or a
    response that does not verify.
    """
    name = validate_name(name)
    if not may_add_keys(user):
        # de: Richten Sie zuerst die Authenticator-App ein.
        raise ValidationError({"name": _("Set up the authenticator app first.")})
    # Serialises concurrent registrations of one user (the key limit below).
    User.objects.select_for_update().filter(pk=user.pk).first()
    if keys_of(user).count() >= MAX_KEYS:
        # de: Sie können höchstens %(max)s Sicherheitsschlüssel hinterlegen.
        message = _("You can register at most %(max)s security keys.")
        raise ValidationError({"name": message % {"max": MAX_KEYS}})
    try:
        challenge = _take_challenge(request, SESSION_REGISTRATION)
        raw = _credential_json(credential)
        parsed = parse_registration_credential_json(raw)
        rp_id, origin = relying_party(request)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (SecurityKeyRefused, *_REFUSED) as error:
        raise ValidationError({"credential": _registration_failed_message()}) from error
    transports = [str(value.value) for value in (parsed.response.transports or [])]
    try:
        with transaction.atomic():
            key = WebAuthnCredential.objects.create(
                user=user,
                credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=transports,
                name=name,
            )
    except IntegrityError as error:
        # de: Dieser Sicherheitsschlüssel ist bereits hinterlegt.
        raise ValidationError(
            {"credential": _("This security key is already registered.")}
        ) from error
    _audit(request, user, "create", key, f"Sicherheitsschlüssel „{name}“ hinzugefügt")
    return key


def _registration_failed_message() -> str:
    # de: Der Sicherheitsschlüssel konnte nicht hinzugefügt werden. Bitte versuchen Sie es
    # de: erneut.
    return _("The security key could not be added. Please try again.")


@transaction.atomic
def key_remove(*, request: HttpRequest, key: WebAuthnCredential) -> None:
    name = key.name
    user = key.user
    pk = key.pk
    key.delete()
    _audit(request, user, "delete", pk, f"Sicherheitsschlüssel „{name}“ entfernt")


def _audit(request: HttpRequest, user: User, action: str, key: Any, detail: str) -> None:
    audit_log(
        user=user,
        action=action,
        object_type="security_key",
        object_id=key.pk if isinstance(key, WebAuthnCredential) else key,
        request=request,
        detail=detail,
    )


# -- sign-in --------------------------------------------------------------------------------


def authentication_options(request: HttpRequest, user: User) -> dict[str, Any]:
    """Options for ``navigator.credentials.get`` with the user's keys; remembers the challenge."""
    rp_id, _origin = relying_party(request)
    challenge = secrets.token_bytes(32)
    options = generate_authentication_options(
        rp_id=rp_id,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _store_challenge(request, SESSION_AUTHENTICATION, challenge)
    return options_to_json_dict(options)


@dataclass(frozen=True)
class KeyCheck:
    ok: bool
    key: WebAuthnCredential | None = None


def key_authenticate(*, request: HttpRequest, user: User, credential: str) -> KeyCheck:
    """Verify a sign-in with one of ``user``'s keys; on success the counter moves on.

    A key of another user, an unknown key, a wrong or reused challenge, a wrong origin or RP
    ID, a bad signature and a counter that does not grow (cloned key) all give ``ok=False``.
    """
    if not enabled():
        return KeyCheck(ok=False)
    try:
        challenge = _take_challenge(request, SESSION_AUTHENTICATION)
        parsed = parse_authentication_credential_json(_credential_json(credential))
    except (SecurityKeyRefused, *_REFUSED):
        return KeyCheck(ok=False)
    rp_id, origin = relying_party(request)
    with transaction.atomic():
        key = (
            WebAuthnCredential.objects.select_for_update()
            .filter(user=user, credential_id=parsed.id)
            .first()
        )
        if key is None:
            return KeyCheck(ok=False)
        try:
            verified = verify_authentication_response(
                credential=parsed,
                expected_challenge=challenge,
                expected_rp_id=rp_id,
                expected_origin=origin,
                credential_public_key=bytes(key.public_key),
                credential_current_sign_count=key.sign_count,
                require_user_verification=False,
            )
        except _REFUSED:
            return KeyCheck(ok=False)
        # Under the row lock: a response whose challenge was already accepted is a replay (the
        # counter alone does not tell for keys that always send 0).
        used = hashlib.sha256(challenge).hexdigest()
        if key.last_challenge == used:
            return KeyCheck(ok=False)
        # Compare-and-set: of two concurrent uses of one response only one succeeds.
        updated = WebAuthnCredential.objects.filter(pk=key.pk, sign_count=key.sign_count).update(
            sign_count=verified.new_sign_count, last_used_at=timezone.now(), last_challenge=used
        )
        if not updated:
            return KeyCheck(ok=False)
    return KeyCheck(ok=True, key=key)


def credential_from_post(request: HttpRequest) -> str:
    """The ``credential`` field (JSON from the page's script), or "" if missing."""
    raw = request.POST.get("credential", "")
    try:
        json.loads(raw)
    except (TypeError, ValueError):
        return ""
    return raw
