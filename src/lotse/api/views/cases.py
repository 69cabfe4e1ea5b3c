"""Cases, phase changes and the timeline: ``/api/v1/cases/…``."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.pagination import (
    PageQuerySerializer,
    load_page,
    paginated_response,
    paginated_serializer,
)
from lotse.api.renderers import AnyFileRenderer
from lotse.api.serializers.cases import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    PhaseChangeSerializer,
    TimelineEntryCreateSerializer,
    TimelineEntrySerializer,
)
from lotse.api.views.base import BULK_READ, CaseFileAPIView, FileAPIView
from lotse.api.views.people import CONFLICT, INVALID, NOT_FOUND
from lotse.audit.services import list_detail
from lotse.cases import selectors, services
from lotse.core.access import Action, not_found
from lotse.teams.selectors import works_for_post

CASES = "Fälle"
TIMELINE = "Verlauf"


#: The query of ``GET /api/v1/cases/``: built from the list's one filter definition.
CaseQuerySerializer = selectors.CASE_FILTERS.api_serializer(
    PageQuerySerializer, "CaseQuerySerializer"
)


PaginatedCaseSerializer = paginated_serializer(CaseSerializer, "PaginatedCaseList")
PaginatedTimelineSerializer = paginated_serializer(
    TimelineEntrySerializer, "PaginatedTimelineEntryList"
)


class CaseListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CREATE}
    recent_auth_methods = BULK_READ

    @extend_schema(
        operation_id="cases_list",
        tags=[CASES],
        summary="Fälle auflisten",
        description=(
            "Die Fälle Ihres Teams, neueste zuerst, seitenweise (Cursor). Ohne `phase` und "
            "`include_closed` nur offene Fälle."
        ),
        parameters=[CaseQuerySerializer],
        responses={200: PaginatedCaseSerializer, 400: INVALID},
    )
    def get(self, request: Request) -> Response:
        query = self.parse(CaseQuerySerializer, request.query_params)
        filters = selectors.CASE_FILTERS.from_api(query)
        page = load_page(
            lambda: selectors.case_page_for_user(
                request.user, filters=filters, cursor=query.get("cursor"), size=query["page_size"]
            )
        )
        self.audit_read(
            request,
            action="list",
            object_type="case",
            detail=list_detail("cases", len(page.items), searched=bool(filters.search)),
        )
        return paginated_response(request, page, CaseSerializer(page.items, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        tags=[CASES],
        summary="Fall eröffnen",
        description=(
            "Eröffnet einen Fall für eine Person Ihres Teams in Phase Klärung. Ohne `post` "
            "wird wie in der Oberfläche die Stelle des Sozialraums vorgeschlagen."
        ),
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        fields = self.parse(CaseCreateSerializer, request.data)
        if fields.get("post") is None:
            fields["post"] = _suggested_post(request.user, fields)
        case = services.case_open(actor=request.user, request=request, **fields)
        case = selectors.get_case_for_user(request.user, case.pk)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


def _suggested_post(user: object, fields: dict) -> object | None:
    """The post the HTML form would pick: the Sozialraum's, if it belongs to the user's team."""
    suggestion = selectors.suggest_assignment(
        programme=fields["programme"], municipality=fields["person"].municipality
    )
    post = suggestion.post
    if post is None or not works_for_post(user, post):
        return None
    return post


class CaseDetailView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "PATCH": Action.CHANGE}

    @extend_schema(
        operation_id="cases_retrieve",
        tags=[CASES],
        summary="Fall lesen",
        description="Ein Fall mit den erlaubten nächsten Phasenschritten.",
        responses={200: CaseDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for_user(request.user, pk)
        self.audit_read(
            request,
            action="view",
            object_type="case",
            object_id=case.pk,
            person_id=case.person_id,
            categories=["case"],
        )
        return Response(CaseDetailSerializer(case).data)

    @extend_schema(
        operation_id="cases_partial_update",
        tags=[CASES],
        summary="Fall ändern",
        description=(
            "Ändert die übergebenen Felder. `version` ist Pflicht: Wurde der Fall seit dem "
            "Lesen geändert, antwortet die API mit 409 und speichert nichts. Die Phase ändert "
            "sich nur über `…/phase/`."
        ),
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(CaseUpdateSerializer, request.data)
        version = fields.pop("version")
        services.case_update(
            actor=request.user, case=case, expected_version=version, request=request, **fields
        )
        case = selectors.get_case_for_user(request.user, pk)
        return Response(CaseDetailSerializer(case).data)


class CasePhaseView(CaseFileAPIView):
    required_actions = {"POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_phase_change",
        tags=[CASES],
        summary="Phase wechseln",
        description=(
            "Schritt im DGCC-Phasenmodell: die nächste Phase, direkt Evaluation oder mit "
            "Begründung zurück. `version` wie beim Ändern (409 bei Konflikt)."
        ),
        request=PhaseChangeSerializer,
        responses={200: CaseDetailSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(PhaseChangeSerializer, request.data)
        services.case_change_phase(
            actor=request.user,
            case=case,
            to_phase=fields["to_phase"],
            reason=fields["reason"],
            expected_version=fields["version"],
            request=request,
        )
        case = selectors.get_case_for_user(request.user, pk)
        return Response(CaseDetailSerializer(case).data)


class TimelineListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_timeline_list",
        tags=[TIMELINE],
        summary="Verlauf eines Falls",
        description="Einträge neueste zuerst, seitenweise (Cursor).",
        parameters=[PageQuerySerializer],
        responses={200: PaginatedTimelineSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for_user(request.user, pk)
        query = self.parse(PageQuerySerializer, request.query_params)
        page = load_page(
            lambda: selectors.timeline_page(
                case, cursor=query.get("cursor"), size=query["page_size"]
            )
        )
        self.audit_read(
            request,
            action="list",
            object_type="case",
            object_id=case.pk,
            person_id=case.person_id,
            categories=["case"],
            detail=f"timeline:{len(page.items)}",
        )
        return paginated_response(
            request, page, TimelineEntrySerializer(page.items, many=True).data
        )

    @extend_schema(
        operation_id="cases_timeline_create",
        tags=[TIMELINE],
        summary="Verlaufseintrag anlegen",
        description=(
            "Notiz, Kontakt, Termin oder Dokument. Dateien (PDF, Bild, Office, Text) nur als "
            "multipart/form-data im Feld `attachment`."
        ),
        request={
            "multipart/form-data": TimelineEntryCreateSerializer,
            "application/json": TimelineEntryCreateSerializer,
        },
        responses={201: TimelineEntrySerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(TimelineEntryCreateSerializer, request.data)
        entry = services.timeline_entry_add(
            actor=request.user, case=case, request=request, **fields
        )
        return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class TimelineEntryDetailView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="cases_timeline_retrieve",
        tags=[TIMELINE],
        summary="Verlaufseintrag lesen",
        responses={200: TimelineEntrySerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, entry_pk: int) -> Response:
        case = selectors.get_case_for_user(request.user, pk)
        entry = selectors.get_timeline_entry(case, entry_pk)
        self.audit_read(
            request,
            action="view",
            object_type="timeline_entry",
            object_id=entry.pk,
            person_id=case.person_id,
            categories=["case"],
        )
        return Response(TimelineEntrySerializer(entry).data)


class TimelineAttachmentView(FileAPIView):
    renderer_classes = [JSONRenderer, AnyFileRenderer]
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="cases_timeline_attachment",
        tags=[TIMELINE],
        summary="Datei eines Verlaufseintrags herunterladen",
        responses={
            (200, "*/*"): OpenApiTypes.BINARY,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int, entry_pk: int) -> FileResponse:
        case = selectors.get_case_for_user(request.user, pk)
        entry = selectors.get_timeline_entry(case, entry_pk)
        if not entry.attachment:
            raise not_found()
        self.audit_read(
            request,
            action="download",
            object_type="timeline_entry",
            object_id=entry.pk,
            person_id=case.person_id,
            categories=["case"],
        )
        return FileResponse(
            entry.attachment.open("rb"),
            as_attachment=True,
            filename=entry.attachment_name or "datei",
        )
