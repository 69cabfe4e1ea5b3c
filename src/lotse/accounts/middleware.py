"""Nothing but the second-factor pages until a signed-in session has passed its second factor."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.accounts import mfa


class SecondFactorMiddleware:
    """After the password step a user is signed in, but reaches only the code step (with an
    authenticator app, or one of the user's security keys) or the enrollment (without an app),
    sign-out, the legal pages, static files and the health check, until the session is marked
    verified (:func:`mfa.mark_verified`).

    Demo accounts are exempt only while LOTSE_DEMO is on (:func:`mfa.is_exempt`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> frozenset[str]:
        return frozenset(
            reverse(name)
            for name in (
                "logout",
                "mfa_verify",
                "mfa_enroll",
                "mfa_security_key",
                "mfa_security_key_options",
                "healthz",
                "accessibility",
            )
        )

    @cached_property
    def oparl_prefix(self) -> str:
        return reverse("oparl:system")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or mfa.session_is_verified(request)
            or not mfa.second_factor_required(user)
            or request.path in self.open_paths
            or (settings.STATIC_URL and request.path.startswith(settings.STATIC_URL))
            # OParl is public and anonymous: a session half signed in changes nothing there.
            or request.path.startswith(self.oparl_prefix)
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                # de: Bitte melden Sie sich zuerst mit Ihrem zweiten Faktor an.
                {"detail": _("Please complete the sign-in with your second factor first.")},
                status=403,
            )
        target = "mfa_verify" if mfa.has_confirmed_device(user) else "mfa_enroll"
        url = reverse(target)
        if request.method == "GET" and request.path != reverse("login"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
