"""JSON API of the programmes app (mounted under ``/api/v1/``): eligibility, participation,
Bausteine, costs and referrals to the Ausländerbehörde. Same permissions as the HTML views.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.fields import FreeTextField
from lotse.api.views.base import CaseFileAPIView
from lotse.cases.selectors import get_case_for_user
from lotse.consent.models import Consent
from lotse.core.access import Action, traeger_id_of
from lotse.directory.models import Organisation, Programme, ProgrammeModule
from lotse.people.selectors import get_person_for_user
from lotse.programmes import legal, selectors, services
from lotse.programmes.models import (
    AbhReferral,
    BudgetEntry,
    ModuleAssignment,
    Participation,
    ReferralCheckItem,
)
from lotse.programmes.modules import TraegerModules, modules_for_user

TAG = "Programme"
NOT_FOUND = OpenApiResponse(description="Nicht vorhanden oder außerhalb Ihres Zugriffs.")
INVALID = OpenApiResponse(description="Ungültige Eingabe: Feldname → Liste von Meldungen.")
CONFLICT = OpenApiResponse(description="Inzwischen geändert; nichts gespeichert.")


class TraegerScopedField(serializers.PrimaryKeyRelatedField):
    """A reference to a row of the requesting user's Träger (others read as unknown ids)."""

    def __init__(self, model: Any, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        user = self.context["request"].user
        return self.model.objects.filter(traeger_id=traeger_id_of(user))


# --- Serializers -----------------------------------------------------------------------------


def inline_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field documented as an inline enum (wrapped in ``allOf``, so drf-spectacular does
    not turn it into a shared component): names such as "status" and "kind" are used by other
    apps' enums too, and a shared component name would make the schema ambiguous."""
    values = [value for value, _label in choices]
    field_class = extend_schema_field({"allOf": [{"type": "string", "enum": values}]})(
        type("InlineChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)  # type: ignore[no-any-return]


class ProgrammeCriterionSerializer(serializers.Serializer):
    key = FreeTextField()
    met = serializers.BooleanField(allow_null=True)
    reason = FreeTextField()


class ProgrammeEligibilityQuerySerializer(serializers.Serializer):
    programme = TraegerScopedField(Programme)
    intake_date = serializers.DateField(
        # de: Tag, an dem Alter und Aufenthaltsstatus geprüft werden.
        help_text=_("The day on which age and residence status are checked.")
    )


class ProgrammeEligibilitySerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk")
    intake_date = serializers.DateField()
    eligible = serializers.BooleanField()
    criteria = ProgrammeCriterionSerializer(many=True)
    provider = serializers.IntegerField(source="provider.pk", allow_null=True, default=None)
    provider_name = FreeTextField(source="provider.name", allow_null=True, default=None)


class ProgrammeAssignmentSerializer(serializers.ModelSerializer):
    module_number = serializers.IntegerField(source="module.number", read_only=True)

    class Meta:
        model = ModuleAssignment
        fields = ["id", "module", "module_number", "coach", "starts_on", "ends_on", "note"]
        read_only_fields = ["note"]  # output only


class ProgrammeBudgetEntrySerializer(serializers.ModelSerializer):
    kind = inline_choice(BudgetEntry.Kind.choices, read_only=True)
    module = serializers.IntegerField(source="budget.module_id", read_only=True)
    year = serializers.IntegerField(source="budget.year", read_only=True)

    class Meta:
        model = BudgetEntry
        fields = [
            "id",
            "kind",
            "module",
            "year",
            "cost_type",
            "amount_cents",
            "booked_on",
            "purpose",
            "commitment",
            "settled",
            "override_reason",
        ]
        read_only_fields = ["purpose", "override_reason"]  # output only


class ProgrammeParticipationSerializer(serializers.ModelSerializer):
    criteria = ProgrammeCriterionSerializer(
        source="eligibility_check.criteria", many=True, read_only=True
    )
    eligibility_checked_at = serializers.DateTimeField(
        source="eligibility_check.checked_at", read_only=True
    )

    class Meta:
        model = Participation
        fields = [
            "id",
            "programme",
            "intake_date",
            "provider",
            "criteria",
            "eligibility_checked_at",
            "version",
        ]


class ProgrammeCaseParticipationSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    participation = ProgrammeParticipationSerializer(allow_null=True)
    assignments = ProgrammeAssignmentSerializer(many=True)


class ProgrammeStartSerializer(serializers.Serializer):
    intake_date = serializers.DateField()


class ProgrammeAssignmentCreateSerializer(serializers.Serializer):
    module = TraegerScopedField(ProgrammeModule)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = FreeTextField(required=False, allow_blank=True, default="", max_length=500)


class ProgrammeAssignmentResultSerializer(ProgrammeAssignmentSerializer):
    coach_load = serializers.SerializerMethodField()
    ratio = serializers.SerializerMethodField()
    over_ratio = serializers.SerializerMethodField()

    class Meta(ProgrammeAssignmentSerializer.Meta):
        fields = [*ProgrammeAssignmentSerializer.Meta.fields, "coach_load", "ratio", "over_ratio"]

    def get_coach_load(self, obj: Any) -> int | None:
        return self.context["outcome"].coach_load

    def get_ratio(self, obj: Any) -> int | None:
        return self.context["outcome"].ratio

    def get_over_ratio(self, obj: Any) -> bool:
        return bool(self.context["outcome"].over_ratio)


class ProgrammeBudgetEntryCreateSerializer(serializers.Serializer):
    module = TraegerScopedField(ProgrammeModule)
    kind = inline_choice(BudgetEntry.Kind.choices)
    cost_type = serializers.ChoiceField(choices=BudgetEntry.CostType.choices)
    amount_cents = serializers.IntegerField(min_value=1)
    booked_on = serializers.DateField()
    purpose = FreeTextField(max_length=300)
    commitment = TraegerScopedField(BudgetEntry, required=False, allow_null=True, default=None)
    override_reason = FreeTextField(required=False, allow_blank=True, default="", max_length=500)


class ProgrammeBudgetStatusSerializer(serializers.Serializer):
    amount_cents = serializers.IntegerField()
    open_committed_cents = serializers.IntegerField()
    paid_cents = serializers.IntegerField()
    available_cents = serializers.IntegerField()
    percent = serializers.IntegerField()
    warning = serializers.BooleanField()
    overrun = serializers.BooleanField()


class ProgrammeBudgetEntryResultSerializer(serializers.Serializer):
    entry = ProgrammeBudgetEntrySerializer()
    budget = ProgrammeBudgetStatusSerializer(source="status")


class AbhCheckItemSerializer(serializers.ModelSerializer):
    status = inline_choice(ReferralCheckItem.Status.choices, read_only=True)
    text = serializers.SerializerMethodField()
    legal_source = serializers.SerializerMethodField()

    class Meta:
        model = ReferralCheckItem
        fields = ["key", "text", "legal_source", "status", "note"]
        read_only_fields = ["note"]  # output only

    def _definition(self, obj: ReferralCheckItem) -> Any:
        return legal.item_label(obj.referral.purpose, obj.key)

    def get_text(self, obj: ReferralCheckItem) -> str:
        definition = self._definition(obj)
        return str(definition.label) if definition else obj.key

    def get_legal_source(self, obj: ReferralCheckItem) -> str:
        definition = self._definition(obj)
        return definition.source if definition else ""


class AbhReferralSerializer(serializers.ModelSerializer):
    items = AbhCheckItemSerializer(many=True, read_only=True)
    consent_version = serializers.IntegerField(
        source="transfer.consent_version",
        read_only=True,
        allow_null=True,
        default=None,
        # de: Die Fassung der Einwilligung, auf der die Übermittlung beruht.
        help_text=_("The version of the consent the transfer rests on."),
    )

    class Meta:
        model = AbhReferral
        fields = [
            "id",
            "case",
            "purpose",
            "state",
            "note",
            "items",
            "authority",
            "basis",
            "consent",
            "consent_version",
            "transfer",
            "consent_given_on",
            "consent_form_reference",
            "consent_scope",
            "statute",
            "statute_reason",
            "categories",
            "forwarded_on",
            "answered_on",
            "missing_documents",
            "next_steps",
            "decision",
            "decision_on",
            "closed_on",
            "version",
        ]
        # Output only; changes go through the action serializers.
        read_only_fields = ["note", "statute_reason", "next_steps"]


class AbhReferralCreateSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=AbhReferral.Purpose.choices)
    note = FreeTextField(required=False, allow_blank=True, default="")


class AbhItemInputSerializer(serializers.Serializer):
    key = FreeTextField()
    status = inline_choice(ReferralCheckItem.Status.choices)
    note = FreeTextField(required=False, allow_blank=True, default="", max_length=500)


class AbhPrecheckUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    items = AbhItemInputSerializer(many=True, required=False, default=list)
    note = FreeTextField(required=False, allow_blank=True, allow_null=True, default=None)


class AbhForwardSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    authority = TraegerScopedField(Organisation, allow_null=True)
    basis = serializers.ChoiceField(
        choices=[("", "—"), *AbhReferral.Basis.choices], allow_blank=True, default=""
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=[key for key, _label in legal.CATEGORIES])
    )
    forwarded_on = serializers.DateField(required=False, allow_null=True, default=None)
    consent = TraegerScopedField(
        Consent,
        required=False,
        allow_null=True,
        default=None,
        # de: Mit basis=consent: eine gültige Einwilligung der Person, die die Behörde nennt und
        # alle Kategorien umfasst.
        help_text=_(
            "With basis=consent: a valid consent of the person that names the authority and "
            "covers every category."
        ),
    )
    statute = FreeTextField(required=False, allow_blank=True, default="", max_length=200)
    statute_reason = FreeTextField(required=False, allow_blank=True, default="")


class AbhAnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    answered_on = serializers.DateField()
    missing_documents = serializers.ListField(
        child=FreeTextField(max_length=300), required=False, default=list
    )
    next_steps = FreeTextField(required=False, allow_blank=True, default="")
    decision = serializers.ChoiceField(
        choices=AbhReferral.Decision.choices, required=False, allow_blank=True, default=""
    )
    decision_on = serializers.DateField(required=False, allow_null=True, default=None)


class AbhVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()


# --- Views -----------------------------------------------------------------------------------


class _ModuleAPIView(CaseFileAPIView):
    """404 when the user's Träger does not configure the module (see ``modules``)."""

    def module_configured(self, modules: TraegerModules) -> bool:
        raise NotImplementedError

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not self.module_configured(modules_for_user(request.user)):
            raise NotFound


class ParticipationAPIView(_ModuleAPIView):
    def module_configured(self, modules: TraegerModules) -> bool:
        return modules.participation


class AbhReferralAPIView(_ModuleAPIView):
    def module_configured(self, modules: TraegerModules) -> bool:
        return modules.abh_referral


def _audit_case(view: CaseFileAPIView, request: Request, case: Any, object_type: str) -> None:
    view.audit_read(
        request,
        action="view",
        object_type=object_type,
        object_id=case.pk,
        person_id=case.person_id,
        categories=["case"],
    )


class EligibilityView(ParticipationAPIView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="persons_eligibility",
        tags=[TAG],
        summary="Teilnahmevoraussetzungen prüfen",
        description=(
            "Prüft Alter am Aufnahmedatum (einschließlich beider Grenzen), Aufenthaltsstatus am "
            "Aufnahmedatum und Wohnort im Programmgebiet; nennt den zuständigen Träger. "
            "Speichert nichts (gespeichert wird die Prüfung mit der Teilnahme)."
        ),
        parameters=[ProgrammeEligibilityQuerySerializer],
        responses={200: ProgrammeEligibilitySerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        person = get_person_for_user(request.user, pk)
        query = self.parse(ProgrammeEligibilityQuerySerializer, request.query_params)
        result = services.eligibility_check(
            actor=request.user,
            person=person,
            programme=query["programme"],
            intake_date=query["intake_date"],
            request=request,
        )
        data = {
            "programme": result.programme.pk,
            "intake_date": result.intake_date,
            "eligible": result.eligible,
            "criteria": result.criteria_data(),
            "provider": result.provider.pk if result.provider else None,
            "provider_name": result.provider.name if result.provider else None,
        }
        return Response(data)


class ParticipationView(ParticipationAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    def _body(self, case: Any) -> dict[str, Any]:
        participation = selectors.participation_of(case)
        return ProgrammeCaseParticipationSerializer(
            {
                "case": case.pk,
                "participation": participation,
                "assignments": selectors.assignments_of(participation) if participation else [],
            }
        ).data

    @extend_schema(
        operation_id="cases_participation_retrieve",
        tags=[TAG],
        summary="Programmteilnahme eines Falls",
        description="Die Teilnahme (oder null) mit gespeicherter Prüfung und Bausteinen.",
        responses={200: ProgrammeCaseParticipationSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk)
        _audit_case(self, request, case, "participation")
        return Response(self._body(case))

    @extend_schema(
        operation_id="cases_participation_start",
        tags=[TAG],
        summary="Teilnahme erfassen",
        description=(
            "Prüft die Voraussetzungen am Aufnahmedatum und speichert die Prüfung mit der "
            "Teilnahme. Nicht erfüllt → 400 mit den Gründen unter `intake_date`."
        ),
        request=ProgrammeStartSerializer,
        responses={201: ProgrammeCaseParticipationSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(ProgrammeStartSerializer, request.data)
        services.participation_start(
            actor=request.user, case=case, intake_date=fields["intake_date"], request=request
        )
        return Response(self._body(case), status=status.HTTP_201_CREATED)


class AssignmentListView(ParticipationAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_participation_modules_list",
        tags=[TAG],
        summary="Bausteine der Teilnahme",
        responses={200: ProgrammeAssignmentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case, participation = selectors.get_participation_for_user(request.user, pk)
        _audit_case(self, request, case, "participation")
        return Response(
            ProgrammeAssignmentSerializer(selectors.assignments_of(participation), many=True).data
        )

    @extend_schema(
        operation_id="cases_participation_modules_create",
        tags=[TAG],
        summary="Einem Baustein zuordnen",
        description=(
            "Bei Bausteinen mit Betreuungsschlüssel ist der Coach die Fachkraft des Falls; "
            "`over_ratio` meldet eine Überschreitung (z. B. mehr als 20 in Baustein 1)."
        ),
        request=ProgrammeAssignmentCreateSerializer,
        responses={201: ProgrammeAssignmentResultSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case, _participation = selectors.get_participation_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(ProgrammeAssignmentCreateSerializer, request.data)
        outcome = services.assignment_add(actor=request.user, case=case, request=request, **fields)
        data = ProgrammeAssignmentResultSerializer(
            outcome.assignment, context={"outcome": outcome}
        ).data
        return Response(data, status=status.HTTP_201_CREATED)


class BudgetEntryListView(ParticipationAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_participation_costs_list",
        tags=[TAG],
        summary="Mittelbindungen und Zahlungen der Teilnahme",
        responses={200: ProgrammeBudgetEntrySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case, participation = selectors.get_participation_for_user(request.user, pk)
        _audit_case(self, request, case, "budget_entry")
        return Response(
            ProgrammeBudgetEntrySerializer(
                selectors.budget_entries_of(participation), many=True
            ).data
        )

    @extend_schema(
        operation_id="cases_participation_costs_create",
        tags=[TAG],
        summary="Mittelbindung oder Zahlung erfassen",
        description=(
            "Beträge in Cent. Würde das Budget des Bausteins im Jahr überschritten, antwortet "
            "die API mit 400 – außer eine Teamleitung gibt mit `override_reason` frei. "
            "`budget.warning` meldet das Erreichen der Warnschwelle (z. B. 90 %)."
        ),
        request=ProgrammeBudgetEntryCreateSerializer,
        responses={201: ProgrammeBudgetEntryResultSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case, _participation = selectors.get_participation_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(ProgrammeBudgetEntryCreateSerializer, request.data)
        outcome = services.budget_entry_add(
            actor=request.user, case=case, request=request, **fields
        )
        return Response(
            ProgrammeBudgetEntryResultSerializer(outcome).data, status=status.HTTP_201_CREATED
        )


class ReferralListView(AbhReferralAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_abh_referrals_list",
        tags=[TAG],
        summary="Weiterleitungen an die Ausländerbehörde",
        responses={200: AbhReferralSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk)
        referrals = list(
            AbhReferral.objects.filter(traeger_id=case.traeger_id, case=case).prefetch_related(
                "items"
            )
        )
        _audit_case(self, request, case, "abh_referral")
        return Response(AbhReferralSerializer(referrals, many=True).data)

    @extend_schema(
        operation_id="cases_abh_referrals_create",
        tags=[TAG],
        summary="Vorprüfung anlegen",
        description="Entwurf mit der Checkliste zu § 25a, § 25b AufenthG oder § 10 StAG.",
        request=AbhReferralCreateSerializer,
        responses={201: AbhReferralSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(AbhReferralCreateSerializer, request.data)
        referral = services.referral_create(
            actor=request.user, case=case, request=request, **fields
        )
        return Response(AbhReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralDetailView(AbhReferralAPIView):
    required_actions = {"GET": Action.VIEW, "PATCH": Action.CHANGE}

    @extend_schema(
        operation_id="cases_abh_referrals_retrieve",
        tags=[TAG],
        summary="Weiterleitung lesen",
        responses={200: AbhReferralSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int, referral_pk: int) -> Response:
        referral = selectors.get_referral_for_user(request.user, pk, referral_pk)
        self.audit_read(
            request,
            action="view",
            object_type="abh_referral",
            object_id=referral.pk,
            person_id=referral.case.person_id,
            categories=["case", "residence_status"],
        )
        return Response(AbhReferralSerializer(referral).data)

    @extend_schema(
        operation_id="cases_abh_referrals_precheck",
        tags=[TAG],
        summary="Vorprüfung ändern",
        description="Je Voraussetzung `met`, `not_met` oder `unknown` mit Anmerkung (nur Entwurf).",
        request=AbhPrecheckUpdateSerializer,
        responses={200: AbhReferralSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: Request, pk: int, referral_pk: int) -> Response:
        referral = selectors.get_referral_for_user(request.user, pk, referral_pk, Action.CHANGE)
        fields = self.parse(AbhPrecheckUpdateSerializer, request.data)
        services.referral_precheck_update(
            actor=request.user,
            referral=referral,
            expected_version=fields["version"],
            items={item["key"]: (item["status"], item["note"]) for item in fields["items"]},
            note=fields["note"],
            request=request,
        )
        referral = selectors.get_referral_for_user(request.user, pk, referral_pk)
        return Response(AbhReferralSerializer(referral).data)


class ReferralForwardView(AbhReferralAPIView):
    required_actions = {"POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_abh_referrals_forward",
        tags=[TAG],
        summary="An die Ausländerbehörde weiterleiten",
        description=(
            "Nur mit Einwilligung der Person (Seed 002, 5.3.2): `basis=consent` mit `consent` "
            "(gültig, nennt die Ausländer- oder Einbürgerungsbehörde, alle Kategorien und den "
            "Zweck, unterschrieben). `basis=statute` wird mit 400 abgelehnt – keine "
            "Rechtsvorschrift ersetzt die Einwilligung. `authority` muss eine Stelle der Art "
            "immigration_office oder naturalisation_office sein. Die Übermittlung steht im "
            "Übermittlungsjournal der Person (`transfer`) und im Zugriffsprotokoll."
        ),
        request=AbhForwardSerializer,
        responses={200: AbhReferralSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, pk: int, referral_pk: int) -> Response:
        referral = selectors.get_referral_for_user(request.user, pk, referral_pk, Action.CHANGE)
        fields = self.parse(AbhForwardSerializer, request.data)
        version = fields.pop("version")
        services.referral_forward(
            actor=request.user,
            referral=referral,
            expected_version=version,
            request=request,
            **fields,
        )
        return Response(AbhReferralSerializer(referral).data)


class ReferralAnswerView(AbhReferralAPIView):
    required_actions = {"POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_abh_referrals_answer",
        tags=[TAG],
        summary="Antwort der Ausländerbehörde erfassen",
        description=(
            "Fehlende Unterlagen, nächste Schritte, Antwortdatum; eine Entscheidung nur so, wie "
            "die ABH sie mitgeteilt hat, mit Datum."
        ),
        request=AbhAnswerSerializer,
        responses={200: AbhReferralSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, pk: int, referral_pk: int) -> Response:
        referral = selectors.get_referral_for_user(request.user, pk, referral_pk, Action.CHANGE)
        fields = self.parse(AbhAnswerSerializer, request.data)
        version = fields.pop("version")
        services.referral_answer(
            actor=request.user,
            referral=referral,
            expected_version=version,
            request=request,
            **fields,
        )
        return Response(AbhReferralSerializer(referral).data)


class ReferralCloseView(AbhReferralAPIView):
    required_actions = {"POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_abh_referrals_close",
        tags=[TAG],
        summary="Weiterleitung abschließen",
        request=AbhVersionSerializer,
        responses={200: AbhReferralSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, pk: int, referral_pk: int) -> Response:
        referral = selectors.get_referral_for_user(request.user, pk, referral_pk, Action.CHANGE)
        fields = self.parse(AbhVersionSerializer, request.data)
        services.referral_close(
            actor=request.user,
            referral=referral,
            expected_version=fields["version"],
            request=request,
        )
        return Response(AbhReferralSerializer(referral).data)
