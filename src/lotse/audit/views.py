from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from lotse.audit import denials, selectors
from lotse.audit.models import AuditEntry
from lotse.audit.services import audit_log
from lotse.core.http import AuthenticatedRequest


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def audit_log_view(request: AuthenticatedRequest) -> HttpResponse:
    """The data protection officer's read-only view of who accessed what (never the values)."""
    if not selectors.can_read_audit(request.user):
        raise PermissionDenied
    person = request.GET.get("person", "")
    filters = selectors.AuditFilter(
        username=request.GET.get("benutzer", "").strip(),
        person_id=int(person) if person.isdigit() else None,
        action=request.GET.get("aktion", "")
        if request.GET.get("aktion", "") in AuditEntry.Action.values
        else "",
        date_from=_date(request.GET.get("von")),
        date_to=_date(request.GET.get("bis")),
    )
    page = selectors.audit_page_for_user(
        request.user, filters=filters, cursor=request.GET.get("nach")
    )
    audit_log(
        user=request.user,
        action="view",
        object_type="audit_log",
        request=request,
        person_id=filters.person_id,
        detail="search",
    )
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "filters": filters,
            "actions": AuditEntry.Action.choices,
            "query": request.GET.copy(),
        },
    )


@login_required
def denials_view(request: AuthenticatedRequest) -> HttpResponse:
    """Refused attempts in aggregate (who, what kind, how many), so that probing shows."""
    if not selectors.can_read_audit(request.user):
        raise PermissionDenied
    date_from, date_to = selectors.denial_period(
        _date(request.GET.get("von")), _date(request.GET.get("bis"))
    )
    rows = selectors.denial_rows_for_user(
        request.user, date_from=date_from, date_to=date_to, threshold=denials.HINT_THRESHOLD
    )
    audit_log(
        user=request.user,
        action="view",
        object_type="denial_tally",
        request=request,
        detail=f"rows:{len(rows)}",
    )
    return render(
        request,
        "audit/denials.html",
        {
            "rows": rows,
            "date_from": date_from,
            "date_to": date_to,
            "threshold": denials.HINT_THRESHOLD,
            "notable": sum(1 for row in rows if row.notable),
        },
    )
