"""Keyset pagination for API lists, on top of ``lotse.core.pagination`` (no OFFSET).

The response is ``{"next": <url or null>, "results": [...]}``; ``next`` carries an opaque
``cursor``. Pages stay equally fast however deep a client pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from lotse.core.pagination import KeysetPage

CURSOR_PARAM = "cursor"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class PageQuerySerializer(serializers.Serializer):
    cursor = serializers.CharField(
        required=False,
        allow_blank=True,
        # de: Zeiger auf die nächste Seite (aus „next“ der vorigen Antwort)
        help_text=_("Pointer to the next page (taken from “next” of the previous response)."),
    )
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
        # de: Einträge pro Seite
        help_text=_("Entries per page."),
    )


def load_page(fetch: Callable[[], KeysetPage]) -> KeysetPage:
    """Run the selector; a tampered cursor is a 400 on ``cursor``, never a 500."""
    try:
        return fetch()
    except (DjangoValidationError, ValueError, TypeError):
        # de: Ungültiger Seitenzeiger.
        raise ValidationError({CURSOR_PARAM: [_("Invalid cursor.")]}) from None


def paginated_response(request: Request, page: KeysetPage, results: Any) -> Response:
    next_url = None
    if page.next_cursor:
        next_url = replace_query_param(request.build_absolute_uri(), CURSOR_PARAM, page.next_cursor)
    return Response({"next": next_url, "results": results})


def paginated_serializer(
    item: type[serializers.Serializer], name: str
) -> type[serializers.Serializer]:
    """The documented response shape of a keyset page of ``item`` (for the OpenAPI schema)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "next": serializers.URLField(allow_null=True, read_only=True),
            "results": item(many=True, read_only=True),
        },
    )
