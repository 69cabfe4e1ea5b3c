"""``lotse revoketoken PREFIX`` or ``lotse revoketoken --user USERNAME``: revoke API tokens."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.api.models import ApiToken
from lotse.api.services import PREFIX_LENGTH, hash_secret, token_revoke


class Command(BaseCommand):
    # de: Widerruft API-Tokens – einen über seine Kennung (die ersten 8 Zeichen) oder alle eines Benutzers.
    help = "Revoke API tokens: one by its prefix (the first 8 characters) or all of a user."

    def add_arguments(self, parser: CommandParser) -> None:
        # de: Kennung des Tokens (die ersten 8 Zeichen) oder der ganze Token.
        parser.add_argument(
            "prefix", nargs="?", help="Token prefix (first 8 characters) or the token."
        )
        # de: Alle gültigen Tokens dieses Benutzers widerrufen.
        parser.add_argument("--user", help="Revoke every active token of this user.")

    def handle(self, *args: Any, prefix: str | None, user: str | None, **options: Any) -> None:
        if bool(prefix) == bool(user):
            # de: Bitte entweder eine Token-Kennung oder --user angeben.
            raise CommandError(_("Give either a token prefix or --user."))
        tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        if prefix and len(prefix) > PREFIX_LENGTH:
            tokens = tokens.filter(token_hash=hash_secret(prefix))
        elif prefix:
            tokens = tokens.filter(prefix=prefix)
        else:
            tokens = tokens.filter(user__username=user)
        found = list(tokens)
        if not found:
            # de: Kein gültiger Token gefunden.
            raise CommandError(_("No active token found."))
        for token in found:
            token_revoke(token=token, actor=token.user, channel="cli")
            # de: Widerrufen: %(prefix)s… „%(name)s“ von %(username)s
            self.stdout.write(
                _("Revoked: %(prefix)s… “%(name)s” of %(username)s")
                % {"prefix": token.prefix, "name": token.name, "username": token.user.username}
            )
