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

from lotse.core import access


def can_see_overview(user: Any) -> bool:
    return access.can_see_participation_overview(user)


def can_read_budgets(user: Any) -> bool:
    return access.can_read_budgets(user)


def can_write_budgets(user: Any) -> bool:
    return access.can_write_budgets(user)


def can_override(user: Any) -> bool:
    """Budget overrun overrides (team lead)."""
    return access.can_override_budget(user)


def require_role(user: Any, check: Any) -> None:
    if not check(user):
        raise PermissionDenied
