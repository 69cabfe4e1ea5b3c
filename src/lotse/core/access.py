"""The one access policy of Lotse.

Objects holding personal data are loaded only through ``get_<entity>_for_user`` selectors and
listed only through ``<entity>_list_for_user`` selectors, which all call into this module. A
user never learns that an object outside their scope exists: it is a 404, not a 403.

Who may do what (personal data):
- Case management and team leads work with the persons and cases of their own organisation
  (the case team) inside their own Träger.
- Coordination, partner organisations, administration and data protection see no case files
  here; audit reading comes with its own rules.
- Partner organisations (``Role.PARTNER``) see a person only in the data categories that a
  consent in force grants to their organisation, computed on every request
  (``lotse.sharing.selectors.granted_categories``); without such a consent the person is a 404.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from lotse.accounts.models import Role


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    CREATE = "create"
    REOPEN = "reopen"


CASE_TEAM_ROLES = (Role.CASE_MANAGEMENT, Role.TEAM_LEAD)
PARTNER_ROLES = (Role.PARTNER,)

_ROLES_FOR: dict[Action, tuple[str, ...]] = {
    Action.VIEW: CASE_TEAM_ROLES,
    Action.CHANGE: CASE_TEAM_ROLES,
    Action.CREATE: CASE_TEAM_ROLES,
    # Reopening a closed case undoes an evaluated ending: the team lead decides.
    Action.REOPEN: (Role.TEAM_LEAD,),
}


def can(user: Any, action: Action) -> bool:
    """May the user perform ``action`` on case files at all (before looking at a single object)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.traeger_id is None or user.organisation_id is None:
        return False
    return user.has_role(*_ROLES_FOR[action])


def can_view_shared(user: Any) -> bool:
    """May the user open the partner pages at all (before any consent is looked at)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.traeger_id is None or user.organisation_id is None:
        return False
    return bool(user.has_role(*PARTNER_ROLES))


def require(user: Any, action: Action) -> None:
    if not can(user, action):
        raise PermissionDenied


def case_file_scope(user: Any, action: Action = Action.VIEW) -> Q | None:
    """The filter that selects the case files (persons, cases) ``user`` may act on, or None."""
    if not can(user, action):
        return None
    return Q(traeger_id=user.traeger_id, organisation_id=user.organisation_id)


class AccessNotFound(Http404):
    """A 404 of the access policy: the object is outside the user's scope (or does not exist).

    A subclass so that the denial count (``audit.denials``) can tell these apart from a
    mistyped address; to the client it is an ordinary 404.
    """


def not_found() -> Http404:
    return AccessNotFound("Nicht gefunden")


def traeger_id_of(user: Any) -> int:
    """The user's Träger; a user without one has no access to anything tenant-owned."""
    traeger_id = getattr(user, "traeger_id", None)
    if traeger_id is None:
        raise PermissionDenied
    return int(traeger_id)
