"""Reading import jobs: the uploader and the team leads of the uploading organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lotse.core.access import Action, case_file_scope, is_team_lead, not_found
from lotse.spreadsheets.models import ImportJob


def import_job_queryset_for_user(user: Any, action: Action = Action.VIEW) -> QuerySet[ImportJob]:
    """Jobs the user uploaded; a team lead also sees the jobs of their organisation."""
    scope = case_file_scope(user, action)
    if scope is None:
        return ImportJob.objects.none()
    own = Q(created_by_id=user.pk)
    if is_team_lead(user):
        own |= Q(organisation_id=user.organisation_id)
    return ImportJob.objects.filter(scope).filter(own)


def import_job_list_for_user(user: Any, *, limit: int = 20) -> list[ImportJob]:
    return list(
        import_job_queryset_for_user(user)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:limit]
    )


def get_import_job_for_user(user: Any, pk: Any, action: Action = Action.VIEW) -> ImportJob:
    """One job of the user's case team; another Träger's or team's job is a 404."""
    try:
        return (
            import_job_queryset_for_user(user, action)
            .select_related("created_by", "confirmed_by")
            .get(pk=pk)
        )
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise not_found() from None
