"""Background task: the daily retention run (enqueued by ``lotse scheduler``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from lotse.retention.jobs import apply_retention


@task()
def daily_retention_run(day: str) -> dict[str, int]:
    """Apply every Träger's retention rules as of ``day`` (ISO date); idempotent."""
    report = apply_retention(today=dt.date.fromisoformat(day))
    return {"deleted": report.deleted}


def enqueue_daily_retention(day: dt.date) -> None:
    daily_retention_run.enqueue(day.isoformat())
