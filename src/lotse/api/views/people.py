"""Persons: ``/api/v1/persons/…``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.pagination import (
    PageQuerySerializer,
    load_page,
    paginated_response,
    paginated_serializer,
)
from lotse.api.serializers.common import ConflictSerializer, ErrorSerializer
from lotse.api.serializers.people import (
    DuplicateConflictSerializer,
    PersonCreateSerializer,
    PersonDetailSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    ResidenceStatusInputSerializer,
    ResidenceStatusSerializer,
)
from lotse.api.views.base import BULK_READ, CaseFileAPIView
from lotse.audit.services import list_detail
from lotse.core.access import Action
from lotse.people import selectors, services
from lotse.people.disclosure import person_page_categories
from lotse.people.duplicates import LikelyDuplicate

PERSON_ORDER = selectors.PERSON_ORDER
TAG = "Personen"

NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="Nicht vorhanden oder außerhalb Ihres Zugriffs."
)
INVALID = OpenApiResponse(description="Ungültige Eingabe: Feldname → Liste von Meldungen.")
CONFLICT = OpenApiResponse(
    ConflictSerializer, description="Inzwischen von jemand anderem geändert; nichts gespeichert."
)

LIKELY_DUPLICATE = OpenApiResponse(
    DuplicateConflictSerializer,
    description=(
        "Wahrscheinliche Dublette: `candidates` nennt die IDs der Personen in Ihrem Zugriff, "
        "`elsewhere_in_traeger` eine Person außerhalb davon (ohne Angaben). Mit "
        "`confirm_distinct` und `distinct_reason` wird die Person trotzdem angelegt."
    ),
)
DUPLICATE_DETAIL = _(
    "Likely duplicate: open the existing person, or confirm a different person with a reason."
)

#: The query of ``GET /api/v1/persons/``: built from the list's one filter definition.
PersonQuerySerializer = selectors.PERSON_FILTERS.api_serializer(
    PageQuerySerializer, "PersonQuerySerializer"
)


PaginatedPersonSerializer = paginated_serializer(PersonSerializer, "PaginatedPersonList")


class PersonListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CREATE}
    recent_auth_methods = BULK_READ

    @extend_schema(
        operation_id="persons_list",
        tags=[TAG],
        summary="Personen auflisten",
        description="Die Personen Ihres Teams, nach Namen sortiert, seitenweise (Cursor).",
        parameters=[PersonQuerySerializer],
        responses={200: PaginatedPersonSerializer},
    )
    def get(self, request: Request) -> Response:
        query = self.parse(PersonQuerySerializer, request.query_params)
        filters = selectors.PERSON_FILTERS.from_api(query)
        page = load_page(
            lambda: selectors.person_page_for_user(
                request.user, filters=filters, cursor=query.get("cursor"), size=query["page_size"]
            )
        )
        self.audit_read(
            request,
            action="list",
            object_type="person",
            detail=list_detail("persons", len(page.items), searched=bool(filters.search)),
        )
        return paginated_response(request, page, PersonSerializer(page.items, many=True).data)

    @extend_schema(
        operation_id="persons_create",
        tags=[TAG],
        summary="Person anlegen",
        description="Legt eine Person für Ihre Organisation an.",
        request=PersonCreateSerializer,
        responses={201: PersonDetailSerializer, 400: INVALID, 409: LIKELY_DUPLICATE},
    )
    def post(self, request: Request) -> Response:
        fields = self.parse(PersonCreateSerializer, request.data)
        try:
            person = services.person_create(actor=request.user, request=request, **fields)
        except LikelyDuplicate as duplicate:
            return Response(
                {
                    "detail": str(DUPLICATE_DETAIL),
                    "code": "likely_duplicate",
                    "candidates": [candidate.pk for candidate in duplicate.check.visible],
                    "elsewhere_in_traeger": duplicate.check.elsewhere,
                },
                status=status.HTTP_409_CONFLICT,
            )
        person = selectors.get_person_for_user(request.user, person.pk)
        return Response(PersonDetailSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetailView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "PATCH": Action.CHANGE}

    @extend_schema(
        operation_id="persons_retrieve",
        tags=[TAG],
        summary="Person lesen",
        description="Eine Person mit Namensvarianten und Verlauf des Aufenthaltsstatus.",
        responses={200: PersonDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        merged_into = selectors.merged_person_id_for_user(request.user, pk)
        if merged_into is not None:
            # A merged duplicate's id keeps working: it answers with the person it lives in.
            return Response(
                status=status.HTTP_308_PERMANENT_REDIRECT,
                headers={"Location": reverse("api:person-detail", kwargs={"pk": merged_into})},
            )
        person = selectors.get_person_for_user(request.user, pk)
        self.audit_read(
            request,
            action="view",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            categories=person_page_categories(person),  # "health" with health notes
        )
        return Response(PersonDetailSerializer(person).data)

    @extend_schema(
        operation_id="persons_partial_update",
        tags=[TAG],
        summary="Person ändern",
        description=(
            "Ändert die übergebenen Felder. `version` ist Pflicht: Wurde die Person seit dem "
            "Lesen geändert, antwortet die API mit 409 und speichert nichts."
        ),
        request=PersonUpdateSerializer,
        responses={200: PersonDetailSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        person = selectors.get_person_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(PersonUpdateSerializer, request.data, person=person)
        version = fields.pop("version")
        services.person_update(
            actor=request.user, person=person, expected_version=version, request=request, **fields
        )
        person = selectors.get_person_for_user(request.user, pk)
        return Response(PersonDetailSerializer(person).data)


class ResidenceStatusListView(CaseFileAPIView):
    """The full residence status history of a person (short, so not paginated)."""

    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="persons_residence_statuses_list",
        tags=[TAG],
        summary="Aufenthaltsstatus-Verlauf",
        description="Alle erfassten Aufenthaltsstatus der Person, der aktuelle zuerst.",
        responses={200: ResidenceStatusSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        person = selectors.get_person_for_user(request.user, pk)
        statuses = list(person.residence_statuses.all())
        self.audit_read(
            request,
            action="list",
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            categories=["residence_status"],
            detail=f"residence_statuses:{len(statuses)}",
        )
        return Response(ResidenceStatusSerializer(statuses, many=True).data)

    @extend_schema(
        operation_id="persons_residence_statuses_create",
        tags=[TAG],
        summary="Aufenthaltsstatus erfassen",
        description="Erfasst einen neuen Aufenthaltsstatus; frühere bleiben im Verlauf.",
        request=ResidenceStatusInputSerializer,
        responses={201: ResidenceStatusSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        person = selectors.get_person_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(ResidenceStatusInputSerializer, request.data)
        record = services.residence_status_add(
            actor=request.user, person=person, request=request, **fields
        )
        return Response(ResidenceStatusSerializer(record).data, status=status.HTTP_201_CREATED)
