"""Role-level permission for the API, the same check the HTML views make with ``requires``.

Object-level access is not decided here: every object is loaded through the
``get_<entity>_for_user`` selectors, so a person or case outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from lotse.accounts.reauth import api_refusal, is_recently_authenticated
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


class RecentConfirmationRequired(exceptions.PermissionDenied):
    default_code = "reauth_required"


class RecentAuthForSessions(BasePermission):
    """Bulk reads and the Art. 15 export need a recent confirmation when a browser session asks.

    The same rule as ``accounts.reauth.requires_recent_auth`` for the XLSX exports and the
    Art. 15 download in the web interface: a session whose last sign-in or confirmation is
    older than ten minutes gets a 403 with the address of the confirmation page. Which methods
    count is declared per view in ``recent_auth_methods``. A request with an API token passes:
    a token is created only after a re-authentication, and its expiry and revocation govern it.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        methods: frozenset[str] = getattr(view, "recent_auth_methods", frozenset())
        if (request.method or "").upper() not in methods:
            return True
        if not (request.user and request.user.is_authenticated):
            return True  # CaseFilePermission answers for anonymous clients
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            return True  # an API token (ApiTokenAuthentication): the token governs
        if is_recently_authenticated(request._request):
            return True
        raise RecentConfirmationRequired(detail=api_refusal(request._request))  # type: ignore[arg-type]
