"""The page where a signed-in user manages their own security keys (WebAuthn).

Adding and removing a key change how the account can be signed in to: both need a recent
sign-in or confirmation (``requires_recent_auth``), the page itself only lists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.accounts import mfa, security_keys
from lotse.accounts.forms import SecurityKeyForm
from lotse.accounts.reauth import is_recently_authenticated, reauth_url, requires_recent_auth
from lotse.core.http import AuthenticatedRequest
from lotse.core.viewutils import add_service_errors, render_invalid

TEMPLATE = "accounts/security_keys.html"


def _posted(request: HttpRequest) -> bool:
    return request.method == "POST"


def _context(request: AuthenticatedRequest, form: SecurityKeyForm) -> dict[str, object]:
    user = request.user
    keys = list(security_keys.keys_of(user))
    has_app = mfa.has_confirmed_device(user)
    enabled = security_keys.enabled()
    return {
        "form": form,
        "keys": keys,
        "may_add": enabled and has_app and len(keys) < security_keys.MAX_KEYS,
        "has_app": has_app,
        "enabled": enabled,
        "max_keys": security_keys.MAX_KEYS,
        "recovery_codes_left": mfa.unused_recovery_codes(user),
        "recovery_code_count": mfa.RECOVERY_CODE_COUNT,
        "recent": is_recently_authenticated(request),
        "reauth_url": reauth_url(request.path),
    }


@login_required
@require_http_methods(["GET", "POST"])
@requires_recent_auth(when=_posted)
def security_key_list(request: AuthenticatedRequest) -> HttpResponse:
    """GET lists the user's keys; POST stores a new one from the browser's response."""
    if request.method == "POST":
        form = SecurityKeyForm(request.POST)
        if form.is_valid():
            try:
                key = security_keys.key_register(
                    request=request,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    credential=form.cleaned_data["credential"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # de: Der Sicherheitsschlüssel „%(name)s“ wurde hinzugefügt.
                message = _("The security key “%(name)s” has been added.")
                messages.success(request, message % {"name": key.name})
                return redirect("security_keys")
        return render_invalid(request, TEMPLATE, _context(request, form))
    return render(request, TEMPLATE, _context(request, SecurityKeyForm()))


@login_required
@require_POST
@requires_recent_auth
def security_key_options(request: AuthenticatedRequest) -> JsonResponse:
    """Options for ``navigator.credentials.create`` (JSON); the challenge stays in the session."""
    user = request.user
    if not security_keys.may_add_keys(user):
        # de: Richten Sie zuerst die Authenticator-App ein.
        return JsonResponse({"detail": _("Set up the authenticator app first.")}, status=403)
    if security_keys.keys_of(user).count() >= security_keys.MAX_KEYS:
        # de: Sie können höchstens %(max)s Sicherheitsschlüssel hinterlegen.
        message = _("You can register at most %(max)s security keys.")
        return JsonResponse({"detail": message % {"max": security_keys.MAX_KEYS}}, status=403)
    return JsonResponse(security_keys.registration_options(request, user))


@login_required
@require_POST
@requires_recent_auth
def security_key_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    key = security_keys.get_own_key(request.user, pk)
    security_keys.key_remove(request=request, key=key)
    # de: Der Sicherheitsschlüssel „%(name)s“ wurde entfernt.
    messages.success(
        request, _("The security key “%(name)s” has been removed.") % {"name": key.name}
    )
    return redirect("security_keys")
