"""Once a day, at a configured time, enqueue the daily deadline run (``lotse scheduler``)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from lotse.core.health import Heartbeat, Role
from lotse.core.resilience import TRANSIENT_ERRORS, Backoff
from lotse.deadlines.models import SchedulerRun

logger = logging.getLogger("lotse.scheduler")

DAILY_JOB = "deadlines.daily"
DEFAULT_TIME = "06:00"

#: Further daily jobs of other apps (e.g. the retention run), registered in their ``ready()``:
#: job name → function that enqueues the job for a day. Each runs at most once per day.
_DAILY_JOBS: dict[str, Callable[[dt.date], object]] = {}


def register_daily_job(job: str, enqueue: Callable[[dt.date], object]) -> None:
    _DAILY_JOBS[job] = enqueue


#: Short steps run on every round of the loop (e.g. linking new access-log entries into their
#: chains), registered in the apps' ``ready()``.
_FREQUENT_JOBS: dict[str, Callable[[], object]] = {}


def register_frequent_job(job: str, run: Callable[[], object]) -> None:
    _FREQUENT_JOBS[job] = run


def run_frequent_jobs() -> None:
    for job in sorted(_FREQUENT_JOBS):
        _FREQUENT_JOBS[job]()


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


def run_scheduler(
    *,
    should_stop: Callable[[], bool],
    interval: float = 30.0,
    enqueue: Callable[[], bool] = lambda: enqueue_daily(),
    on_enqueued: Callable[[], Any] = lambda: None,
    frequent: Callable[[], Any] = run_frequent_jobs,
    sleep: Callable[[float], Any] = time.sleep,
    heartbeat: Heartbeat | None = None,
    backoff: Backoff | None = None,
) -> None:
    """The scheduler's loop: check every ``interval`` seconds, beat, and survive a locked or
    unreachable database (wait with backoff and try again; never exit because of it)."""
    heartbeat = heartbeat or Heartbeat(Role.SCHEDULER)
    backoff = backoff or Backoff()
    while not should_stop():
        wait = interval
        try:
            if enqueue():
                on_enqueued()
            frequent()
        except TRANSIENT_ERRORS as error:
            wait = backoff.next_delay()
            logger.warning(
                "scheduler: database busy or unreachable (%s); retry in %.0f s", error, wait
            )
            connections.close_all()
        else:
            backoff.reset()
        slept = 0.0
        while slept < wait and not should_stop():
            heartbeat.maybe_beat()
            step = min(1.0, wait - slept)
            sleep(step)
            slept += step
