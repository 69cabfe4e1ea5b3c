"""Who may read and maintain the offers catalogue (built on ``lotse.core.access``).

The catalogue holds no personal data: case teams read it to steer clients into offers, the
Servicestelle (coordination) and administration maintain it. Referrals are case files and
follow the case policy (``core.access.case_file_scope`` through the case).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from lotse.core.access import can_edit_offer_catalogue, can_read_offer_catalogue


def can_read_catalogue(user: Any) -> bool:
    return can_read_offer_catalogue(user)


def can_edit_catalogue(user: Any) -> bool:
    return can_edit_offer_catalogue(user)


def require_catalogue_editor(user: Any) -> None:
    if not can_edit_catalogue(user):
        raise PermissionDenied


def requires_permission(
    check: Callable[[Any], bool],
) -> Callable[[Callable[..., Any]], Callable[..., HttpResponseBase]]:
    """Like ``core.viewutils.requires`` for a permission that is not a case-file action."""

    def decorator(view: Callable[..., Any]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
