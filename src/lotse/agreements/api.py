"""The Integrationsvereinbarung in the JSON API: ``/api/v1/cases/{id}/agreements/…``.

Reading versions, editing the draft (``version`` for optimistic locking → 409), agreeing it,
and the bilingual PDF ``/api/v1/cases/{id}/agreement.pdf?language=ar``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.agreements import selectors, services
from lotse.agreements.models import Agreement, AgreementGoal, Responsible
from lotse.agreements.pdf import render_pdf
from lotse.agreements.services import GoalInput
from lotse.agreements.texts import DOCUMENT_LANGUAGES, SOURCE, document_language
from lotse.api.fields import FreeTextField
from lotse.api.serializers.common import NamedChoiceField, ScopedPrimaryKeyField, of_traeger
from lotse.api.views.base import CaseFileAPIView, FileAPIView
from lotse.api.views.people import CONFLICT, INVALID, NOT_FOUND
from lotse.cases.selectors import get_case_for_user
from lotse.core.access import Action, not_found
from lotse.directory.models import FieldOfAction, Organisation

TAG = "Integrationsvereinbarung"

LANGUAGE_CODES = [SOURCE.code, *DOCUMENT_LANGUAGES]


class GoalSerializer(serializers.ModelSerializer):
    field_of_action_name = FreeTextField(source="field_of_action.name", read_only=True)
    responsible_organisation_name = FreeTextField(
        source="responsible_organisation.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = AgreementGoal
        fields = [
            "position",
            "field_of_action",
            "field_of_action_name",
            "what",
            "indicator",
            "responsible",
            "responsible_organisation",
            "responsible_organisation_name",
            "due_on",
            "measures",
            "review_on",
        ]
        read_only_fields = fields


class AgreementSerializer(serializers.ModelSerializer):
    """One version with its goals (the goals are prefetched by the selector)."""

    goals = GoalSerializer(many=True, read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "case",
            "number",
            "version",
            "status",
            "language",
            "next_review_on",
            "notes",
            "agreed_on",
            "signed_by_client",
            "superseded_on",
            "created_at",
            "updated_at",
            "goals",
        ]
        read_only_fields = fields


class GoalInputSerializer(serializers.Serializer):
    field_of_action = ScopedPrimaryKeyField(
        FieldOfAction, of_traeger(FieldOfAction), allow_null=True, required=False
    )
    what = FreeTextField(allow_blank=True, required=False, default="")
    indicator = FreeTextField(allow_blank=True, required=False, default="")
    responsible = serializers.ChoiceField(choices=Responsible.choices)
    responsible_organisation = ScopedPrimaryKeyField(
        Organisation, of_traeger(Organisation), allow_null=True, required=False
    )
    due_on = serializers.DateField(allow_null=True, required=False)
    measures = FreeTextField(allow_blank=True, required=False, default="")
    review_on = serializers.DateField(allow_null=True, required=False)


class DraftUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        # de: Die Version, die Sie gelesen haben; wurde der Entwurf inzwischen geändert, folgt 409.
        help_text=gettext_lazy("The version you read; if the draft was changed since, 409.")
    )
    language = NamedChoiceField(
        choices=LANGUAGE_CODES, component="DocumentLanguageEnum", required=False, default="de"
    )
    next_review_on = serializers.DateField(allow_null=True, required=False, default=None)
    notes = FreeTextField(allow_blank=True, required=False, default="")
    goals = GoalInputSerializer(many=True)


class AgreeSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    agreed_on = serializers.DateField(required=False, allow_null=True, default=None)
    signed_by_client = serializers.BooleanField(required=False, default=False)


class PdfQuerySerializer(serializers.Serializer):
    language = FreeTextField(
        required=False,
        default="",
        # de: Sprache neben Deutsch (z. B. ar, fa, prs, uk, ru, tr, en, ro, bg, ti); „de“ nur Deutsch.
        help_text=gettext_lazy(
            "Language besides German (e.g. ar, fa, prs, uk, ru, tr, en, ro, bg, ti); de: German only."
        ),
    )
    version = serializers.IntegerField(required=False, min_value=1)

    def validate_language(self, value: str) -> str:
        if value and document_language(value) is None:
            raise serializers.ValidationError(
                # de: Unbekannte Sprache „%(code)s“. Möglich: %(codes)s.
                _("Unknown language “%(code)s”. Available: %(codes)s.")
                % {"code": value, "codes": ", ".join(LANGUAGE_CODES)}
            )
        return value


def _as_goal_inputs(goals: list[dict[str, Any]]) -> list[GoalInput]:
    return [
        GoalInput(
            field_of_action=goal.get("field_of_action"),
            what=goal.get("what", ""),
            indicator=goal.get("indicator", ""),
            responsible=goal["responsible"],
            due_on=goal.get("due_on"),
            responsible_organisation=goal.get("responsible_organisation"),
            measures=goal.get("measures", ""),
            review_on=goal.get("review_on"),
        )
        for goal in goals
    ]


class AgreementListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_agreements_list",
        tags=[TAG],
        summary="Fassungen der Integrationsvereinbarung",
        description="Alle Fassungen mit ihren Zielen, neueste zuerst (Entwurf, vereinbart, abgelöst).",
        responses={200: AgreementSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk)
        versions = list(selectors.agreements_of_case(case, with_goals=True))
        self.audit_read(
            request,
            action="list",
            object_type="agreement",
            object_id=case.pk,
            person_id=case.person_id,
            categories=["case"],
            detail=f"versions:{len(versions)}",
        )
        return Response(AgreementSerializer(versions, many=True).data)

    @extend_schema(
        operation_id="cases_agreements_start",
        tags=[TAG],
        summary="Entwurf anlegen",
        description=(
            "Legt einen Entwurf an: Fassung 1, oder bei einer vereinbarten Fassung N eine Kopie "
            "als Fassung N+1. Gibt es schon einen Entwurf, folgt 400."
        ),
        request=None,
        responses={201: AgreementSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk, Action.CHANGE)
        draft = services.agreement_start(actor=request.user, case=case, request=request)
        draft = selectors.get_agreement_of_case(case, draft.number)
        return Response(AgreementSerializer(draft).data, status=status.HTTP_201_CREATED)


class AgreementVersionView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="cases_agreements_retrieve",
        tags=[TAG],
        summary="Eine Fassung lesen",
        responses={200: AgreementSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, number: int) -> Response:
        agreement = selectors.get_agreement_for_user(request.user, pk, number)
        self.audit_read(
            request,
            action="view",
            object_type="agreement",
            object_id=agreement.pk,
            person_id=agreement.case.person_id,
            categories=["case"],
        )
        return Response(AgreementSerializer(agreement).data)


class AgreementDraftView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "PUT": Action.CHANGE}

    @extend_schema(
        operation_id="cases_agreements_draft_retrieve",
        tags=[TAG],
        summary="Entwurf lesen",
        responses={200: AgreementSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = selectors.get_draft_for_user(request.user, pk)
        self.audit_read(
            request,
            action="view",
            object_type="agreement",
            object_id=draft.pk,
            person_id=draft.case.person_id,
            categories=["case"],
        )
        return Response(AgreementSerializer(draft).data)

    @extend_schema(
        operation_id="cases_agreements_draft_update",
        tags=[TAG],
        summary="Entwurf speichern",
        description=(
            "Ersetzt Felder und Ziele des Entwurfs. Jedes Ziel nach SMART: `what`, `indicator`, "
            "`responsible` (bei `organisation` mit `responsible_organisation`), `due_on` nach "
            "heute. Fehler der Ziele heißen `goals.<Index>.<Feld>`. `version` wie beim Lesen "
            "(409 bei Konflikt)."
        ),
        request=DraftUpdateSerializer,
        responses={200: AgreementSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def put(self, request: Request, pk: int) -> Response:
        draft = selectors.get_draft_for_user(request.user, pk)
        fields = self.parse(DraftUpdateSerializer, request.data)
        services.agreement_update_draft(
            actor=request.user,
            agreement=draft,
            expected_version=fields["version"],
            goals=_as_goal_inputs(fields["goals"]),
            language=fields["language"],
            next_review_on=fields["next_review_on"],
            notes=fields["notes"],
            request=request,
        )
        draft = selectors.get_draft_for_user(request.user, pk)
        return Response(AgreementSerializer(draft).data)


class AgreementAgreeView(CaseFileAPIView):
    required_actions = {"POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_agreements_agree",
        tags=[TAG],
        summary="Entwurf vereinbaren",
        description=(
            "Friert den Entwurf als vereinbart ein (Datum, unterschrieben ja/nein); die bisher "
            "gültige Fassung wird abgelöst. Ohne `agreed_on` gilt heute."
        ),
        request=AgreeSerializer,
        responses={200: AgreementSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = selectors.get_draft_for_user(request.user, pk)
        fields = self.parse(AgreeSerializer, request.data)
        services.agreement_agree(
            actor=request.user,
            agreement=draft,
            expected_version=fields["version"],
            agreed_on=fields["agreed_on"],
            signed_by_client=fields["signed_by_client"],
            request=request,
        )
        agreement = selectors.get_agreement_of_case(draft.case, draft.number)
        return Response(AgreementSerializer(agreement).data)


class AgreementPdfView(FileAPIView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="cases_agreement_pdf",
        tags=[TAG],
        summary="Integrationsvereinbarung als PDF",
        description=(
            "Zweisprachig: Deutsch und `language` (ohne Angabe die Sprache der Fassung). Ohne "
            "`version` die gültige (vereinbarte) Fassung. Nicht geprüfte Übersetzungen sind im "
            "Dokument gekennzeichnet. Jeder Abruf wird protokolliert (Druck)."
        ),
        parameters=[PdfQuerySerializer],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 400: INVALID, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        case = get_case_for_user(request.user, pk)
        query = self.parse(PdfQuerySerializer, request.query_params)
        if "version" in query:
            agreement = selectors.get_agreement_of_case(case, query["version"])
        else:
            found = selectors.latest_agreed(case)
            if found is None:
                raise not_found()
            agreement = found
        language = document_language(query["language"] or agreement.language or SOURCE.code)
        if language is None:  # a stored language whose template was removed since
            raise DjangoValidationError({"language": _("There is no template for this language.")})
        services.agreement_printed(
            actor=request.user, agreement=agreement, language=language.code, request=request
        )
        pdf = render_pdf(agreement, language)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"integrationsvereinbarung-{case.reference}-v{agreement.number}-{language.code}"
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
