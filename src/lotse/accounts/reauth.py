"""Re-authentication before sensitive actions (bulk exports, overrides, statute transfers).

Usage (this module path is stable)::

    from lotse.accounts.reauth import requires_recent_auth

    @requires(Action.VIEW)
    @requires_recent_auth
    def export_cases(request): ...

    @requires(Action.CHANGE)
    @requires_recent_auth(when=when_posted("override_reason"))
    def referral_create(request, pk): ...

The last sign-in or confirmation must be at most ``max_age`` old (default 10 minutes). If it
is older, a GET is redirected to ``/anmelden/bestaetigen/?next=…``; a POST is not carried out:
the confirmation page is shown instead with a German message, and the submitted form data is
kept (hidden fields), so that after the confirmation one click sends it again. ``when``
limits the check to requests that actually use the sensitive part of a form.

The JSON API asks the same of a *browser session* for bulk reads and the Art. 15 export
(``api.permissions.RecentAuthForSessions`` answers 403 with :func:`api_refusal`); requests with
an API token are governed by the token, which is only issued after a re-authentication.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, overload
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.accounts.mfa import SESSION_AUTH_AT

DEFAULT_MAX_AGE = dt.timedelta(minutes=10)
CARRIED_OUT_FIELDS = {"csrfmiddlewaretoken"}

View = Callable[..., HttpResponseBase]


def _seconds(max_age: dt.timedelta | int) -> int:
    return int(max_age.total_seconds()) if isinstance(max_age, dt.timedelta) else int(max_age)


def is_recently_authenticated(
    request: HttpRequest, max_age: dt.timedelta | int = DEFAULT_MAX_AGE
) -> bool:
    auth_at = request.session.get(SESSION_AUTH_AT)
    if not isinstance(auth_at, int):
        return False
    return int(time.time()) - auth_at <= _seconds(max_age)


RECENT_AUTH_REQUIRED = "reauth_required"


def api_refusal(request: HttpRequest) -> dict[str, str]:
    """The JSON body of a 403 for a stale session: a German message and where to confirm."""
    return {
        "detail": _(
            "Please confirm your sign-in again (password and code) before this export; your "
            "last confirmation is more than %(minutes)s minutes ago. Open the address in "
            "“confirm_url”, then repeat the request."
        )
        % {"minutes": _seconds(DEFAULT_MAX_AGE) // 60},
        "code": RECENT_AUTH_REQUIRED,
        "confirm_url": reauth_url(request.get_full_path()),
    }


def when_posted(field: str, value: str | None = None) -> Callable[[HttpRequest], bool]:
    """Only for a POST whose ``field`` is filled in (or has exactly ``value``)."""

    def check(request: HttpRequest) -> bool:
        if request.method != "POST":
            return False
        posted = (request.POST.get(field) or "").strip()
        return posted == value if value is not None else bool(posted)

    return check


def reauth_url(next_url: str) -> str:
    return f"{reverse('reauth')}?{urlencode({'next': next_url})}"


def carried_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """The submitted form fields (without the CSRF token) to send again after confirming."""
    return [
        (key, value)
        for key, values in request.POST.lists()
        if key not in CARRIED_OUT_FIELDS
        for value in values
    ]


def _stale_post(request: HttpRequest) -> HttpResponse:
    from lotse.accounts.views import reauth_page

    return reauth_page(
        request, next_url=request.get_full_path(), carried=carried_fields(request), stale=True
    )


@overload
def requires_recent_auth(view: View) -> View: ...


@overload
def requires_recent_auth(
    view: None = None,
    *,
    max_age: dt.timedelta | int = DEFAULT_MAX_AGE,
    when: Callable[[HttpRequest], bool] | None = None,
) -> Callable[[View], View]: ...


def requires_recent_auth(
    view: View | None = None,
    *,
    max_age: dt.timedelta | int = DEFAULT_MAX_AGE,
    when: Callable[[HttpRequest], bool] | None = None,
) -> View | Callable[[View], View]:
    """Ask for password (and code) again unless the last authentication is recent."""

    def decorator(inner: View) -> View:
        @wraps(inner)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return inner(request, *args, **kwargs)  # the login check comes first
            if when is not None and not when(request):
                return inner(request, *args, **kwargs)
            if is_recently_authenticated(request, max_age):
                return inner(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                return redirect(reauth_url(request.get_full_path()))
            return _stale_post(request)

        return wrapper

    if view is not None:
        return decorator(view)
    return decorator
