"""API errors: service validation → 400 with field names, edit conflicts → 409.

Errors raised before or outside DRF's views are answered by ``api.errors.ApiErrorMiddleware``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from lotse.api.errors import too_large_message
from lotse.audit.denials import note_api_denial
from lotse.core.locking import EditConflict
from lotse.people.guards import ProcessingRestricted


def as_drf_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ``ValidationError({"field": message})`` becomes ``{"field": [message]}``."""
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return exceptions.ValidationError(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    note_api_denial(exc, context.get("request"))  # counted for the data protection officer
    if isinstance(exc, EditConflict):
        return Response({"detail": str(exc), "code": "conflict"}, status=409)
    if isinstance(exc, ProcessingRestricted):  # Art. 18 GDPR: readable, not changeable
        return Response({"detail": str(exc), "code": "restricted"}, status=403)
    if isinstance(exc, RequestDataTooBig):  # a body without Content-Length, read past the limit
        return Response({"detail": too_large_message(), "code": "too_large"}, status=413)
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_validation_error(exc)
    return drf_exception_handler(exc, context)
