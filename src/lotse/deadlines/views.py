"""Fristen: a person's goal deadlines, the decisions on them, and the worklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.audit.services import audit_log
from lotse.core.access import Action
from lotse.core.http import AuthenticatedRequest
from lotse.core.locking import EditConflict
from lotse.core.viewutils import form_page, requires
from lotse.deadlines import selectors, services
from lotse.deadlines.forms import MetForm, NotApplicableForm, ReopenForm
from lotse.deadlines.models import DisplayStatus, PersonGoalDeadline
from lotse.people.selectors import get_person_for_user


@dataclass(frozen=True)
class Row:
    """A deadline as a list shows it: status as of today and days left (negative: overdue)."""

    deadline: PersonGoalDeadline
    status: str
    status_label: str
    days_left: int | None

    @property
    def overdue_days(self) -> int | None:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else None


def row_of(deadline: PersonGoalDeadline, today: dt.date) -> Row:
    status = deadline.display_status(today)
    days = None
    if deadline.due_on is not None and status in (DisplayStatus.OPEN, DisplayStatus.MISSED):
        days = (deadline.due_on - today).days
    return Row(deadline, status, str(DisplayStatus(status).label), days)


@requires(Action.VIEW)
def person_deadlines(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    # Recompute on view, so that a changed registration date or household shows at once even
    # where the changing app does not yet call the refresh service.
    services.deadlines_refresh_for_person(person)
    today = timezone.localdate()
    rows = [row_of(d, today) for d in selectors.deadlines_of_person(person)]
    children = [
        (child, [row_of(d, today) for d in deadlines])
        for child, deadlines in selectors.deadlines_of_household_children(request.user, person)
    ]
    audit_log(
        user=request.user,
        action="view",
        object_type="deadline",
        object_id=person.pk,
        person_id=person.pk,
        categories=["deadline"],
        request=request,
        detail=f"deadlines:{len(rows)}",
    )
    return render(
        request,
        "deadlines/person_deadlines.html",
        {
            "person": person,
            "applicable": [r for r in rows if r.status != DisplayStatus.NOT_APPLICABLE],
            "not_applicable": [r for r in rows if r.status == DisplayStatus.NOT_APPLICABLE],
            "children": children,
            "today": today,
        },
    )


def _decision_view(
    request: AuthenticatedRequest,
    pk: int,
    deadline_pk: int,
    *,
    form_class: type[forms.Form],
    heading: str,
    apply: Any,
) -> HttpResponseBase:
    person = get_person_for_user(request.user, pk, Action.CHANGE)
    deadline = selectors.get_deadline_for_user(request.user, person, deadline_pk, Action.CHANGE)
    form = form_class(request.POST or None, initial={"version": deadline.version})

    def on_valid(data: dict[str, Any]) -> HttpResponseBase:
        version = data.pop("version")
        apply(deadline=deadline, expected_version=version, **data)
        return redirect("deadlines:person", pk=person.pk)

    return form_page(
        request,
        "deadlines/decision_form.html",
        {"person": person, "deadline": deadline, "heading": heading},
        form=form,
        on_valid=on_valid,
    )


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def mark_met(request: AuthenticatedRequest, pk: int, deadline_pk: int) -> HttpResponseBase:
    def apply(**fields: Any) -> None:
        services.deadline_mark_met(actor=request.user, request=request, **fields)

    # de: Ziel als erfüllt eintragen
    heading = _("Record the goal as met")
    return _decision_view(
        request, pk, deadline_pk, form_class=MetForm, heading=heading, apply=apply
    )


@requires(Action.CHANGE)
@require_http_methods(["GET", "POST"])
def mark_not_applicable(
    request: AuthenticatedRequest, pk: int, deadline_pk: int
) -> HttpResponseBase:
    def apply(**fields: Any) -> None:
        services.deadline_mark_not_applicable(actor=request.user, request=request, **fields)

    # de: Ziel trifft nicht zu
    heading = _("The goal does not apply")
    return _decision_view(
        request, pk, deadline_pk, form_class=NotApplicableForm, heading=heading, apply=apply
    )


@requires(Action.CHANGE)
@require_POST
def reopen(request: AuthenticatedRequest, pk: int, deadline_pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, Action.CHANGE)
    deadline = selectors.get_deadline_for_user(request.user, person, deadline_pk, Action.CHANGE)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_reopen(
                actor=request.user,
                deadline=deadline,
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except EditConflict:
            return HttpResponse(status=409)
    return redirect("deadlines:person", pk=person.pk)


@requires(Action.VIEW)
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    parsed = selectors.worklist_filter_from_query(user, request.GET)
    filters = parsed.values
    today = timezone.localdate()
    page = selectors.worklist_page_for_user(
        user, filters=filters, today=today, cursor=request.GET.get("nach")
    )
    audit_log(
        user=user,
        action="list",
        object_type="deadline",
        request=request,
        detail=f"deadlines:{len(page.items)}",
    )
    context = {
        "page": page,
        "rows": [row_of(d, today) for d in page.items],
        "filters": filters,
        "filter_errors": parsed.errors,
        "statuses": [
            # de: offen und versäumt
            ("pending", _("open and missed")),
            *[(s.value, s.label) for s in DisplayStatus],
        ],
        "goals": selectors.worklist_goals(user),
        "undated": selectors.worklist_undated_count(user, filters=filters, today=today)
        if filters.status == "pending"
        else 0,
    }
    template = "deadlines/worklist.html#results" if request.htmx else "deadlines/worklist.html"
    return render(request, template, context)
