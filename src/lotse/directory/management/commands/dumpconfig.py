"""``lotse dumpconfig SLUG [-o FILE]``: write a Träger's configuration in the file format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.directory.config import UnknownTraeger, config_dump


class Command(BaseCommand):
    # de: Schreibt die Konfiguration eines Trägers im Dateiformat von loadconfig.
    help = "Write a Träger's configuration in the file format read by loadconfig."

    def add_arguments(self, parser: CommandParser) -> None:
        # de: Kürzel des Trägers, z. B. kreis-lippe
        parser.add_argument("slug", help=_("key of the Träger, e.g. kreis-lippe"))
        parser.add_argument(
            "-o",
            "--output",
            # de: Datei, in die geschrieben wird (sonst Standardausgabe)
            help=_("file to write to (default: standard output)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = config_dump(traeger_slug=options["slug"])
        except UnknownTraeger as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            # de: Konfiguration von {slug} nach {file} geschrieben.
            self.stderr.write(
                _("Wrote the configuration of {slug} to {file}.").format(
                    slug=options["slug"], file=options["output"]
                )
            )
        else:
            self.stdout.write(text, ending="")
