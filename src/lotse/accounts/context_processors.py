from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lotse.accounts.mfa import is_exempt


def second_factor(request: HttpRequest) -> dict[str, Any]:
    """``mfa_demo_exempt``: the signed-in demo account signs in without a second factor."""
    user = getattr(request, "user", None)
    return {"mfa_demo_exempt": bool(user is not None and user.is_authenticated and is_exempt(user))}
