"""Background tasks (django-tasks): the daily deadline run, enqueued by ``lotse scheduler``."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from lotse.deadlines import reminders, services


@task()
def daily_deadline_run(day: str) -> dict[str, int]:
    """Recompute all deadlines, then send the reminders (deadlines, tasks and referral
    follow-ups) and digests for ``day`` (ISO date).

    Every step is idempotent, so a retried or duplicated run sends nothing twice.
    """
    today = dt.date.fromisoformat(day)
    refreshed = services.deadlines_refresh_all(today=today)
    return {
        "refreshed": refreshed,
        "reminders": reminders.send_due_reminders(today=today),
        "task_reminders": reminders.send_task_reminders(today=today),
        "digests": reminders.send_digests(today=today),
    }
