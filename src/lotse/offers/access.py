"""Who may read and maintain the offers catalogue (built on ``lotse.core.access``).

The catalogue holds no personal data: case teams read it to steer clients into offers, the
Servicestelle (coordination) and administration maintain it. Referrals are case files and
follow the case policy (``core.access.restrict`` through the case).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from lotse.core.access import can_edit_offer_catalogue, can_read_offer_catalogue
from lotse.core.viewutils import requires_permission


def can_read_catalogue(user: Any) -> bool:
    return can_read_offer_catalogue(user)


def can_edit_catalogue(user: Any) -> bool:
    return can_edit_offer_catalogue(user)


def require_catalogue_editor(user: Any) -> None:
    if not can_edit_catalogue(user):
        raise PermissionDenied


__all__ = [
    "can_edit_catalogue",
    "can_read_catalogue",
    "require_catalogue_editor",
    "requires_permission",
]
