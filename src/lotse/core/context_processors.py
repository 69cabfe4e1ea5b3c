from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def lotse(request: HttpRequest) -> dict[str, Any]:
    from lotse.accounts.models import Role
    from lotse.core.access import Action, can, can_view_shared

    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "LOTSE_DEMO": settings.DEMO,
        "LOTSE_OPERATOR_NAME": settings.LOTSE_OPERATOR_NAME,
        "current_traeger": getattr(user, "traeger", None) if signed_in else None,
        "nav_case_files": signed_in and can(user, Action.VIEW),
        "nav_region": signed_in and getattr(user, "traeger_id", None) is not None,
        "nav_audit": signed_in and user.has_role(Role.DATA_PROTECTION),  # type: ignore[union-attr]
        "nav_offers": signed_in
        and user.has_role(  # type: ignore[union-attr]
            Role.CASE_MANAGEMENT, Role.TEAM_LEAD, Role.COORDINATION, Role.ADMINISTRATION
        ),
        "nav_tasks": signed_in
        and user.has_role(Role.CASE_MANAGEMENT, Role.TEAM_LEAD, Role.PARTNER),  # type: ignore[union-attr]
        "nav_shared": signed_in and can_view_shared(user),
        "nav_participation": signed_in and user.has_role(Role.TEAM_LEAD, Role.COORDINATION),  # type: ignore[union-attr]
        "nav_retention": signed_in
        and user.has_role(Role.TEAM_LEAD, Role.ADMINISTRATION, Role.DATA_PROTECTION),  # type: ignore[union-attr]
    }
