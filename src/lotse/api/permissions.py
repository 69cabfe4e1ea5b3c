"""Role-level permission for the API, the same check the HTML views make with ``requires``.

Object-level access is not decided here: every object is loaded through the
``get_<entity>_for_user`` selectors, so a person or case outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from lotse.core.access import Action, can

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CaseFilePermission(BasePermission):
    """Anonymous → 401; authenticated without the role for the method's action → 403.

    Views declare ``required_actions``: HTTP method → :class:`~lotse.core.access.Action`.
    A method the view implements but the table misses is refused (fail closed); a method the
    view does not implement gets its 405.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        method = (request.method or "").upper()
        if not hasattr(view, method.lower()):
            return True  # the view answers 405 Method Not Allowed
        actions: dict[str, Action] = getattr(view, "required_actions", {})
        action = actions.get("GET" if method in _READ_METHODS else method)
        return action is not None and can(user, action)
