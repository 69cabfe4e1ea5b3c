"""One shape for every error of ``/api/``: ``{"detail": <German message>, "code": <slug>}``.

DRF answers the errors of its views itself (``api.exceptions.exception_handler``); the
middleware here covers what happens before or outside DRF — an address that matches no route,
a body over the size limit, a server error — which Django would answer with an HTML page.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import exceptions

API_PREFIX = "/api/"
_BODY_HEADERS = frozenset({"content-type", "content-length", "content-disposition"})


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def body_limit(request: HttpRequest) -> int | None:
    """The largest body this request may declare, in bytes (``None``: no limit configured).

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds everything Django reads into memory; a multipart
    upload additionally carries one file of at most ``UPLOAD_MAX_BYTES``, streamed to disk.
    """
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return None
    if request.content_type == "multipart/form-data":
        limit += getattr(settings, "UPLOAD_MAX_BYTES", 0)
    return limit


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_large_message() -> str:
    megabytes = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) // (1024 * 1024)
    return _("The request is too large (at most {megabytes} MB, files not counted).").format(
        megabytes=megabytes
    )


def _message(status: int, request: HttpRequest) -> tuple[str, str]:
    """A (German) message and code per status; DRF's own texts where DRF has one."""
    if status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        return too_large_message(), "too_large"
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        error = exceptions.MethodNotAllowed(request.method or "")
        return str(error.detail), error.default_code
    known: dict[int, type[exceptions.APIException]] = {
        400: exceptions.ParseError,
        401: exceptions.NotAuthenticated,
        403: exceptions.PermissionDenied,
        404: exceptions.NotFound,
        406: exceptions.NotAcceptable,
        415: exceptions.UnsupportedMediaType,
    }
    if status in known:
        return str(known[status].default_detail), known[status].default_code
    if status >= 500:
        return _("Something went wrong on our side. Please try again later."), "server_error"
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    return phrase, "error"


def error_response(request: HttpRequest, status: int, detail: str = "") -> JsonResponse:
    message, code = _message(status, request)
    body: dict[str, Any] = {"detail": detail or message, "code": code}
    request_id = getattr(request, "request_id", "")
    if status >= 500 and request_id:
        body["request_id"] = request_id  # the operators find the logged exception by it
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _is_json(response: HttpResponse) -> bool:
    media_type = (response.get("Content-Type") or "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class ApiErrorMiddleware:
    """JSON errors under ``/api/`` whatever raised them; 413 for a body over the limit anywhere.

    A declared body over the limit is refused before anything reads it (Django would read up to
    the limit and then answer a generic 400). Outside the API the refusal is the HTML error page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        if limit is not None and declared_length(request) > limit:
            if is_api_request(request):
                return error_response(request, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return render(request, "core/error.html", {"status": 413}, status=413)
        response = self.get_response(request)
        if is_api_request(request) and response.status_code >= 400 and not _is_json(response):
            return self._as_json(request, response)
        return response

    def _as_json(self, request: HttpRequest, response: HttpResponse) -> JsonResponse:
        replacement = error_response(request, response.status_code)
        for header, value in response.items():
            if header.lower() not in _BODY_HEADERS:
                replacement[header] = value
        return replacement
