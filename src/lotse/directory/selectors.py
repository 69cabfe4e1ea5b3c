"""Reading the region's configuration for the overview pages (no personal data of clients)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from lotse.cases.models import Phase
from lotse.directory.models import (
    Body,
    BodyMembership,
    CaseManagementPost,
    ContactPerson,
    Goal,
    Measure,
    Organisation,
    Programme,
    Sozialraum,
)


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(traeger_id=user.traeger_id)
        .prefetch_related(
            Prefetch("contacts", queryset=ContactPerson.objects.order_by("sort_order", "name"))
        )
        .order_by("name")
    )


def sozialraeume_with_posts(user: Any) -> QuerySet[Sozialraum]:
    posts = (
        CaseManagementPost.objects.filter(traeger_id=user.traeger_id)
        .select_related("programme", "organisation", "holder")
        .annotate(open_cases=Count("cases", filter=~Q(cases__phase=Phase.CLOSED)))
        .order_by("sort_order", "name")
    )
    return (
        Sozialraum.objects.filter(traeger_id=user.traeger_id)
        .prefetch_related("municipalities", Prefetch("posts", queryset=posts))
        .order_by("sort_order", "name")
    )


def posts_without_sozialraum(user: Any) -> QuerySet[CaseManagementPost]:
    return (
        CaseManagementPost.objects.filter(traeger_id=user.traeger_id, sozialraum__isnull=True)
        .select_related("programme", "organisation", "holder")
        .annotate(open_cases=Count("cases", filter=~Q(cases__phase=Phase.CLOSED)))
        .order_by("sort_order", "name")
    )


def programmes_for_user(user: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(traeger_id=user.traeger_id)
        .prefetch_related(
            "modules", "eligible_statuses", "providers__municipality", "providers__organisation"
        )
        .order_by("sort_order", "name")
    )


def goals_for_user(user: Any) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(traeger_id=user.traeger_id)
        .select_related("field_of_action", "parent")
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("sort_order", "id"))
        )
        .order_by("sort_order", "code", "id")
    )


def bodies_for_user(user: Any) -> QuerySet[Body]:
    return (
        Body.objects.filter(traeger_id=user.traeger_id)
        .select_related("field_of_action")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=BodyMembership.objects.select_related("organisation").order_by(
                    "sort_order", "id"
                ),
            )
        )
        .order_by("sort_order", "name")
    )
