"""Sign-in throttling and session lifetimes.

- After ``LOTSE_LOGIN_MAX_FAILURES`` failed attempts for one user name (normalised: NFKC and
  case-folded, ``accounts.models.normalise_username``) (or five times that many
  from one address) within ``LOTSE_LOGIN_LOCKOUT_MINUTES``, further attempts are refused
  without checking the password, so guessing cannot continue (OWASP ASVS 2.2.1). The sign-in
  at ``/anmelden/`` and the admin's at ``/verwaltung/login/`` count together.
- A session ends after ``LOTSE_IDLE_TIMEOUT_MINUTES`` without a request and, at the latest,
  ``SESSION_COOKIE_AGE`` after sign-in, whatever the activity (absolute lifetime).
- A disabled account's sessions end at its next request: Django's ModelBackend does not load
  inactive users.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import LoginFailure, normalise_username

SESSION_STARTED = "lotse_session_started"
SESSION_LAST_SEEN = "lotse_last_seen"


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


client_ip = _client_ip


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOTSE_LOGIN_LOCKOUT_MINUTES)


def is_locked_out(username: str, ip_address: str | None) -> bool:
    recent = LoginFailure.objects.filter(occurred_at__gte=_window_start())
    if (
        recent.filter(username=normalise_username(username)).count()
        >= settings.LOTSE_LOGIN_MAX_FAILURES
    ):
        return True
    if ip_address and recent.filter(ip_address=ip_address).count() >= (
        5 * settings.LOTSE_LOGIN_MAX_FAILURES
    ):
        return True
    return False


class ThrottledAuthenticationForm(AuthenticationForm):
    """The sign-in form with the lockout; the user name is normalised before anything else."""

    def clean(self) -> dict[str, Any]:
        username = normalise_username((self.data.get("username") or "").strip())
        ip_address = _client_ip(self.request)
        if username and is_locked_out(username, ip_address):
            raise ValidationError(
                # de: Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(minutes)s
                # de: Minuten und versuchen Sie es dann erneut.
                _(
                    "Too many failed sign-in attempts. Please wait %(minutes)s minutes and "
                    "try again."
                ),
                code="locked_out",
                params={"minutes": settings.LOTSE_LOGIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except ValidationError:
            if username:
                record_login_failure(username, ip_address)
            raise


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in (``/verwaltung/login/``) with the same lockout as ``/anmelden/``."""


def record_login_failure(username: str, ip_address: str | None) -> None:
    """A failed password or second-factor attempt; both count towards the same lockout."""
    LoginFailure.objects.create(username=normalise_username(username), ip_address=ip_address)
    LoginFailure.objects.filter(occurred_at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def clear_login_failures(user: Any) -> None:
    LoginFailure.objects.filter(username=normalise_username(user.username)).delete()


@receiver(user_logged_in)
def _start_session_clock(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from lotse.accounts import mfa

    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_LAST_SEEN] = now
    request.session[mfa.SESSION_AUTH_AT] = now
    request.session.pop(mfa.SESSION_MFA_VERIFIED_AT, None)  # every sign-in verifies anew
    # With a second factor still to come, the failure count stays: otherwise each correct
    # password would reset the lockout and the codes could be guessed without limit.
    if not (mfa.second_factor_required(user) and mfa.has_confirmed_device(user)):
        clear_login_failures(user)


class SessionTimeoutMiddleware:
    """Ends idle sessions and sessions older than their absolute lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            idle_limit = settings.LOTSE_IDLE_TIMEOUT_MINUTES * 60
            if now - last_seen > idle_limit or now - started > settings.SESSION_COOKIE_AGE:
                # Named in the access log entry of the sign-out (lotse.audit.signins).
                request.lotse_logout_reason = (  # type: ignore[attr-defined]
                    "Sitzung abgelaufen (Leerlauf)"
                    if now - last_seen > idle_limit
                    else "Sitzung abgelaufen (Höchstdauer)"
                )
                logout(request)
                # de: Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.
                messages.info(request, _("Your session has expired. Please sign in again."))
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
            if SESSION_STARTED not in request.session:
                request.session[SESSION_STARTED] = started
            if now - last_seen >= 60 or SESSION_LAST_SEEN not in request.session:
                # Saving the session costs a write: once a minute is precise enough.
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)
