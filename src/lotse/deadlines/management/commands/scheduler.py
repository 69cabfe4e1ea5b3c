"""``lotse scheduler``: enqueue the daily deadline run once a day (runs until stopped)."""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from lotse.deadlines.scheduler import enqueue_daily, run_scheduler, scheduled_time


class Command(BaseCommand):
    help = (
        "Enqueue the daily deadline run (recompute, reminders, digest) once per day at "
        "LOTSE_SCHEDULER_TIME. The worker (lotse worker) executes it. Writes a heartbeat and "
        "retries when the database is locked."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Check once and exit; enqueues today's run regardless of the time of day "
            "unless it was already enqueued today (for cron).",
        )
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks (default 30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            enqueued = enqueue_daily(ignore_time=True)
            self.stdout.write("enqueued" if enqueued else "already enqueued today")
            return
        stop = False

        def _stop(*_: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.stdout.write(f"scheduler: daily deadline run at {scheduled_time():%H:%M}")
        run_scheduler(
            should_stop=lambda: stop,
            interval=options["interval"],
            on_enqueued=lambda: self.stdout.write("scheduler: enqueued today's deadline run"),
        )
