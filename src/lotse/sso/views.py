"""Start of the sign-in at the identity provider and its callback (404 while not configured)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from lotse.accounts import mfa
from lotse.audit.services import audit_log
from lotse.sso import config, reauth
from lotse.sso.backends import ISSUER_ATTRIBUTE, REFUSED_ATTRIBUTE, STRONG_ATTRIBUTE

SESSION_SIGN_IN_METHOD = "lotse_sign_in_method"


def _failed(request: HttpRequest) -> HttpResponseRedirect:
    if not getattr(request, REFUSED_ATTRIBUTE, False):
        messages.error(
            request,
            # de: Die Anmeldung über das Konto der Kommune wurde abgebrochen oder ist fehlgeschlagen.
            _("The sign-in via the municipal account was cancelled or has failed."),
        )
    return HttpResponseRedirect(reverse("login"))


class StartView(OIDCAuthenticationRequestView):
    """Redirects to the provider with state, nonce and a PKCE challenge kept in the session."""

    get_settings = staticmethod(config.oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        View.__init__(self, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            provider = config.provider()
        except config.ProviderUnavailable:
            # de: Der Anmeldedienst der Kommune ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut oder melden Sie sich mit Benutzername und Passwort an.
            messages.error(
                request,
                _(
                    "The municipality's sign-in service cannot be reached right now. Please try "
                    "again later or sign in with your user name and password."
                ),
            )
            return HttpResponseRedirect(self.unavailable_url(request))
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        return super().get(request)

    def unavailable_url(self, request: HttpRequest) -> str:
        return reverse("login")


class CallbackView(OIDCAuthenticationCallbackView):
    """Signs the user in; a second factor done at the provider counts (``amr``/``acr``)."""

    get_settings = staticmethod(config.oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        pending = reauth.take_pending(request)
        if pending is not None:
            return reauth.callback(request, pending)
        try:
            return super().get(request)
        except SuspiciousOperation:  # unknown or replayed state
            return _failed(request)

    def login_failure(self) -> HttpResponse:
        return _failed(self.request)

    def login_success(self) -> HttpResponse:
        response = super().login_success()  # rotates the session (auth.login)
        request = self.request
        strong = bool(getattr(self.user, STRONG_ATTRIBUTE, False))
        if strong:
            mfa.mark_verified(request)
        request.session[SESSION_SIGN_IN_METHOD] = "oidc"
        audit_log(
            user=self.user,
            action="login",
            object_type="session",
            request=request,
            detail=(
                "OpenID Connect ({issuer}){mfa}".format(
                    issuer=getattr(self.user, ISSUER_ATTRIBUTE, ""),
                    mfa=", zweiter Faktor beim Identitätsanbieter" if strong else "",
                )
            ),
        )
        return response


def _only_when_configured(view: Any) -> Any:
    def wrapper(request: HttpRequest) -> HttpResponse:
        if not config.is_configured():
            raise Http404
        return view(request)  # type: ignore[no-any-return]

    return wrapper


start = _only_when_configured(StartView.as_view())
callback = _only_when_configured(CallbackView.as_view())


class ReauthStartView(StartView):
    """Confirm the sign-in at the provider: ``prompt=login`` and ``max_age=0`` force a new login."""

    http_method_names = ["post"]

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {"prompt": "login", "max_age": "0"}

    def unavailable_url(self, request: HttpRequest) -> str:
        return reauth.reauth_page_url(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("login"))
        if not reauth.has_identity(request.user):
            raise Http404
        response = self.get(request)
        reauth.remember_pending(request, response)
        return response


reauth_start = _only_when_configured(ReauthStartView.as_view())
