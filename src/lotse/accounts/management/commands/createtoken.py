"""``lotse createtoken USERNAME``: print the API token of a user, creating it on first use."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    # de: Gibt den API-Token eines Benutzers aus (legt ihn beim ersten Aufruf an).
    help = "Print the API token of a user (created on first use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--rotate",
            action="store_true",
            # de: Den bisherigen Token ungültig machen und einen neuen ausgeben.
            help="Invalidate the existing token and print a new one.",
        )

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
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
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=user).delete()
            token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
