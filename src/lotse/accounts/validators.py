"""Password rules (ASVS 2.1): at least 12 and at most 128 characters, no composition rules.

Spaces and any Unicode characters are allowed; the password is neither truncated nor changed.
Length, similarity to the user's name and the list of common passwords are checked by Django's
validators (``AUTH_PASSWORD_VALIDATORS``), offline.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    # de: Dieses Passwort ist zu lang. Es darf höchstens %(max_length)d Zeichen enthalten.
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        # de: Ihr Passwort darf höchstens %(max_length)d Zeichen enthalten.
        return _("Your password must contain at most %(max_length)d characters.") % {
            "max_length": self.max_length
        }
