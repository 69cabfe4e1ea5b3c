"""API tokens for tests: a working ``Authorization`` header without an access-log entry."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from lotse.api.models import ApiToken
from lotse.api.services import PREFIX_LENGTH, hash_secret


def token_for(user: Any, *, days: int = 30, **fields: Any) -> str:
    secret = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        name=fields.pop("name", "Test"),
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_secret(secret),
        expires_at=timezone.now() + dt.timedelta(days=days),
        **fields,
    )
    return secret


def bearer_for(user: Any) -> str:
    return f"Bearer {token_for(user)}"
