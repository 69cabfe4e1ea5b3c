"""Writing the access log. Entries are written in the caller's transaction, never by a queue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from lotse.audit import chain
from lotse.audit.models import AuditEntry


def list_detail(kind: str, count: int, *, searched: bool = False) -> str:
    """The ``detail`` of a list or export entry: ``persons:12`` or ``persons:12 search``.

    A name search is recorded as having happened, never with its term: the term is a name,
    and the access log must not become a second register of who was looked for.
    """
    return f"{kind}:{count} search" if searched else f"{kind}:{count}"


def audit_log(
    *,
    user: Any,
    action: str,
    object_type: str,
    object_id: Any = "",
    person_id: int | None = None,
    categories: Iterable[str] = (),
    request: HttpRequest | None = None,
    channel: str = "",
    detail: str = "",
) -> AuditEntry:
    entry = audit_entry(
        user=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        categories=categories,
        request=request,
        channel=channel,
        detail=detail,
    )
    chain.append([entry])
    return entry


def audit_entry(
    *,
    user: Any,
    action: str,
    object_type: str,
    object_id: Any = "",
    person_id: int | None = None,
    categories: Iterable[str] = (),
    request: HttpRequest | None = None,
    channel: str = "",
    detail: str = "",
) -> AuditEntry:
    """An unsaved entry; append several at once with :func:`audit_append_prepared`."""
    if not channel:
        path = getattr(request, "path", "") if request is not None else ""
        channel = "api" if path.startswith("/api/") else "web"
    authenticated = getattr(user, "is_authenticated", False)
    organisation = getattr(user, "organisation", None) if authenticated else None
    return AuditEntry(
        occurred_at=timezone.now(),
        traeger_id=getattr(user, "traeger_id", None) if authenticated else None,
        user=user if authenticated else None,
        username=getattr(user, "username", "") if authenticated else "anonym",
        organisation=str(organisation) if organisation else "",
        roles=",".join(sorted(user.role_set)) if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        person_id=person_id,
        categories=",".join(categories),
        channel=channel,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        detail=detail[:300],
    )


def audit_append_prepared(entries: list[AuditEntry]) -> None:
    """Append entries built elsewhere (e.g. bulk loads) to the chain, in the given order."""
    now = timezone.now()
    for entry in entries:
        if entry.occurred_at is None:
            entry.occurred_at = now
    chain.append(entries)
