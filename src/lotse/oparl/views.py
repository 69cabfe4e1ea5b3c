"""The read-only OParl 1.1 endpoint: anonymous, JSON, CORS open, paged lists with filters.

Every view answers JSON (errors too: ``{"detail": <German message>, "code": <slug>}``) with
``Access-Control-Allow-Origin: *``. Lists page by keyset (``after`` is an opaque cursor, ``page``
only numbers the page for ``currentPage``); ``limit`` sets the page size (1–100, default 20).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lotse.core.pagination import _decode, _encode, after_cursor, keyset_page, ordering
from lotse.oparl import publication
from lotse.oparl import serializers as s
from lotse.oparl.serializers import Json, Urls
from lotse.tenancy.models import Traeger

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: Files a browser may show inline; everything else is served as a download (no HTML, no SVG).
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain"})


class OparlError(Exception):
    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def not_found() -> OparlError:
    # de: Dieses Objekt gibt es nicht (oder es ist nicht öffentlich).
    return OparlError(404, _("This object does not exist or is not public."), "not_found")


def answer(data: Json, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data,
        status=status,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def oparl_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except OparlError as error:
            return answer({"detail": error.message, "code": error.code}, error.status)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    safe = require_safe(wrapped)

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = safe(request, *args, **kwargs)
        if response.status_code == 405:
            # de: OParl ist nur lesbar (GET).
            data = {"detail": _("OParl can only be read (GET)."), "code": "method_not_allowed"}
            refused = answer(data, 405)
            refused["Allow"] = "GET, HEAD"
            return refused
        return response

    return guarded


def traeger_of(slug: str) -> Traeger:
    found = Traeger.objects.filter(slug=slug).first()
    if found is None:
        raise not_found()
    return found


def urls_for(request: HttpRequest, traeger: Traeger) -> Urls:
    urls = Urls(request, traeger)
    urls.public_bodies = publication.public_body_ids(traeger)
    return urls


# --- filters and paging ------------------------------------------------------------------------

FILTERS = {
    "created_since": ("created_at", "gte"),
    "created_until": ("created_at", "lte"),
    "modified_since": ("updated_at", "gte"),
    "modified_until": ("updated_at", "lte"),
}


def parse_moment(name: str, raw: str) -> dt.datetime:
    """An ISO 8601 date-time (a missing offset means local time) or a date (its midnight)."""
    value: dt.datetime | None = None
    # An unencoded "+" of the offset arrives as a space ("…T12:00:00 01:00"): read it as "+".
    raw = re.sub(r"(T[\d:.]+) (\d\d:?\d\d)$", r"\1+\2", raw.strip())
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            if day is not None:
                value = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        value = None
    if value is None:
        raise OparlError(
            400,
            # de: Der Filter „{name}“ erwartet ein Datum mit Uhrzeit nach ISO 8601, z. B.
            # 2026-01-31T12:00:00+01:00.
            _(
                "The filter “{name}” expects a date and time in ISO 8601, "
                "e.g. 2026-01-31T12:00:00+01:00."
            ).format(name=name),
            "invalid_filter",
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def filtered(request: HttpRequest, queryset: QuerySet, *, timestamps: bool) -> QuerySet:
    for name, (field, lookup) in FILTERS.items():
        raw = request.GET.get(name)
        if raw is None:
            continue
        moment = parse_moment(name, raw)
        if timestamps:
            queryset = queryset.filter(**{f"{field}__{lookup}": moment})
    return queryset


def page_size(request: HttpRequest) -> int:
    raw = request.GET.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise OparlError(
            400,
            # de: „limit“ muss eine ganze Zahl von 1 bis {max} sein.
            _("“limit” must be a whole number from 1 to {max}.").format(max=MAX_LIMIT),
            "invalid_limit",
        )
    return int(raw)


def _invalid_cursor() -> OparlError:
    # de: Der Seitenverweis ist ungültig; bitte beginnen Sie mit der ersten Seite.
    return OparlError(
        400, _("The page link is invalid; please start from the first page."), "invalid_cursor"
    )


def paged(
    request: HttpRequest,
    queryset: QuerySet,
    serialize: Callable[[Any], Json],
    *,
    order: list[str],
    timestamps: bool = True,
) -> HttpResponse:
    size = page_size(request)
    queryset = filtered(request, queryset, timestamps=timestamps)
    cursor = request.GET.get("after") or None
    raw_page = request.GET.get("page", "1")
    current = int(raw_page) if raw_page.isdigit() and int(raw_page) >= 1 else 1
    if cursor is None:
        current = 1
    elif _decode(cursor, len(order)) is None:
        raise _invalid_cursor()
    try:
        page = keyset_page(queryset, order=order, cursor=cursor, size=size)
    except (ValueError, TypeError) as error:
        raise _invalid_cursor() from error
    total = queryset.count()

    kept = {key: value for key, value in request.GET.items() if key in FILTERS or key == "limit"}

    def link(after: str | None, number: int) -> str:
        params = dict(kept)
        if after is not None:
            params |= {"after": after, "page": str(number)}
        query = urlencode(params)
        return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")

    links: dict[str, str] = {"first": link(None, 1), "self": link(cursor, current)}
    if cursor is not None:
        links["prev"] = _previous(queryset, order, cursor, size, current, link)
    if page.next_cursor is not None:
        links["next"] = link(page.next_cursor, current + 1)
    return answer(
        {
            "data": [serialize(obj) for obj in page.items],
            "pagination": {
                "totalElements": total,
                "elementsPerPage": size,
                "currentPage": current,
                "totalPages": max(1, -(-total // size)),
            },
            "links": links,
        }
    )


def _previous(
    queryset: QuerySet,
    order: list[str],
    cursor: str,
    size: int,
    current: int,
    link: Callable[[str | None, int], str],
) -> str:
    """The page before: the ``size`` rows up to the cursor, found by walking backwards."""
    backwards = [name[1:] if name.startswith("-") else f"-{name}" for name in order]
    values = _decode(cursor, len(order))
    if values is None:
        raise _invalid_cursor()
    before = after_cursor(queryset, order=backwards, after=values)
    rows = list(
        before.order_by(*ordering(before, backwards)).values_list(
            *[name.lstrip("-") for name in order]
        )[:size]
    )
    if len(rows) < size:
        return link(None, 1)
    return link(_encode(list(rows[-1])), max(1, current - 1))


# --- views -------------------------------------------------------------------------------------


@oparl_view
def system(request: HttpRequest) -> HttpResponse:
    return answer(s.system(Urls(request)))


@oparl_view
def body_list(request: HttpRequest) -> HttpResponse:
    def serialize(traeger: Traeger) -> Json:
        return s.body(Urls(request, traeger), traeger)

    return paged(request, Traeger.objects.all(), serialize, order=["id"], timestamps=False)


@oparl_view
def body(request: HttpRequest, body: str) -> HttpResponse:
    traeger = traeger_of(body)
    return answer(s.body(Urls(request, traeger), traeger))


@oparl_view
def legislative_term(request: HttpRequest, body: str) -> HttpResponse:
    return answer(s.legislative_term(Urls(request, traeger_of(body))))


@oparl_view
def person_list(request: HttpRequest, body: str) -> HttpResponse:
    """Persons are never published (staff of the region's organisations; no consent asked)."""
    traeger_of(body)
    page_size(request)
    filtered(request, Traeger.objects.none(), timestamps=False)
    self_url = request.build_absolute_uri()
    return answer(
        {
            "data": [],
            "pagination": {
                "totalElements": 0,
                "elementsPerPage": page_size(request),
                "currentPage": 1,
                "totalPages": 1,
            },
            "links": {"first": self_url, "self": self_url},
        }
    )


def _one(queryset: QuerySet, pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


@oparl_view
def organization_list(request: HttpRequest, body: str) -> HttpResponse:
    traeger = traeger_of(body)
    urls = urls_for(request, traeger)
    return paged(
        request,
        publication.organizations(traeger),
        functools.partial(s.organization, urls),
        order=["updated_at", "id"],
    )


@oparl_view
def organization(request: HttpRequest, body: str, pk: int) -> HttpResponse:
    traeger = traeger_of(body)
    return answer(
        s.organization(urls_for(request, traeger), _one(publication.organizations(traeger), pk))
    )


@oparl_view
def organization_meetings(request: HttpRequest, body: str, pk: int) -> HttpResponse:
    traeger = traeger_of(body)
    row = _one(publication.organizations(traeger), pk)
    return paged(
        request,
        publication.meetings(traeger).filter(body=row),
        functools.partial(s.meeting, urls_for(request, traeger)),
        order=["updated_at", "id"],
    )


def _list_view(
    queryset: Callable[[Traeger], QuerySet], serialize: Callable[[Urls, Any], Json]
) -> Callable[..., HttpResponseBase]:
    @oparl_view
    def view(request: HttpRequest, body: str) -> HttpResponse:
        traeger = traeger_of(body)
        urls = urls_for(request, traeger)
        return paged(
            request,
            queryset(traeger),
            functools.partial(serialize, urls),
            order=["updated_at", "id"],
        )

    return view


def _object_view(
    queryset: Callable[[Traeger], QuerySet], serialize: Callable[[Urls, Any], Json]
) -> Callable[..., HttpResponseBase]:
    @oparl_view
    def view(request: HttpRequest, body: str, pk: int) -> HttpResponse:
        traeger = traeger_of(body)
        return answer(serialize(urls_for(request, traeger), _one(queryset(traeger), pk)))

    return view


@oparl_view
def meeting_location(request: HttpRequest, body: str, pk: int) -> HttpResponse:
    traeger = traeger_of(body)
    row = _one(publication.meetings(traeger), pk)
    if not row.location and not publication.is_deleted(row):
        raise not_found()
    return answer(s.location(urls_for(request, traeger), row))


def _with_meeting_state(urls: Urls, item: Any) -> Json:
    return s.agenda_item(urls, item, meeting_live=not publication.is_deleted(item.meeting))


meeting_list = _list_view(publication.meetings, s.meeting)
meeting = _object_view(publication.meetings, s.meeting)
agendaitem_list = _list_view(publication.agenda_items, _with_meeting_state)
agendaitem = _object_view(publication.agenda_items, _with_meeting_state)
paper_list = _list_view(publication.papers, s.paper)
paper = _object_view(publication.papers, s.paper)
consultation_list = _list_view(publication.consultations, s.consultation)
consultation = _object_view(publication.consultations, s.consultation)
file_list = _list_view(publication.files, s.file)
file = _object_view(publication.files, s.file)


@oparl_view
def file_download(request: HttpRequest, body: str, pk: int) -> HttpResponseBase:
    """The stored file of a live public document, with its media type (never a withdrawn one)."""
    traeger = traeger_of(body)
    doc = _one(publication.live_documents().filter(traeger=traeger), pk)
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise not_found() from error
    inline = doc.mime_type in INLINE_TYPES
    response = FileResponse(
        handle,
        content_type=doc.mime_type or "application/octet-stream",
        as_attachment=not inline,
        filename=doc.file_name,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@oparl_view
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    """A JSON 404; an address that only lacks its final slash is redirected (301) to it."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.view_name != "oparl:unknown":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    raise not_found()
