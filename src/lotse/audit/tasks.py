"""Background task: the daily signed checkpoint of the access log (enqueued by ``lotse scheduler``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from lotse.audit.checkpoints import write_checkpoints


@task()
def daily_audit_checkpoint(day: str) -> dict[str, int]:
    """Sign, store, log and mail a checkpoint of every intact chain; ``day`` is informational."""
    run = write_checkpoints()
    return {"written": len(run.written), "refused": len(run.refused), "mails": run.mails}


def enqueue_daily_checkpoint(day: dt.date) -> None:
    daily_audit_checkpoint.enqueue(day.isoformat())
