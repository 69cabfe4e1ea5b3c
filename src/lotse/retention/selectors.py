"""Reads of the erasure/restriction/hold workflows (scoped by Träger and case team)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lotse.accounts.models import Role
from lotse.cases.models import Case
from lotse.core.access import can_decide_retention, has_role, not_found
from lotse.people.models import Person
from lotse.retention.models import DeletionLog, ErasureRequest, LegalHold, Restriction, Tombstone
from lotse.teams.scope import team_scope

OVERVIEW_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATION, Role.DATA_PROTECTION)


def active_restriction(person: Person) -> Restriction | None:
    return (
        Restriction.objects.filter(
            traeger_id=person.traeger_id, person=person, lifted_at__isnull=True
        )
        .select_related("set_by")
        .first()
    )


def holds_of(person: Person) -> list[LegalHold]:
    case_ids = Case.objects.filter(traeger_id=person.traeger_id, person=person).values("pk")
    return list(
        LegalHold.objects.filter(traeger_id=person.traeger_id)
        .filter(Q(person=person) | Q(case_id__in=case_ids))
        .select_related("case", "set_by", "lifted_by")
    )


def requests_of(person: Person) -> list[ErasureRequest]:
    return list(
        ErasureRequest.objects.filter(traeger_id=person.traeger_id, person=person).select_related(
            "requested_by", "decided_by"
        )
    )


def _team_scope(user: Any) -> Q:
    """Team leads see their posts' items; administration and DPO the Träger's numbers."""
    if can_decide_retention(user) and not has_role(user, Role.ADMINISTRATION, Role.DATA_PROTECTION):
        return Q(person__post_id__in=sorted(team_scope(user).lead_post_ids))
    return Q()


def open_requests_for_user(user: Any) -> QuerySet[ErasureRequest]:
    return (
        ErasureRequest.objects.filter(
            traeger_id=user.traeger_id,
            state__in=[ErasureRequest.State.REQUESTED, ErasureRequest.State.APPROVED],
        )
        .filter(_team_scope(user))
        .order_by("requested_at", "id")
    )


def active_holds_for_user(user: Any) -> QuerySet[LegalHold]:
    scope = _team_scope(user)
    if scope:
        posts = sorted(team_scope(user).lead_post_ids)
        scope = Q(person__post_id__in=posts) | Q(case__post_id__in=posts)
    return (
        LegalHold.objects.filter(traeger_id=user.traeger_id, lifted_at__isnull=True)
        .filter(scope)
        .order_by("-set_at", "-id")
    )


def deletion_log_for_user(user: Any, *, limit: int = 50) -> list[DeletionLog]:
    return list(DeletionLog.objects.filter(traeger_id=user.traeger_id)[:limit])


def tombstones_for_user(user: Any, *, limit: int = 50) -> list[Tombstone]:
    return list(Tombstone.objects.filter(traeger_id=user.traeger_id)[:limit])


def get_erasure_request(user: Any, pk: Any, person_queryset: QuerySet[Person]) -> ErasureRequest:
    """A request of a person the user may see (the case team's scope), else 404."""
    try:
        return ErasureRequest.objects.select_related("person").get(
            pk=pk, traeger_id=user.traeger_id, person__in=person_queryset
        )
    except (ErasureRequest.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def get_restriction(user: Any, pk: Any, person_queryset: QuerySet[Person]) -> Restriction:
    try:
        return Restriction.objects.get(
            pk=pk, traeger_id=user.traeger_id, person__in=person_queryset
        )
    except (Restriction.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def get_hold(user: Any, pk: Any, person_queryset: QuerySet[Person]) -> LegalHold:
    try:
        return LegalHold.objects.get(
            Q(person__in=person_queryset) | Q(case__person__in=person_queryset),
            pk=pk,
            traeger_id=user.traeger_id,
        )
    except (LegalHold.DoesNotExist, ValueError, TypeError):
        raise not_found() from None
