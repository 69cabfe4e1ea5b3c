"""Counting refused attempts at one point, so the data protection officer sees probing.

Every view (web and API) loads case-file objects through selectors that answer
``core.access.not_found()`` outside the user's scope, and refuses roles with
``PermissionDenied``. Instead of one access-log entry per attempt, :class:`DenialMiddleware`
counts them per user, kind (the URL name) and answer in hourly buckets (``DenialTally``):

- web views: the middleware's ``process_exception`` sees the exception the view raised;
- the JSON API: DRF turns exceptions into responses inside the view, so its exception handler
  (``api.exceptions``) calls :func:`note_api_denial`;

and the middleware writes the count once the response is ready, outside the view's
transaction (a refused request rolls back, the count stays).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from lotse.audit.models import DenialTally
from lotse.core.access import AccessNotFound

logger = logging.getLogger(__name__)

_ATTRIBUTE = "_lotse_denial"
#: From this many refused attempts of one kind in the period the officer's page marks the row.
HINT_THRESHOLD = 20


def denial_status(exc: BaseException) -> int | None:
    """403 or 404 if ``exc`` is a refusal worth counting, else None."""
    if isinstance(exc, AccessNotFound):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    from rest_framework import exceptions

    if isinstance(exc, exceptions.PermissionDenied):
        # A stale session asked to confirm its sign-in (api.permissions) is not probing.
        return None if exc.default_code == "reauth_required" else 403
    return None


def _note(request: HttpRequest, user: Any, status: int) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return
    match = getattr(request, "resolver_match", None)
    kind = (match.view_name if match is not None else "") or request.path[:120]
    setattr(request, _ATTRIBUTE, (user, kind[:120], status))


def note_api_denial(exc: BaseException, drf_request: Any) -> None:
    """Called by the API's exception handler (the user is the one DRF authenticated)."""
    status = denial_status(exc)
    if status is None or drf_request is None:
        return
    request = getattr(drf_request, "_request", drf_request)
    _note(request, getattr(drf_request, "_user", None), status)


def denial_record(*, user: Any, kind: str, status: int, at: dt.datetime | None = None) -> None:
    """Add one to the user's bucket of this kind and hour; concurrent requests never lose one.

    The row is increased in SQL (``count + 1``); the first attempt of an hour creates it, and
    if two requests create it at once, the loser of the unique constraint increases instead.
    """
    at = at or timezone.now()
    bucket = {
        "username": user.username,
        "kind": kind,
        "status": status,
        "hour": at.replace(minute=0, second=0, microsecond=0),
    }
    with transaction.atomic():
        increased = DenialTally.objects.filter(**bucket).update(count=F("count") + 1, last_at=at)
        if increased:
            return
        try:
            with transaction.atomic():
                DenialTally.objects.create(
                    **bucket,
                    traeger_id=user.traeger_id,
                    user=user,
                    count=1,
                    first_at=at,
                    last_at=at,
                )
        except IntegrityError:
            DenialTally.objects.filter(**bucket).update(count=F("count") + 1, last_at=at)


class DenialMiddleware:
    """Counts the 403s and access-policy 404s of signed-in users (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        noted = getattr(request, _ATTRIBUTE, None)
        if noted is not None and response.status_code == noted[2]:
            user, kind, status = noted
            try:
                denial_record(user=user, kind=kind, status=status)
            except DatabaseError:  # the refusal stands even if it cannot be counted
                logger.exception("denied attempt not counted: %s %s", kind, status)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        status = denial_status(exception)
        if status is not None:
            _note(request, getattr(request, "user", None), status)
