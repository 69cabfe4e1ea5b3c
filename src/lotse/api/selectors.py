"""Reading API tokens: a user sees only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from lotse.api.models import ApiToken


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_own_token(user: Any, pk: int) -> ApiToken:
    """Another user's token is a 404, like a missing one."""
    return get_object_or_404(ApiToken, pk=pk, user=user)
