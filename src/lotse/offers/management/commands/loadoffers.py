"""``lotse loadoffers FILE``: load a Träger's offers catalogue (Angebote) from YAML."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lotse.offers.catalogue import CatalogueError, catalogue_load


class Command(BaseCommand):
    # de: Lädt den Angebotskatalog eines Trägers (Integrationskurse, Beratung, Coaching, …).
    help = "Load a Träger's offers catalogue (integration courses, counselling, coaching, …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("path to the YAML file"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = catalogue_load(path=options["file"])
        except CatalogueError as error:
            raise CommandError("\n".join(error.problems), returncode=2) from error
        self.stdout.write(report.as_text())
