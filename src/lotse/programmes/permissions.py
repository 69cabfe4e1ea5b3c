"""Who may do what beyond the case-file policy of ``lotse.core.access``.

Case work (eligibility, participation, Bausteine, costs, referrals) follows the case-file
policy: the case team, objects loaded through ``get_case_for_user``. On top of that:

- overriding a commitment that would overrun a Baustein's budget, and naming a statute instead
  of consent as the legal basis of a transfer to the ABH, are decisions of the team lead
  (Primero's model: a separate override permission that leaves an audit entry);
- the Teilhabemanagement overview (aggregates only) is for team leads and coordination;
- the budgets per Baustein are maintained by team leads and administration and read by
  coordination.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from lotse.accounts.models import Role

OVERVIEW_ROLES = (Role.TEAM_LEAD, Role.COORDINATION)
BUDGET_READ_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATION, Role.COORDINATION)
BUDGET_WRITE_ROLES = (Role.TEAM_LEAD, Role.ADMINISTRATION)
OVERRIDE_ROLES = (Role.TEAM_LEAD,)


def _has(user: Any, roles: tuple[str, ...]) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.traeger_id is None:
        return False
    return bool(user.has_role(*roles))


def can_see_overview(user: Any) -> bool:
    return _has(user, OVERVIEW_ROLES)


def can_read_budgets(user: Any) -> bool:
    return _has(user, BUDGET_READ_ROLES)


def can_write_budgets(user: Any) -> bool:
    return _has(user, BUDGET_WRITE_ROLES)


def can_override(user: Any) -> bool:
    """Budget overrun overrides and statute-based transfers (team lead)."""
    return _has(user, OVERRIDE_ROLES)


def require_role(user: Any, check: Any) -> None:
    if not check(user):
        raise PermissionDenied
