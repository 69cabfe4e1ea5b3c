"""Second factor (code step, enrollment, recovery codes), re-authentication, password change."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.accounts import mfa, security_keys
from lotse.accounts.forms import CodeForm, EnrollForm, LotsePasswordChangeForm, ReauthForm
from lotse.accounts.reauth import requires_recent_auth
from lotse.accounts.security import (
    clear_login_failures,
    client_ip,
    is_locked_out,
    record_login_failure,
)
from lotse.audit import signins
from lotse.core.http import AuthenticatedRequest

SESSION_ENROLL_NEXT = "lotse_enroll_next"


def safe_next(request: HttpRequest, candidate: str | None, default: str | None = None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def _next_of(request: HttpRequest) -> str | None:
    return request.POST.get("next") or request.GET.get("next")


def _locked_out_message() -> str:
    # de: Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(minutes)s Minuten und
    # de: versuchen Sie es dann erneut.
    return _("Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again.") % {
        "minutes": settings.LOTSE_LOGIN_LOCKOUT_MINUTES
    }


def _wrong_code_message() -> str:
    # de: Der Code ist falsch, abgelaufen oder wurde bereits verwendet.
    return _("The code is wrong, has expired or has already been used.")


def _method(code: str, result: mfa.SecondFactorResult) -> str:
    """The factor used, in German for the access log (never the code)."""
    if result.used_recovery_code or not mfa.looks_like_totp(code):
        return "Wiederherstellungscode"
    return "Authenticator-App"


def _recovery_note(request: HttpRequest, user: Any) -> None:
    left = mfa.unused_recovery_codes(user)
    messages.warning(
        request,
        # de: Sie haben einen Wiederherstellungscode verwendet. Übrig: %(left)s. Ist Ihr Gerät
        # de: verloren, lassen Sie den zweiten Faktor von der Verwaltung zurücksetzen.
        _(
            "You used a recovery code. Codes left: %(left)s. If your device is lost, ask the "
            "administration to reset your second factor."
        )
        % {"left": left},
    )


def _code_step_elsewhere(
    request: AuthenticatedRequest, next_url: str | None
) -> HttpResponse | None:
    """Where to go instead of the code step: on if verified (or exempt), else to the enrollment."""
    user = request.user
    if mfa.session_is_verified(request) or not mfa.second_factor_required(user):
        return redirect(safe_next(request, next_url))
    if not mfa.has_confirmed_device(user):
        return redirect("mfa_enroll")
    return None


def _code_step_passed(request: AuthenticatedRequest, next_url: str | None) -> HttpResponse:
    """The second factor is passed: new session key, verified, failures forgotten, on."""
    request.session.cycle_key()
    mfa.mark_verified(request)
    clear_login_failures(request.user)
    return redirect(safe_next(request, next_url))


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second sign-in step: a code from the authenticator app or a recovery code."""
    next_url = _next_of(request)
    user = request.user
    if (elsewhere := _code_step_elsewhere(request, next_url)) is not None:
        return elsewhere
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip_address = client_ip(request)
        if is_locked_out(user.username, ip_address):
            form.add_error("code", _locked_out_message())
        else:
            result = mfa.check_second_factor(user, form.cleaned_data["code"])
            method = _method(form.cleaned_data["code"], result)
            signins.second_factor(request=request, user=user, method=method, ok=result.ok)
            if result.ok:
                if result.used_recovery_code:
                    _recovery_note(request, user)
                return _code_step_passed(request, next_url)
            record_login_failure(user.username, ip_address)
            form.add_error("code", _wrong_code_message())
    status = 422 if request.method == "POST" else 200
    return _verify_page(request, form=form, next_url=next_url, status=status)


def _verify_page(
    request: AuthenticatedRequest,
    *,
    form: CodeForm,
    next_url: str | None,
    status: int,
    key_error: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "next": next_url or "",
        "security_keys": security_keys.has_keys(request.user),
        "key_error": key_error,
    }
    return render(request, "accounts/mfa_verify.html", context, status=status)


def _key_failed_message() -> str:
    # de: Die Anmeldung mit dem Sicherheitsschlüssel ist fehlgeschlagen. Bitte versuchen Sie es
    # de: erneut oder geben Sie den Code ein.
    return _("Signing in with the security key failed. Please try again or enter the code.")


