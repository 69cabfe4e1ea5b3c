"""Forms of the sign-in steps after the password: code, enrollment, re-authentication."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import FreeTextField

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "none",
    "spellcheck": "false",
    "autofocus": True,
}


class CodeForm(forms.Form):
    code = FreeTextField(
        label=_("Code"),  # de: Code
        max_length=32,
        strip=True,
        widget=forms.TextInput(attrs=CODE_ATTRS),
        # de: Der sechsstellige Code aus Ihrer Authenticator-App oder einer Ihrer Wiederherstellungscodes.
        help_text=_(
            "The six-digit code from your authenticator app or one of your recovery codes."
        ),
    )


class EnrollForm(forms.Form):
    code = FreeTextField(
        label=_("Code from the app"),  # de: Code aus der App
        max_length=16,
        strip=True,
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
        # de: Sechs Ziffern, die die App nach dem Einrichten anzeigt.
        help_text=_("Six digits the app shows after you have added Lotse."),
    )


class ReauthForm(forms.Form):
    password = FreeTextField(
        label=_("Password"),  # de: Passwort
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args: Any, with_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"] = FreeTextField(
                label=_("Code"),
                max_length=32,
                strip=True,
                widget=forms.TextInput(
                    attrs={key: value for key, value in CODE_ATTRS.items() if key != "autofocus"}
                ),
                help_text=CodeForm.base_fields["code"].help_text,
            )


class LotsePasswordChangeForm(PasswordChangeForm):
    """Django's form (current password, new password twice, all validators), autofocus first."""


class SecurityKeyForm(forms.Form):
    """Adding a security key: the name the user gives it and the browser's response (script)."""

    name = FreeTextField(
        label=_("Name of the key"),  # de: Bezeichnung des Schlüssels
        max_length=64,
        strip=True,
        # de: Damit Sie den Schlüssel später wiedererkennen, zum Beispiel „YubiKey Büro“.
        help_text=_("So that you recognise the key later, for example “YubiKey office”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    credential = FreeTextField(
        label=_("Security key"),  # de: Sicherheitsschlüssel
        required=False,
        widget=forms.HiddenInput(attrs={"data-security-key-credential": True}),
    )
