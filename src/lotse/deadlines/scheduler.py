"""Once a day, at a configured time, enqueue the daily deadline run (``lotse scheduler``)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lotse.deadlines.models import SchedulerRun

DAILY_JOB = "deadlines.daily"
DEFAULT_TIME = "06:00"

#: Further daily jobs of other apps (e.g. the retention run), registered in their ``ready()``:
#: job name → function that enqueues the job for a day. Each runs at most once per day.
_DAILY_JOBS: dict[str, Callable[[dt.date], object]] = {}


def register_daily_job(job: str, enqueue: Callable[[dt.date], object]) -> None:
    _DAILY_JOBS[job] = enqueue


def scheduled_time() -> dt.time:
    """``LOTSE_SCHEDULER_TIME`` (HH:MM, local time), default 06:00."""
    value = getattr(settings, "LOTSE_SCHEDULER_TIME", None) or os.environ.get(
        "LOTSE_SCHEDULER_TIME", DEFAULT_TIME
    )
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return dt.time.fromisoformat(DEFAULT_TIME)


def enqueue_daily(*, now: dt.datetime | None = None, ignore_time: bool = False) -> bool:
    """Enqueue today's run if it is time and nobody has yet; True if this call enqueued it.

    The ``SchedulerRun`` row (unique per job and day) makes this idempotent across restarts and
    several scheduler processes.
    """
    from lotse.deadlines.tasks import daily_deadline_run

    local = timezone.localtime(now or timezone.now())
    if not ignore_time and local.time() < scheduled_time():
        return False
    today = local.date()
    jobs: dict[str, Callable[[dt.date], object]] = {
        DAILY_JOB: lambda day: daily_deadline_run.enqueue(day.isoformat()),
        **_DAILY_JOBS,
    }
    enqueued = False
    for job, enqueue in jobs.items():
        try:
            with transaction.atomic():
                SchedulerRun.objects.create(job=job, run_on=today)
                transaction.on_commit(lambda enqueue=enqueue: enqueue(today))  # type: ignore[misc]
        except IntegrityError:
            continue
        enqueued = True
    return enqueued