def _key_sign_in_pending(request: AuthenticatedRequest) -> bool:
    """The code step applies: signed in with the password, not yet verified, app set up."""
    user = request.user
    return (
        not mfa.session_is_verified(request)
        and mfa.second_factor_required(user)
        and mfa.has_confirmed_device(user)
    )


def _key_options(request: AuthenticatedRequest, *, step_applies: bool) -> JsonResponse:
    """Options for ``navigator.credentials.get`` with the user's keys (JSON), unless locked out."""
    user = request.user
    if not step_applies or not security_keys.has_keys(user):
        # de: Für dieses Konto ist keine Anmeldung mit Sicherheitsschlüssel möglich.
        detail = _("Signing in with a security key is not possible for this account.")
        return JsonResponse({"detail": detail}, status=400)
    if is_locked_out(user.username, client_ip(request)):
        return JsonResponse({"detail": _locked_out_message()}, status=429)
    return JsonResponse(security_keys.authentication_options(request, user))


@login_required
@require_POST
def mfa_security_key_options(request: AuthenticatedRequest) -> JsonResponse:
    """Options for the browser to sign in with one of the user's security keys (JSON)."""
    return _key_options(request, step_applies=_key_sign_in_pending(request))


@login_required
@require_POST
def reauth_security_key_options(request: AuthenticatedRequest) -> JsonResponse:
    """Options for confirming a sign-in with a security key (JSON), for a verified session."""
    return _key_options(request, step_applies=mfa.session_is_verified(request))


@login_required
@require_POST
def mfa_security_key(request: AuthenticatedRequest) -> HttpResponse:
    """The code step with a security key instead of a code (same lockout, same outcome)."""
    next_url = _next_of(request)
    user = request.user
    if (elsewhere := _code_step_elsewhere(request, next_url)) is not None:
        return elsewhere
    ip_address = client_ip(request)
    if is_locked_out(user.username, ip_address):
        key_error = _locked_out_message()
    else:
        result = security_keys.key_authenticate(
            request=request, user=user, credential=request.POST.get("credential", "")
        )
        signins.second_factor(
            request=request, user=user, method="Sicherheitsschlüssel", ok=result.ok
        )
        if result.ok:
            return _code_step_passed(request, next_url)
        record_login_failure(user.username, ip_address)
        key_error = _key_failed_message()
    return _verify_page(
        request, form=CodeForm(), next_url=next_url, status=422, key_error=key_error
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_enroll(request: AuthenticatedRequest) -> HttpResponse:
    """Set up an authenticator app: QR code (or the key to type in), then a first code."""
    user = request.user
    next_url = _next_of(request)
    if mfa.has_confirmed_device(user):
        if mfa.session_is_verified(request):
            return redirect(safe_next(request, next_url))
        return redirect("mfa_verify")
    if request.method == "POST":
        device = mfa.TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
        form = EnrollForm(request.POST)
        if device is None:
            return redirect("mfa_enroll")
        if form.is_valid():
            codes = mfa.confirm_device(device, form.cleaned_data["code"])
            signins.second_factor(
                request=request,
                user=user,
                method="Authenticator-App eingerichtet",
                ok=codes is not None,
            )
            if codes is not None:
                request.session.cycle_key()
                mfa.mark_verified(request)
                request.session[mfa.SESSION_NEW_RECOVERY_CODES] = codes
                request.session[SESSION_ENROLL_NEXT] = safe_next(request, next_url)
                return redirect("mfa_recovery_codes")
            form.add_error("code", _wrong_code_message())
        status = 422
    else:
        # A fresh key on every visit: a key seen by someone else is never confirmed later.
        device = mfa.new_device(user)
        form = EnrollForm()
        status = 200
    context = {
        "form": form,
        "next": next_url or "",
        # de: QR-Code zum Einrichten der Authenticator-App
        "qr": mfa.qr_svg(device, _("QR code for setting up the authenticator app")),
        "secret": mfa.formatted_secret(device.secret),
    }
    return render(request, "accounts/mfa_enroll.html", context, status=status)


@login_required
def mfa_recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """The new recovery codes, shown exactly once (they are stored only as hashes)."""
    codes = request.session.pop(mfa.SESSION_NEW_RECOVERY_CODES, None)
    next_url = request.session.pop(SESSION_ENROLL_NEXT, None)
    if not codes:
        return redirect(safe_next(request, next_url))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": safe_next(request, next_url)},
    )


