"""Delete the files of imports nobody confirmed or discarded (run daily, e.g. by cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.spreadsheets.services import import_purge_stale


class Command(BaseCommand):
    help = "Discard unconfirmed imports older than --hours and delete their uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        count = import_purge_stale(older_than=dt.timedelta(hours=options["hours"]))
        self.stdout.write(f"{count} import(s) discarded.")
