"""Partner access by consent: ``/api/v1/partner/persons/`` and ``/api/v1/partner/persons/{id}/``.

Same selectors and the same rule as the partner pages (``lotse.sharing.selectors``): only
persons with a consent in force naming the user's organisation, only the granted categories;
a section that is not granted is ``null``. Every read is in the access log with exactly the
categories returned.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
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
from lotse.api.serializers.common import NamedChoiceField
from lotse.api.views.people import INVALID, NOT_FOUND
from lotse.consent.models import Category
from lotse.core.access import can_view_shared
from lotse.intake.models import GermanLevel, RecognitionStatus, WorkStatus
from lotse.offers.api import PermissionTableAPIView
from lotse.sharing import selectors
from lotse.sharing.views import audit_rows, audit_view

TAG = "Partner"
IDENTITY_ONLY = _("Only with the category identity.")  # de: Nur mit der Kategorie identity.


def _categories(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=NamedChoiceField(choices=Category.choices, component="DataCategoryEnum"), **kwargs
    )


class SharedRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person_id")
    reference = FreeTextField(
        allow_null=True,
        help_text=_(
            "Pseudonymous reference, different per organisation; null when the name is shown "
            "(a reference never stands next to the name it hides elsewhere)."
        ),
    )
    # de: Die jetzt freigegebenen Datenkategorien.
    categories = _categories(help_text=_("The data categories released now."))
    first_name = FreeTextField(allow_null=True, help_text=IDENTITY_ONLY)
    last_name = FreeTextField(allow_null=True, help_text=IDENTITY_ONLY)

    def to_representation(self, instance: selectors.SharedRow) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["categories"] = sorted(instance.categories, key=Category.values.index)
        if instance.shows_identity:
            data["reference"] = None
        return data


class IdentitySerializer(serializers.Serializer):
    first_name = FreeTextField()
    last_name = FreeTextField()
    date_of_birth = serializers.DateField(allow_null=True)
    nationalities = serializers.ListField(child=FreeTextField())
    languages = serializers.ListField(child=FreeTextField())


class StatusRecordSerializer(serializers.Serializer):
    status = FreeTextField(source="status.name")
    status_key = FreeTextField(source="status.key")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    note = FreeTextField()


class ResidenceSerializer(serializers.Serializer):
    statuses = StatusRecordSerializer(many=True)
    obligation = serializers.BooleanField()
    obligation_place = FreeTextField()
    obligation_until = serializers.DateField(allow_null=True)


class MemberSerializer(serializers.Serializer):
    household_role = FreeTextField()
    person_id = serializers.IntegerField(
        allow_null=True,
        # de: Nur wenn eine Einwilligung des Mitglieds die Kategorie identity freigibt.
        help_text=_("Only when a consent of the member releases the category identity."),
    )
    first_name = FreeTextField(allow_null=True)
    last_name = FreeTextField(allow_null=True)


class FamilySerializer(serializers.Serializer):
    household_role = FreeTextField()
    members = MemberSerializer(many=True)


class HealthSerializer(serializers.Serializer):
    notes = FreeTextField()


class SharedAssessmentSerializer(serializers.Serializer):
    field_of_action_key = FreeTextField(source="field_of_action.key")
    field_of_action_name = FreeTextField(source="field_of_action.name")
    resources = FreeTextField()
    school_qualifications = FreeTextField()
    vocational_qualifications = FreeTextField()
    recognition_status = NamedChoiceField(
        component="RecognitionStatusEnum", choices=RecognitionStatus.choices, allow_blank=True
    )
    recognition_body = FreeTextField()
    work_experience = FreeTextField()
    work_status = NamedChoiceField(
        component="WorkStatusEnum", choices=WorkStatus.choices, allow_blank=True
    )
    german_level = NamedChoiceField(
        component="GermanLevelEnum", choices=GermanLevel.choices, allow_blank=True
    )
    german_test_date = serializers.DateField(allow_null=True)
    german_test_provider = FreeTextField()
    goals = FreeTextField()
    needs = FreeTextField()
    updated_at = serializers.DateTimeField(allow_null=True)


class AssessmentsSerializer(serializers.Serializer):
    """The assessments of the fields of action mapped to each granted category."""

    education_work = SharedAssessmentSerializer(many=True, allow_null=True, required=False)
    benefits = SharedAssessmentSerializer(many=True, allow_null=True, required=False)
    health = SharedAssessmentSerializer(many=True, allow_null=True, required=False)
    youth_welfare = SharedAssessmentSerializer(many=True, allow_null=True, required=False)


class SharedPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person_id")
    reference = FreeTextField(allow_null=True)
    categories = _categories()
    identity = IdentitySerializer(allow_null=True)
    residence_status = ResidenceSerializer(source="residence", allow_null=True)
    german_level = NamedChoiceField(
        component="GermanLevelEnum",
        choices=GermanLevel.choices,
        allow_null=True,
        # de: Mit education_work: der zuletzt erfasste Stand.
        help_text=_("With education_work: the level recorded last."),
    )
    family = FamilySerializer(allow_null=True)
    health = HealthSerializer(allow_null=True)
    assessments = AssessmentsSerializer(
        # de: Je freigegebener Kategorie die Assessments der zugeordneten Handlungsfelder; nicht
        # freigegebene Kategorien sind null.
        help_text=_(
            "Per released category the assessments of the fields of action mapped to it; "
            "categories not released are null."
        )
    )

    def to_representation(self, instance: selectors.SharedPerson) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["categories"] = instance.shown_categories
        if instance.identity is not None:
            data["reference"] = None
        data["assessments"] = {
            category: (
                SharedAssessmentSerializer(instance.assessments[category], many=True).data
                if category in instance.assessments
                else None
            )
            for category in selectors.ASSESSMENT_CATEGORIES
        }
        return data


PaginatedSharedRowSerializer = paginated_serializer(
    SharedRowSerializer, "PaginatedSharedPersonList"
)


class SharedPersonListView(PermissionTableAPIView):
    required_permissions = {"GET": can_view_shared}

    @extend_schema(
        operation_id="partner_persons_list",
        tags=[TAG],
        summary="Für die eigene Organisation freigegebene Personen",
        description=(
            "Nur für Partnerorganisationen: Personen, deren gültige Einwilligung die eigene "
            "Organisation als Empfänger nennt. Der Name nur mit der Kategorie identity, sonst "
            "nur die pseudonyme Kennung. Widerruf und Ablauf wirken sofort."
        ),
        parameters=[PageQuerySerializer],
        responses={200: PaginatedSharedRowSerializer, 400: INVALID},
    )
    def get(self, request: Request) -> Response:
        query = self.parse(PageQuerySerializer, request.query_params)
        page, rows = load_page_rows(request, query)
        audit_rows(request, rows)
        data = SharedRowSerializer(rows, many=True).data
        return paginated_response(request, page, data)


def load_page_rows(request: Request, query: dict[str, Any]) -> Any:
    result: dict[str, Any] = {}

    def fetch() -> Any:
        page, rows = selectors.shared_person_page(
            request.user, cursor=query.get("cursor") or None, size=query["page_size"]
        )
        result["rows"] = rows
        return page

    page = load_page(fetch)
    return page, result["rows"]


class SharedPersonDetailView(PermissionTableAPIView):
    required_permissions = {"GET": can_view_shared}

    @extend_schema(
        operation_id="partner_persons_retrieve",
        tags=[TAG],
        summary="Eine freigegebene Person, nur in den freigegebenen Kategorien",
        description=(
            "Abschnitte nicht freigegebener Kategorien sind null. Ohne gültige Einwilligung "
            "für die eigene Organisation: 404."
        ),
        responses={200: SharedPersonSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        person, granted = selectors.get_shared_person_for_user(request.user, pk)
        view = selectors.shared_view(request.user, person, granted)
        audit_view(request, view)
        return Response(SharedPersonSerializer(view).data)
