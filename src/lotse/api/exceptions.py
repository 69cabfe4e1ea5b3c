"""API errors in German, with the field they belong to."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lotse.core.locking import EditConflict


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, EditConflict):
        return Response({"detail": str(exc), "code": "conflict"}, status=409)
    return drf_exception_handler(exc, context)
