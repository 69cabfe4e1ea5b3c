"""Reading the access log: only the data protection officer of the same Träger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, QuerySet, Sum
from django.utils import timezone

from lotse.audit.models import AuditEntry, DenialTally
from lotse.core.access import can_open_audit_log
from lotse.core.pagination import KeysetPage, keyset_page


def can_read_audit(user: Any) -> bool:
    return can_open_audit_log(user)


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    person_id: int | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_entries_for_user(user: Any, *, filters: AuditFilter) -> QuerySet[AuditEntry]:
    if not can_read_audit(user):
        return AuditEntry.objects.none()
    queryset = AuditEntry.objects.filter(traeger_id=user.traeger_id)
    if filters.username:
        queryset = queryset.filter(username=filters.username)
    if filters.person_id:
        queryset = queryset.filter(person_id=filters.person_id)
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    # A sargable time range (local days, Europe/Berlin) on ``traeger, -occurred_at, -id``:
    # ``occurred_at__date`` compared the converted date of every entry (issue 14).
    if filters.date_from:
        queryset = queryset.filter(occurred_at__gte=start_of_day(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(
            occurred_at__lt=start_of_day(filters.date_to + dt.timedelta(days=1))
        )
    return queryset


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the local time zone (Europe/Berlin), as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_page_for_user(user: Any, *, filters: AuditFilter, cursor: str | None) -> KeysetPage:
    return keyset_page(
        audit_entries_for_user(user, filters=filters),
        order=["-occurred_at", "-id"],
        cursor=cursor,
        size=50,
    )


@dataclass(frozen=True)
class DenialRow:
    username: str
    kind: str
    status: int
    count: int
    first_at: dt.datetime
    last_at: dt.datetime
    notable: bool


DENIAL_ROWS = 500


def denial_period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """The requested days, by default the last 30 (local dates, both included)."""
    until = date_to or timezone.localdate()
    return (date_from or until - dt.timedelta(days=29), until)


def denial_rows_for_user(
    user: Any, *, date_from: dt.date, date_to: dt.date, threshold: int
) -> list[DenialRow]:
    """Refused attempts of the officer's Träger per user and kind, the most frequent first."""
    if not can_read_audit(user):
        return []
    start = start_of_day(date_from)
    end = start_of_day(date_to + dt.timedelta(days=1))
    rows = (
        DenialTally.objects.filter(traeger_id=user.traeger_id, hour__gte=start, hour__lt=end)
        .values("username", "kind", "status")
        .annotate(total=Sum("count"), first=Min("first_at"), last=Max("last_at"))
        .order_by("-total", "username", "kind", "status")[:DENIAL_ROWS]
    )
    return [
        DenialRow(
            username=row["username"],
            kind=row["kind"],
            status=row["status"],
            count=row["total"],
            first_at=row["first"],
            last_at=row["last"],
            notable=row["total"] >= threshold,
        )
        for row in rows
    ]
