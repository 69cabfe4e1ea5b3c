"""Heartbeats of the background processes and the state ``/healthz`` reports.

The worker (``lotse worker``) and the scheduler (``lotse scheduler``) write a heartbeat every
few seconds (:class:`lotse.core.models.ProcessHeartbeat`, one row per role and host). A process
whose heartbeat is older than ``LOTSE_HEARTBEAT_STALE_SECONDS`` (default 60) counts as stopped;
rows not seen for a day are ignored (a host taken out of service). ``/healthz`` says
"degraded" when the worker is stopped, or when tasks wait and no worker was ever seen.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone

from lotse.core.models import ProcessHeartbeat

logger = logging.getLogger("lotse.health")

#: Seconds between two heartbeats of a process.
BEAT_EVERY = 10.0
#: Heartbeats older than this belong to a host no longer in service and are ignored.
FORGET_AFTER = dt.timedelta(days=1)

Role = ProcessHeartbeat.Role


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "LOTSE_HEARTBEAT_STALE_SECONDS", 60))


def beat(role: str, *, started_at: dt.datetime, now: dt.datetime | None = None) -> None:
    """Record that this process (``role`` on this host) is alive."""
    ProcessHeartbeat.objects.update_or_create(
        role=role,
        host=socket.gethostname()[:255],
        defaults={"pid": os.getpid(), "started_at": started_at, "last_seen": now or timezone.now()},
    )


class Heartbeat:
    """Rate-limited heartbeat for a loop; a failed write is logged, never raised."""

    def __init__(self, role: str, every: float = BEAT_EVERY) -> None:
        self.role = role
        self.every = every
        self.started_at = timezone.now()
        self._last = -float("inf")

    def maybe_beat(self) -> bool:
        if time.monotonic() - self._last < self.every:
            return False
        try:
            beat(self.role, started_at=self.started_at)
        except DatabaseError as error:  # locked or unreachable: try again next time
            logger.warning("heartbeat of %s not written: %s", self.role, error)
            return False
        self._last = time.monotonic()
        return True


class HeartbeatThread(threading.Thread):
    """Beats in the background while the main thread works (a long task keeps it alive)."""

    def __init__(self, role: str, every: float = BEAT_EVERY) -> None:
        super().__init__(name=f"heartbeat-{role}", daemon=True)
        self.heartbeat = Heartbeat(role, every=every)
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.is_set():
                self.heartbeat.maybe_beat()
                self._stop_event.wait(min(1.0, self.heartbeat.every))
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()


def _process_state(role: str, now: dt.datetime) -> dict[str, Any]:
    latest = (
        ProcessHeartbeat.objects.filter(role=role, last_seen__gte=now - FORGET_AFTER)
        .order_by("-last_seen")
        .values_list("last_seen", flat=True)
        .first()
    )
    if latest is None:
        return {"status": "absent", "last_seen_seconds": None}
    age = max(0, int((now - latest).total_seconds()))
    return {"status": "ok" if now - latest <= stale_after() else "stale", "last_seen_seconds": age}


def queue_state(now: dt.datetime) -> dict[str, Any]:
    """Tasks waiting to run (due now) and the age of the oldest, in seconds."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    stats = waiting.aggregate(oldest=Min("enqueued_at"))
    count = waiting.count()
    oldest = stats["oldest"]
    return {
        "waiting": count,
        "oldest_seconds": max(0, int((now - oldest).total_seconds())) if oldest else None,
    }


def background_state(now: dt.datetime | None = None) -> dict[str, Any]:
    """Worker, scheduler and queue, and the reasons for "degraded" (empty when all is well)."""
    now = now or timezone.now()
    worker = _process_state(Role.WORKER, now)
    scheduler = _process_state(Role.SCHEDULER, now)
    queue = queue_state(now)
    reasons = []
    if worker["status"] == "stale":
        reasons.append("worker_stopped")
    elif worker["status"] == "absent" and queue["waiting"]:
        reasons.append("no_worker")
    if scheduler["status"] == "stale":
        reasons.append("scheduler_stopped")
    return {"worker": worker, "scheduler": scheduler, "queue": queue, "reasons": reasons}
