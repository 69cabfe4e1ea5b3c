"""Show a restricted person's refusal as a clear page (not the generic 403)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lotse.people.guards import ProcessingRestricted


class RestrictionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ProcessingRestricted):
            return render(
                request, "retention/restricted.html", {"message": str(exception)}, status=403
            )
        return None
