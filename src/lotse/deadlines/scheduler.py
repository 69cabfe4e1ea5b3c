"""Once a day, at a configured time, enqueue the daily deadline run (``lotse scheduler``)."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lotse.deadlines.models import SchedulerRun

DAILY_JOB = "deadlines.daily"
DEFAULT_TIME = "06:00"


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
    try:
        with transaction.atomic():
            SchedulerRun.objects.create(job=DAILY_JOB, run_on=today)
            transaction.on_commit(lambda: daily_deadline_run.enqueue(today.isoformat()))
    except IntegrityError:
        return False
    return True
