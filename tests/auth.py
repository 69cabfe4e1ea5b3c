"""Signing in in tests: the second factor (lotse.accounts.mfa) without weakening it.

``client.force_login(user)`` stands for a *complete* sign-in (password and second factor):
``tests/conftest.py`` wraps it so that the session is marked verified, as the code step does.
Production code has no such switch. Tests of the sign-in steps themselves use the forms, or
:func:`login_password_only` for a session that has passed the password step only.
"""

from __future__ import annotations

import time
from typing import Any

import pyotp
from django.test.client import ClientMixin
from django.utils import timezone

from lotse.accounts.mfa import SESSION_MFA_VERIFIED_AT
from lotse.accounts.models import TotpDevice

_original_force_login = ClientMixin.force_login


def _force_login_verified(self: Any, user: Any, backend: str | None = None) -> None:
    _original_force_login(self, user, backend)
    session = self.session
    session[SESSION_MFA_VERIFIED_AT] = int(time.time())
    session.save()


def install() -> None:
    ClientMixin.force_login = _force_login_verified  # type: ignore[method-assign]


def uninstall() -> None:
    ClientMixin.force_login = _original_force_login  # type: ignore[method-assign]


def login_password_only(client: Any, user: Any) -> None:
    """A session after the password step: the second factor is still to come."""
    _original_force_login(client, user)


def totp_device(user: Any, *, confirmed: bool = True) -> TotpDevice:
    """An authenticator app for ``user`` with a known secret (``device.secret``)."""
    return TotpDevice.objects.create(
        user=user,
        secret=pyotp.random_base32(),
        confirmed_at=timezone.now() if confirmed else None,
    )


def code_for(device: TotpDevice, *, offset: int = 0) -> str:
    """The code of the current 30-second step (``offset`` steps later or earlier)."""
    totp = pyotp.TOTP(device.secret)
    return totp.generate_otp(totp.timecode(timezone.now()) + offset)


def fresh_code(device: TotpDevice) -> str:
    """A code the device has not accepted yet (the next step if the current one is used)."""
    device.refresh_from_db()
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(timezone.now())
    last = device.last_used_step
    if last is None or last < current:
        return totp.generate_otp(current)
    if last == current:
        return totp.generate_otp(current + 1)  # accepted: one step of clock drift is allowed
    time.sleep(max(0.0, (last + 0.05) * totp.interval - time.time()))
    return totp.generate_otp(totp.timecode(timezone.now()) + 1)
