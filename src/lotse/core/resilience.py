"""Surviving lock contention: back off and retry instead of exiting.

On the embedded default (SQLite) only one process writes at a time; a writer that waits longer
than the busy timeout gets ``OperationalError: database is locked``. The background worker and
the scheduler must not die of that (imports would stay "queued", reminders would stop): they
retry with an exponential backoff. The same holds for a database that is briefly unreachable
(PostgreSQL restart): ``OperationalError``/``InterfaceError``.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)

logger = logging.getLogger("lotse.resilience")

T = TypeVar("T")

#: Errors a retry can cure: a locked database, a lost or refused connection.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


class Backoff:
    """Exponential backoff: ``initial``, doubled per failure, at most ``maximum`` seconds."""

    def __init__(self, initial: float = 1.0, maximum: float = 30.0, factor: float = 2.0) -> None:
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.failures = 0

    def next_delay(self) -> float:
        delay = min(self.maximum, self.initial * self.factor**self.failures)
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0


def retry_transient(
    func: Callable[..., T],
    *,
    attempts: int = 6,
    backoff: Backoff | None = None,
    sleep: Callable[[float], Any] = time.sleep,
) -> Callable[..., T]:
    """``func`` retried up to ``attempts`` times on transient database errors, then re-raised."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        waits = backoff or Backoff(initial=0.5, maximum=10.0)
        for attempt in range(1, attempts + 1):
            try:
                return func(*args, **kwargs)
            except TRANSIENT_ERRORS as error:
                if attempt == attempts:
                    raise
                delay = waits.next_delay()
                logger.warning(
                    "%s: database busy or unreachable (%s); retry %s of %s in %.1f s",
                    getattr(func, "__name__", "call"),
                    error,
                    attempt,
                    attempts - 1,
                    delay,
                )
                close_old_connections()
                sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def run_until_stopped(
    step: Callable[[], Any],
    *,
    name: str,
    should_stop: Callable[[], bool],
    backoff: Backoff | None = None,
    sleep: Callable[[float], Any] = time.sleep,
) -> None:
    """Call ``step`` until it returns or ``should_stop()``; transient errors wait and retry.

    Any other exception propagates (the process exits and ``lotse run`` restarts it).
    """
    waits = backoff or Backoff()
    while not should_stop():
        try:
            step()
            return
        except TRANSIENT_ERRORS as error:
            if should_stop():
                return
            delay = waits.next_delay()
            logger.warning(
                "%s: database busy or unreachable (%s); retrying in %.0f s", name, error, delay
            )
            connections.close_all()
            sleep(delay)
