"""The second factor: TOTP authenticator apps and single-use recovery codes.

Policy (ASVS 2.7/2.8, issue 4): every signed-in user needs a second factor. All roles of
``accounts.Role`` see personal data (case work, partners their tasks, coordination and the
administration the region's people in lists, the data protection officer person ids in the
access log), and users without a role can reach the administration site — so no user is left
out. The only exception is a demo account (``User.mfa_exempt``) while ``LOTSE_DEMO`` is on;
in production that flag has no effect.

A session counts as verified once it carries :data:`SESSION_MFA_VERIFIED_AT`; only the code
step, the enrollment and the re-authentication set it. :data:`SESSION_AUTH_AT` is the time of
the latest sign-in or confirmation (see :mod:`lotse.accounts.reauth`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lotse.accounts.models import RecoveryCode, TotpDevice, User
from lotse.audit.services import audit_log

SESSION_MFA_VERIFIED_AT = "lotse_mfa_verified_at"
SESSION_AUTH_AT = "lotse_auth_at"
SESSION_NEW_RECOVERY_CODES = "lotse_new_recovery_codes"

ISSUER = "Lotse"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
RECOVERY_CODE_LENGTH = 10  # 31^10 ≈ 2^49


def is_exempt(user: Any) -> bool:
    """A demo account signs in without a second factor — only while LOTSE_DEMO is on."""
    return bool(getattr(settings, "DEMO", False) and getattr(user, "mfa_exempt", False))


def second_factor_required(user: Any) -> bool:
    return bool(user.is_authenticated) and not is_exempt(user)


def confirmed_device(user: Any) -> TotpDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def has_confirmed_device(user: Any) -> bool:
    return confirmed_device(user) is not None


# -- session --------------------------------------------------------------------------------


def mark_verified(request: HttpRequest) -> None:
    """The session has passed the second factor (code step, enrollment or re-authentication).

    Also for other sign-in paths that establish a second factor themselves (e.g. an identity
    provider asserting MFA).
    """
    now = int(time.time())
    request.session[SESSION_MFA_VERIFIED_AT] = now
    request.session[SESSION_AUTH_AT] = now


def session_is_verified(request: HttpRequest) -> bool:
    return SESSION_MFA_VERIFIED_AT in request.session


# -- TOTP -----------------------------------------------------------------------------------


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def new_device(user: User) -> TotpDevice:
    """The user's unconfirmed device with a fresh secret (replacing an unconfirmed one)."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.confirmed_at is not None:
            return device
        if device is None:
            device = TotpDevice(user=user)
        device.secret = pyotp.random_base32()
        device.last_used_step = None
        device.save()
        return device


def provisioning_uri(device: TotpDevice) -> str:
    return _totp(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


def qr_svg(device: TotpDevice, label: str) -> SafeString:
    """The provisioning URI as inline SVG markup (no script, no style attribute: CSP-safe)."""
    svg = segno.make(provisioning_uri(device), error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="lotse-qr", lineclass=None
    )
    return mark_safe(  # noqa: S308 - segno's own markup; the label is escaped
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    )


def formatted_secret(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise_totp(code: str) -> str:
    return "".join(code.split())


def looks_like_totp(code: str) -> bool:
    value = _normalise_totp(code)
    return len(value) == 6 and value.isdigit()


def verify_totp(device: TotpDevice, code: str) -> bool:
    """Accept a code of the current, previous or next 30-second step, once (no replay)."""
    value = _normalise_totp(code)
    if not (len(value) == 6 and value.isdigit()):
        return False
    with transaction.atomic():
        locked = TotpDevice.objects.select_for_update().get(pk=device.pk)
        totp = _totp(locked.secret)
        current = totp.timecode(timezone.now())
        for step in (current - 1, current, current + 1):
            if locked.last_used_step is not None and step <= locked.last_used_step:
                continue
            if hmac.compare_digest(totp.generate_otp(step), value):
                locked.last_used_step = step
                locked.save(update_fields=["last_used_step"])
                device.last_used_step = step
                return True
    return False


def confirm_device(device: TotpDevice, code: str) -> list[str] | None:
    """Confirm an enrollment with a first code; returns the new recovery codes (shown once)."""
    with transaction.atomic():
        if not verify_totp(device, code):
            return None
        TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
        device.confirmed_at = timezone.now()
        return new_recovery_codes(device.user)


# -- recovery codes -------------------------------------------------------------------------


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.casefold() if ch.isalnum())


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def format_recovery_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes by ten new ones; the clear text exists only here."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        rows = []
        for code in codes:
            salt = secrets.token_hex(16)
            rows.append(RecoveryCode(user=user, salt=salt, code_hash=_hash(salt, code)))
        RecoveryCode.objects.bulk_create(rows)
    return [format_recovery_code(code) for code in codes]


def renew_recovery_codes(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """The user's own renewal of the recovery codes (e.g. when few are left), logged."""
    with transaction.atomic():
        codes = new_recovery_codes(user)
        audit_log(
            user=user,
            action="update",
            object_type="user",
            object_id=user.pk,
            request=request,
            detail="Wiederherstellungscodes erneuert",
        )
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code of the user and mark it used (single use)."""
    value = _normalise_recovery(code)
    if len(value) != RECOVERY_CODE_LENGTH:
        return False
    with transaction.atomic():
        candidates = list(
            RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True)
        )
        for candidate in candidates:
            if hmac.compare_digest(candidate.code_hash, _hash(candidate.salt, value)):
                # Compare-and-set: of two concurrent uses of one code only one succeeds.
                return bool(
                    RecoveryCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
                        used_at=timezone.now()
                    )
                )
    return False


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@dataclass(frozen=True)
class SecondFactorResult:
    ok: bool
    used_recovery_code: bool = False


def check_second_factor(user: User, code: str) -> SecondFactorResult:
    """A TOTP code of the user's confirmed device, or one of the user's recovery codes."""
    device = confirmed_device(user)
    if device is None:
        return SecondFactorResult(ok=False)
    if looks_like_totp(code):
        return SecondFactorResult(ok=verify_totp(device, code))
    if use_recovery_code(user, code):
        return SecondFactorResult(ok=True, used_recovery_code=True)
    return SecondFactorResult(ok=False)
