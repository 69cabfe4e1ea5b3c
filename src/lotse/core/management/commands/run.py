"""``lotse run``: web server, background worker and scheduler, restarted when they exit."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from lotse.core.datadir import ensure_data_dir
from lotse.core.supervisor import (
    DEFAULT_THREADS,
    Supervisor,
    default_programs,
    default_web_workers,
    executable_next_to,
)


class Command(BaseCommand):
    help = (
        "Start the web server (gunicorn), the background worker and the scheduler; restart any "
        "that exits; Ctrl+C stops all (the embedded default of make run)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Host:port of the web server.")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_web_workers(),
            help="Web server processes (default: one per core, at least two).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help="Threads per web server process (requests waiting on the database).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_data_dir(settings.DATA_DIR)
        programs = default_programs(
            lotse=executable_next_to(sys.executable, "lotse"),
            gunicorn=executable_next_to(sys.executable, "gunicorn"),
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
        )
        Supervisor(programs, say=lambda line: self.stdout.write(line)).run()
