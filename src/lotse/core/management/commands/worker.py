"""``lotse worker``: the background worker (django-tasks' ``db_worker``), made robust.

Compared with ``lotse db_worker`` it

- writes a heartbeat every few seconds (``/healthz`` reports a silent worker as degraded),
- survives "database is locked" and a briefly unreachable database: the poll loop waits with an
  exponential backoff and retries instead of exiting, and recording a task's result is
  retried, so a finished task does not stay "running".

All options of ``db_worker`` apply (``--interval``, ``--queue-name``, ``--batch`` …).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import CommandError
from django.db import connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from lotse.core.health import HeartbeatThread, Role
from lotse.core.resilience import Backoff, retry_transient, run_until_stopped

logger = logging.getLogger("lotse.worker")


class RobustWorker(db_worker.Worker):
    """The django-tasks database worker; retries on lock contention instead of exiting."""

    def __init__(self, *args: Any, backoff: Backoff | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.backoff = backoff or Backoff()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # Recording the outcome is a short write; retry it rather than leave the row "running".
        for name in ("set_successful", "set_failed"):
            setattr(db_task_result, name, retry_transient(getattr(db_task_result, name)))
        super().run_task(db_task_result)
        self.backoff.reset()

    def run(self) -> None:
        run_until_stopped(
            super().run, name="worker", should_stop=lambda: not self.running, backoff=self.backoff
        )


class Command(db_worker.Command):
    help = (
        "Run the background worker: executes queued tasks (imports, daily runs), writes a "
        "heartbeat and retries when the database is locked."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = RobustWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        heartbeat = HeartbeatThread(Role.WORKER)
        heartbeat.start()
        try:
            worker.configure_signals()
            worker.run()
        finally:
            heartbeat.stop()
            connections.close_all()
