"""Background task: the daily run that flags what relied on consents that expired."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from lotse.consent.flags import flag_expired_consents


@task()
def daily_consent_expiry_run(day: str) -> dict[str, int]:
    """Flag the dependants of consents whose ``valid_until`` passed before ``day``; idempotent."""
    return {"flagged": flag_expired_consents(today=dt.date.fromisoformat(day))}


def enqueue_daily_consent_expiry(day: dt.date) -> None:
    daily_consent_expiry_run.enqueue(day.isoformat())