@login_required
@require_POST
@requires_recent_auth
def recovery_codes_renew(request: AuthenticatedRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), shown once — after a fresh sign-in."""
    user = request.user
    if not mfa.has_confirmed_device(user):
        # de: Richten Sie zuerst die Authenticator-App ein.
        messages.error(request, _("Set up the authenticator app first."))
        return redirect("security_keys")
    codes = mfa.renew_recovery_codes(user=user, request=request)
    request.session[mfa.SESSION_NEW_RECOVERY_CODES] = codes
    request.session[SESSION_ENROLL_NEXT] = resolve_url("security_keys")
    return redirect("mfa_recovery_codes")


def reauth_page(
    request: HttpRequest,
    *,
    next_url: str,
    carried: list[tuple[str, str]] | None = None,
    stale: bool = False,
    form: ReauthForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    user = request.user
    with_code = mfa.second_factor_required(user) and mfa.has_confirmed_device(user)
    context = {
        "form": form or ReauthForm(with_code=with_code),
        "next": next_url,
        "carried": carried or [],
        "stale": stale,
        "with_code": with_code,
        "security_keys": with_code and security_keys.has_keys(user),
    }
    if status is None:
        status = 403 if stale else 200
    return render(request, "accounts/reauth.html", context, status=status)


def _confirmation_factor(
    request: AuthenticatedRequest, *, credential: str, code: str | None
) -> tuple[mfa.SecondFactorResult, str]:
    """The second factor of a confirmation: the key's response, else the code (if one is asked
    for, i.e. the user has an app), with the factor's name for the access log."""
    user = request.user
    if credential:
        key = security_keys.key_authenticate(request=request, user=user, credential=credential)
        return mfa.SecondFactorResult(ok=key.ok), "Sicherheitsschlüssel"
    if code is not None:
        result = mfa.check_second_factor(user, code)
        return result, _method(code, result)
    return mfa.SecondFactorResult(ok=True), ""


@login_required
@require_http_methods(["GET", "POST"])
def reauth(request: AuthenticatedRequest) -> HttpResponse:
    """Confirm the sign-in (password, and a code if an app is set up) before a sensitive action."""
    user = request.user
    next_url = safe_next(request, _next_of(request))
    if request.method == "GET":
        return reauth_page(request, next_url=next_url)
    carried = [
        (key[len("carried:") :], value)
        for key, values in request.POST.lists()
        if key.startswith("carried:")
        for value in values
    ]
    with_code = mfa.second_factor_required(user) and mfa.has_confirmed_device(user)
    credential = security_keys.credential_from_post(request) if with_code else ""
    form = ReauthForm(request.POST, with_code=with_code and not credential)
    if form.is_valid():
        ip_address = client_ip(request)
        if is_locked_out(user.username, ip_address):
            form.add_error(None, _locked_out_message())
        elif (
            authenticate(request, username=user.username, password=form.cleaned_data["password"])
            is None
        ):
            record_login_failure(user.username, ip_address)
            # de: Das Passwort ist falsch.
            form.add_error("password", _("The password is wrong."))
        else:
            result, method = _confirmation_factor(
                request, credential=credential, code=form.cleaned_data.get("code")
            )
            if not result.ok:
                signins.second_factor(request=request, user=user, method=method, ok=False)
                record_login_failure(user.username, ip_address)
                if credential:
                    form.add_error(None, _key_failed_message())
                else:
                    form.add_error("code", _wrong_code_message())
            else:
                signins.confirmed(request=request, user=user, with_code=with_code)
                clear_login_failures(user)
                request.session[mfa.SESSION_AUTH_AT] = int(time.time())
                if with_code:
                    mfa.mark_verified(request)
                if result.used_recovery_code:
                    _recovery_note(request, user)
                if carried:
                    return render(
                        request,
                        "accounts/reauth_continue.html",
                        {"next": next_url, "carried": carried},
                    )
                return redirect(next_url)
    return reauth_page(request, next_url=next_url, carried=carried, form=form, status=422)


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (the current password is required; ASVS 2.1.5, 2.1.6)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = LotsePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            # Other sessions of the user end (their session hash no longer matches).
            update_session_auth_hash(request, user)
            # de: Ihr Passwort wurde geändert. Andere Sitzungen wurden beendet.
            messages.success(request, _("Your password was changed. Other sessions were ended."))
            return redirect("home")
        return render(request, "accounts/password_change.html", {"form": form}, status=422)
    return render(request, "accounts/password_change.html", {"form": form})
