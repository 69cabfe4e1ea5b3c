from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def lotse(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "LOTSE_DEMO": settings.DEMO,
        "LOTSE_OPERATOR_NAME": settings.LOTSE_OPERATOR_NAME,
        "current_traeger": getattr(user, "traeger", None) if user and user.is_authenticated else None,
    }
