"""Reading the access log: only the data protection officer of the same Träger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.core.pagination import KeysetPage, keyset_page


def can_read_audit(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.traeger_id
        and user.has_role(Role.DATA_PROTECTION)
    )


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
    if filters.date_from:
        queryset = queryset.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(occurred_at__date__lte=filters.date_to)
    return queryset


def audit_page_for_user(user: Any, *, filters: AuditFilter, cursor: str | None) -> KeysetPage:
    return keyset_page(
        audit_entries_for_user(user, filters=filters),
        order=["-occurred_at", "-id"],
        cursor=cursor,
        size=50,
    )
