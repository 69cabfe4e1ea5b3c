"""Goal deadlines of a person: ``GET /api/v1/persons/{id}/deadlines/``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.fields import FreeTextField
from lotse.api.pagination import (
    PageQuerySerializer,
    load_page,
    paginated_response,
    paginated_serializer,
)
from lotse.api.views.base import CaseFileAPIView
from lotse.api.views.people import NOT_FOUND
from lotse.core.access import Action
from lotse.core.pagination import keyset_page
from lotse.deadlines import services
from lotse.deadlines.models import DisplayStatus, PersonGoalDeadline
from lotse.people.selectors import get_person_for_user

TAG = "Fristen"
ORDER = ["goal__sort_order", "id"]


class DeadlineSerializer(serializers.ModelSerializer):
    goal_key = FreeTextField(source="goal.key", read_only=True)
    goal_code = FreeTextField(source="goal.code", read_only=True)
    goal_title = FreeTextField(
        source="goal.title",
        read_only=True,
        # de: Titel des Ziels aus der Konfiguration (deutsch)
        help_text="Titel des Ziels aus der Konfiguration (deutsch).",
    )
    status = serializers.SerializerMethodField(
        help_text="open, missed (offen und Fälligkeit überschritten), met, not_applicable, "
        "unknown (Fälligkeit nicht berechenbar, siehe note)."
    )
    not_applicable_reason = serializers.SerializerMethodField()
    note = FreeTextField(source="note_text", read_only=True)

    class Meta:
        model = PersonGoalDeadline
        fields = [
            "id",
            "goal_key",
            "goal_code",
            "goal_title",
            "start_on",
            "due_on",
            "status",
            "met_on",
            "evidence",
            "evidence_url",
            "not_applicable_reason",
            "automatic",
            "note",
        ]
        read_only_fields = fields

    def get_status(self, obj: PersonGoalDeadline) -> str:
        return obj.display_status(self.context["today"])

    def get_not_applicable_reason(self, obj: PersonGoalDeadline) -> str:
        return obj.reason_text if obj.status == DisplayStatus.NOT_APPLICABLE else ""


PaginatedDeadlineSerializer = paginated_serializer(DeadlineSerializer, "PaginatedDeadlineList")


class PersonDeadlineListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="persons_deadlines_list",
        tags=[TAG],
        summary="Fristen einer Person",
        description=(
            "Die Ziele der Handlungsstruktur mit Frist für diese Person (Reihenfolge der "
            "Konfiguration), berechnet ab dem Datum der Anmeldung. Gleiche Berechtigung wie "
            "die Person."
        ),
        parameters=[PageQuerySerializer],
        responses={200: PaginatedDeadlineSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        person = get_person_for_user(request.user, pk)
        query: Any = self.parse(PageQuerySerializer, request.query_params)
        services.deadlines_refresh_for_person(person)
        page = load_page(
            lambda: keyset_page(
                PersonGoalDeadline.objects.filter(
                    traeger_id=person.traeger_id, person=person
                ).select_related("goal"),
                order=ORDER,
                cursor=query.get("cursor"),
                size=query["page_size"],
            )
        )
        self.audit_read(
            request,
            action="list",
            object_type="deadline",
            object_id=person.pk,
            person_id=person.pk,
            categories=["deadline"],
            detail=f"deadlines:{len(page.items)}",
        )
        context = {"today": timezone.localdate()}
        return paginated_response(
            request, page, DeadlineSerializer(page.items, many=True, context=context).data
        )
