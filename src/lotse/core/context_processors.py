from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def _modules(user: Any) -> Any:
    """The modules the user's Träger configures (Teilhabemanagement, ABH referral)."""
    from lotse.programmes.modules import modules_for_user

    return modules_for_user(user)


def lotse(request: HttpRequest) -> dict[str, Any]:
    """Page-frame context; each ``nav_*`` flag uses the predicate of the page it links to, so
    the navigation offers no link that ends in "403 – Kein Zugriff"."""
    from lotse.core import access

    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    traeger = getattr(user, "traeger", None) if signed_in else None
    return {
        "LOTSE_DEMO": settings.DEMO,
        # The signed-in user's Träger runs the pages they see; public pages name the
        # installation's operator (LOTSE_OPERATOR_NAME).
        "LOTSE_OPERATOR_NAME": traeger.operator if traeger else settings.LOTSE_OPERATOR_NAME,
        "brand_colour": traeger.brand_colour.lstrip("#").lower() if traeger else "",
        "current_traeger": traeger,
        "nav_case_files": signed_in and access.can(user, access.Action.VIEW),
        # The team page is its own entry only for those who start elsewhere (their own cases).
        "nav_team": signed_in
        and access.can_lead_team(user)
        and access.start_page_for(user) != access.StartPage.TEAM,
        "nav_portal": signed_in and access.can_use_portal(user),
        "nav_region": signed_in and access.can_see_region(user),
        "nav_audit": signed_in and access.can_open_audit_log(user),
        "nav_offers": signed_in and access.can_read_offer_catalogue(user),
        "nav_tasks": signed_in and access.can_use_task_list(user),
        "nav_shared": signed_in and access.can_view_shared(user),
        "nav_participation": signed_in
        and access.can_see_participation_overview(user)
        and _modules(user).participation,
        "nav_conferences": signed_in and access.can_organise_conferences(user),
        "nav_governance": signed_in and access.can_work_in_bodies(user),
        "nav_retention": signed_in and access.can_see_erasure_overview(user),
        "nav_administration": signed_in and access.can_open_administration(user),
    }
