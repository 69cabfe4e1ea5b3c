"""Background tasks (django-tasks): the daily deadline run, enqueued by ``lotse scheduler``."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from lotse.deadlines import reminders, services


def previous_run_day(today: dt.date) -> dt.date | None:
    """The day of the previous daily run, or None for a full run (the first run, or more
    than a week since the last). Between, the daily run recomputes the persons whose
    deadlines can have changed (``services.changed_since``) and every person of a Träger
    whose configuration changed (``services.deadline_basis``)."""
    from lotse.deadlines.models import SchedulerRun
    from lotse.deadlines.scheduler import DAILY_JOB

    previous = (
        SchedulerRun.objects.filter(job=DAILY_JOB, run_on__lt=today)
        .order_by("-run_on")
        .values_list("run_on", flat=True)
        .first()
    )
    if previous is None or (today - previous).days > 7:
        return None
    return previous


@task()
def daily_deadline_run(day: str) -> dict[str, int]:
    """Recompute all deadlines, then send the reminders (deadlines, tasks and referral
    follow-ups) and digests for ``day`` (ISO date).

    Every step is idempotent, so a retried or duplicated run sends nothing twice.
    """
    today = dt.date.fromisoformat(day)
    outcomes = services.deadlines_refresh_traeger_all(today=today, since=previous_run_day(today))
    return {
        "refreshed": sum(outcome.written for outcome in outcomes),
        "full_refresh_traeger": sum(1 for outcome in outcomes if outcome.full),
        "reminders": reminders.send_due_reminders(today=today),
        "task_reminders": reminders.send_task_reminders(today=today),
        "digests": reminders.send_digests(today=today),
    }
