"""``lotse refreshdeadlines [--traeger SLUG]``: recompute every person's goal deadlines."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lotse.deadlines.services import deadlines_refresh_all
from lotse.tenancy.models import Traeger


class Command(BaseCommand):
    help = "Recompute the goal deadlines of all persons (of one Träger with --traeger)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--traeger", action="append", default=[], metavar="SLUG")

    def handle(self, *args: Any, **options: Any) -> None:
        slugs = options["traeger"]
        unknown = set(slugs) - set(
            Traeger.objects.filter(slug__in=slugs).values_list("slug", flat=True)
        )
        if unknown:
            raise CommandError(f"Unbekannter Träger: {', '.join(sorted(unknown))}")
        written = deadlines_refresh_all(traeger_slugs=slugs)
        self.stdout.write(f"{written} Fristen neu berechnet.")
