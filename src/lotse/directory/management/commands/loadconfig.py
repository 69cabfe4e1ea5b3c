"""``lotse loadconfig FILE``: load a Träger's configuration file (the Werkzeugkoffer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.directory.config import ConfigError, config_load, read_config


class Command(BaseCommand):
    # de: Lädt die Konfigurationsdatei eines Trägers (Gemeinden, Sozialräume, Organisationen,
    # de: Programme, Ziele, Gremien, Gesprächsleitfäden).
    help = (
        "Load a Träger's configuration file (municipalities, social areas, organisations, "
        "programmes, goals, bodies, interview guides)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # de: Pfad zur YAML-Datei
        parser.add_argument("file", help=_("path to the YAML file"))
        parser.add_argument(
            "--check",
            action="store_true",
            # de: nur prüfen, nichts speichern
            help=_("only validate, do not save anything"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["check"]:
                parsed = read_config(path=options["file"])
                # de: {file} ist gültig.
                self.stdout.write(_("{file} is valid.").format(file=parsed.filename))
                return
            report = config_load(path=options["file"])
        except ConfigError as exc:
            raise CommandError(exc.render(), returncode=2) from exc
        self.stdout.write(report.as_text())
