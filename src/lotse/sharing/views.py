"""Partner pages: the persons shared with the user's organisation, by consent (see selectors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from lotse.audit.services import audit_append_prepared, audit_entry
from lotse.consent.models import Category, category_labels
from lotse.core.access import can_view_shared
from lotse.core.http import AuthenticatedRequest
from lotse.core.reference import country_name, language_name
from lotse.core.viewutils import requires_permission
from lotse.sharing import selectors

OBJECT_TYPE = "person"


def _detail(user: Any) -> str:
    organisation = getattr(user, "organisation", None)
    return f"partner:{getattr(organisation, 'key', '')}"


def audit_rows(request: Any, rows: list[selectors.SharedRow]) -> None:
    """One entry per listed person, with the one category shown (the name) or none."""
    audit_append_prepared(
        [
            audit_entry(
                user=request.user,
                action="list",
                object_type=OBJECT_TYPE,
                object_id=row.person_id,
                person_id=row.person_id,
                categories=[Category.IDENTITY] if row.shows_identity else [],
                request=request,
                detail=_detail(request.user),
            )
            for row in rows
        ]
    )


def audit_view(request: Any, view: selectors.SharedPerson) -> None:
    """The person with exactly the categories shown; household members shown by name, too."""
    entries = [
        audit_entry(
            user=request.user,
            action="view",
            object_type=OBJECT_TYPE,
            object_id=view.person_id,
            person_id=view.person_id,
            categories=view.shown_categories,
            request=request,
            detail=_detail(request.user),
        )
    ]
    entries += [
        audit_entry(
            user=request.user,
            action="view",
            object_type=OBJECT_TYPE,
            object_id=member_id,
            person_id=member_id,
            categories=[Category.IDENTITY],
            request=request,
            detail=f"{_detail(request.user)} household-of:{view.person_id}",
        )
        for member_id in view.named_members
    ]
    audit_append_prepared(entries)


@requires_permission(can_view_shared)
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    page, rows = selectors.shared_person_page(request.user, cursor=request.GET.get("nach"))
    audit_rows(request, rows)
    listed = [(row, category_labels(sorted(row.categories, key=_order))) for row in rows]
    return render(request, "sharing/person_list.html", {"page": page, "rows": listed})


def _order(value: str) -> int:
    return Category.values.index(value)


@requires_permission(can_view_shared)
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, granted = selectors.get_shared_person_for_user(request.user, pk)
    view = selectors.shared_view(request.user, person, granted)
    audit_view(request, view)
    labels = dict(Category.choices)
    assessment_sections = [
        (
            category,
            labels[category],
            [
                (assessment, selectors.assessment_rows(assessment))
                for assessment in view.assessments[category]
            ],
        )
        for category in view.assessments
    ]
    context = {
        "view": view,
        "category_labels": category_labels(view.shown_categories),
        "nationality_names": [country_name(code) for code in view.identity.nationalities]
        if view.identity
        else [],
        "language_names": [language_name(code) for code in view.identity.languages]
        if view.identity
        else [],
        "german_level": selectors.german_level_label(view.german_level),
        "assessment_sections": assessment_sections,
    }
    return render(request, "sharing/person_detail.html", context)
