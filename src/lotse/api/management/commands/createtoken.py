"""``lotse createtoken USERNAME [--name NAME] [--days N]``: issue an API token, print it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.api.services import token_create


class Command(BaseCommand):
    # de: Legt einen API-Token für einen Benutzer an und gibt ihn einmalig aus (gespeichert wird nur sein Hash).
    help = "Create an API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--name",
            default="Kommandozeile",
            # de: Bezeichnung des Tokens (z. B. die Anwendung, die ihn benutzt).
            help="Name of the token (e.g. the application that uses it).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            # de: Gültigkeit in Tagen (Voreinstellung LOTSE_API_TOKEN_DAYS, höchstens LOTSE_API_TOKEN_MAX_DAYS).
            help="Validity in days (default LOTSE_API_TOKEN_DAYS, at most LOTSE_API_TOKEN_MAX_DAYS).",
        )

    def handle(
        self, *args: Any, username: str, name: str, days: int | None, **options: Any
    ) -> None:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get(username=username)
        except user_model.DoesNotExist:
            # de: Es gibt keinen Benutzer „%(username)s“.
            raise CommandError(
                _("There is no user “%(username)s”.") % {"username": username}
            ) from None
        if not user.is_active:
            self.stderr.write(
                # de: Achtung: Das Konto ist deaktiviert; der Token funktioniert erst nach der Aktivierung.
                _(
                    "Warning: the account is deactivated; the token works only once it is active again."
                )
            )
        try:
            issued = token_create(user=user, name=name, days=days, channel="cli")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(
            # de: Token „%(name)s“ (%(prefix)s…) gültig bis %(expires)s. Er wird nur jetzt angezeigt.
            _("Token “%(name)s” (%(prefix)s…) valid until %(expires)s. It is shown only now.")
            % {
                "name": issued.token.name,
                "prefix": issued.token.prefix,
                "expires": f"{issued.token.expires_at:%Y-%m-%d %H:%M} UTC",
            }
        )
        self.stdout.write(issued.secret)
