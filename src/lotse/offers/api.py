"""JSON API of offers and referrals: ``/api/v1/offers/…``, ``/api/v1/cases/{id}/referrals/``,
``/api/v1/referrals/{id}/…``. Same services, selectors and permissions as the web interface."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.exceptions import as_drf_validation_error
from lotse.api.fields import FreeTextField
from lotse.api.pagination import (
    PageQuerySerializer,
    load_page,
    paginated_response,
    paginated_serializer,
)
from lotse.api.serializers.common import MAX_ID, NamedChoiceField, ScopedPrimaryKeyField
from lotse.api.views.base import CaseFileAPIView
from lotse.api.views.people import CONFLICT, INVALID, NOT_FOUND
from lotse.cases.selectors import get_case_for_user, household_member_of_case
from lotse.core.access import Action
from lotse.offers import selectors, services, transitions
from lotse.offers.access import can_read_catalogue
from lotse.offers.models import AccessPath, Offer, OfferKind, Referral, ReferralState

OFFERS = "Angebote"
REFERRALS = "Zusteuerungen"
_READ = frozenset({"GET", "HEAD", "OPTIONS"})


class PermissionTable(BasePermission):
    """Anonymous → 401; otherwise the view's ``required_permissions[method](user)`` decides."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        method = (request.method or "").upper()
        if not hasattr(view, method.lower()):
            return True
        table: dict[str, Callable[[Any], bool]] = getattr(view, "required_permissions", {})
        check = table.get("GET" if method in _READ else method)
        return check is not None and check(user)


class PermissionTableAPIView(CaseFileAPIView):
    permission_classes = [PermissionTable]
    required_permissions: ClassVar[dict[str, Callable[[Any], bool]]] = {}


# -- serializers --------------------------------------------------------------------------------


def kind_field(**kwargs: Any) -> NamedChoiceField:
    return NamedChoiceField(choices=OfferKind.choices, component="OfferKindEnum", **kwargs)


def state_field(**kwargs: Any) -> NamedChoiceField:
    return NamedChoiceField(choices=ReferralState.choices, component="ReferralStateEnum", **kwargs)


class AccessPathSerializer(serializers.ModelSerializer):
    statuses = serializers.SerializerMethodField()
    target_groups = serializers.SerializerMethodField()

    class Meta:
        model = AccessPath
        fields = ["id", "label", "statuses", "nationalities", "target_groups", "min_age", "max_age"]
        read_only_fields = fields

    def get_statuses(self, path: AccessPath) -> list[str]:
        return [s.key for s in path.statuses.all()]

    def get_target_groups(self, path: AccessPath) -> list[str]:
        return [g.key for g in path.target_groups.all()]


class OfferSerializer(serializers.ModelSerializer):
    kind = kind_field(read_only=True)
    provider_label = FreeTextField(read_only=True)
    occupied = serializers.IntegerField(read_only=True)
    waiting = serializers.IntegerField(read_only=True)
    municipalities = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "key",
            "kind",
            "title",
            "provider",
            "provider_label",
            "field_of_action",
            "municipalities",
            "capacity",
            "occupied",
            "waiting",
            "min_age",
            "max_age",
            "schedule",
            "next_start_on",
            "active",
        ]
        read_only_fields = fields

    def get_municipalities(self, offer: Offer) -> list[int]:
        return [m.pk for m in offer.municipalities.all()]


class OfferDetailSerializer(OfferSerializer):
    access_paths = AccessPathSerializer(many=True, read_only=True)
    # Optional in the catalogue: "" is not an e-mail address or a URI, so no format here.
    contact_email = FreeTextField(read_only=True)
    website = FreeTextField(read_only=True)

    class Meta(OfferSerializer.Meta):
        fields = [
            *OfferSerializer.Meta.fields,
            "description",
            "location",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "access_paths",
        ]
        read_only_fields = fields


class OfferReferralSerializer(serializers.ModelSerializer):
    state = state_field(read_only=True)
    offer_title = FreeTextField(source="offer.title", read_only=True)
    allowed_states = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "version",
            "case",
            "person",
            "offer",
            "offer_title",
            "state",
            "allowed_states",
            "requested_on",
            "accepted_on",
            "waiting_since",
            "started_on",
            "ended_on",
            "follow_up_on",
            "note",
            "feedback",
            "eligibility_failures",
            "override_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_allowed_states(self, referral: Referral) -> list[str]:
        return list(transitions.allowed_targets(referral.state))


def _active_offers(user: Any) -> Any:
    return selectors.active_offers_for_referral(user)


class OfferReferralCreateSerializer(serializers.Serializer):
    offer = ScopedPrimaryKeyField(Offer, _active_offers)
    person = serializers.IntegerField(
        required=False,
        allow_null=True,
        # de: Für wen: die Person des Falls (Standard) oder ein Mitglied ihres Haushalts.
        help_text=_("For whom: the case's person (default) or a member of their household."),
    )
    requested_on = serializers.DateField(required=False, allow_null=True)
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    note = FreeTextField(required=False, allow_blank=True, default="")
    override_reason = FreeTextField(
        required=False,
        allow_blank=True,
        default="",
        # de: Pflicht, wenn die Person die Voraussetzungen des Angebots nicht erfüllt.
        help_text=_("Required if the client does not meet the offer's conditions."),
    )


class OfferReferralTransitionSerializer(serializers.Serializer):
    to_state = state_field()
    on = serializers.DateField(required=False, allow_null=True)
    note = FreeTextField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1)


class OfferReferralUpdateSerializer(serializers.Serializer):
    follow_up_on = serializers.DateField(allow_null=True)
    feedback = FreeTextField(allow_blank=True)
    version = serializers.IntegerField(min_value=1)


class OfferQuerySerializer(PageQuerySerializer):
    q = FreeTextField(required=False, allow_blank=True, default="")
    kind = kind_field(required=False)
    field_of_action = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    municipality = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    include_inactive = serializers.BooleanField(required=False, default=False)


class OfferReferralQuerySerializer(PageQuerySerializer):
    overdue = serializers.BooleanField(required=False, default=False)
    mine = serializers.BooleanField(required=False, default=True)


PaginatedOfferSerializer = paginated_serializer(OfferSerializer, "PaginatedOfferList")
PaginatedOfferReferralSerializer = paginated_serializer(
    OfferReferralSerializer, "PaginatedOfferReferralList"
)


# -- views --------------------------------------------------------------------------------------


class OfferListView(PermissionTableAPIView):
    required_permissions = {"GET": can_read_catalogue}

    @extend_schema(
        operation_id="offers_list",
        tags=[OFFERS],
        summary="Angebote auflisten",
        description="Der Angebotskatalog Ihres Trägers mit belegten Plätzen und Warteliste.",
        parameters=[OfferQuerySerializer],
        responses={200: PaginatedOfferSerializer, 400: INVALID},
    )
    def get(self, request: Request) -> Response:
        query = self.parse(OfferQuerySerializer, request.query_params)
        filters = selectors.OfferFilter(
            search=query["q"],
            kind=query.get("kind", ""),
            field_of_action_id=query.get("field_of_action"),
            municipality_id=query.get("municipality"),
            include_inactive=query["include_inactive"],
        )
        page = load_page(
            lambda: selectors.offer_page_for_user(
                request.user, filters=filters, cursor=query.get("cursor"), size=query["page_size"]
            )
        )
        return paginated_response(request, page, OfferSerializer(page.items, many=True).data)


class OfferDetailView(PermissionTableAPIView):
    required_permissions = {"GET": can_read_catalogue}

    @extend_schema(
        operation_id="offers_retrieve",
        tags=[OFFERS],
        summary="Angebot lesen",
        description="Ein Angebot mit seinen Zugangswegen (Voraussetzungen).",
        responses={200: OfferDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        offer = selectors.get_offer_for_user(request.user, pk)
        return Response(OfferDetailSerializer(offer).data)


class CaseReferralListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="cases_referrals_list",
        tags=[REFERRALS],
        summary="Zusteuerungen eines Falls",
        responses={200: OfferReferralSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk)
        referrals = selectors.referrals_of_case(case)
        self.audit_read(
            request,
            action="list",
            object_type="case",
            object_id=case.pk,
            person_id=case.person_id,
            categories=["case"],
            detail=f"referrals:{len(referrals)}",
        )
        return Response(OfferReferralSerializer(referrals, many=True).data)

    @extend_schema(
        operation_id="cases_referrals_create",
        tags=[REFERRALS],
        summary="In ein Angebot zusteuern",
        description=(
            "Prüft die Voraussetzungen des Angebots. Erfüllt die Person sie nicht, antwortet "
            "die API mit 400, `override_reason` und den nicht erfüllten Bedingungen "
            "(`eligibility_failures`); mit Begründung wird trotzdem zugesteuert."
        ),
        request=OfferReferralCreateSerializer,
        responses={201: OfferReferralSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_case_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(OfferReferralCreateSerializer, request.data)
        person_id = fields.pop("person", None)
        if person_id is not None:
            fields["person"] = household_member_of_case(case, person_id)
            if fields["person"] is None:
                raise ValidationError(
                    {
                        "person": [
                            _("This person does not belong to the household of the case's person.")
                        ]
                    }
                )
        try:
            referral = services.referral_create(
                actor=request.user, case=case, request=request, **fields
            )
        except DjangoValidationError as error:
            drf_error = as_drf_validation_error(error)
            if isinstance(drf_error.detail, dict) and "override_reason" in drf_error.detail:
                result = services.check_eligibility(
                    case=case,
                    offer=fields["offer"],
                    on=fields.get("requested_on"),
                    person=fields.get("person"),
                )
                detail: dict[str, Any] = dict(drf_error.detail)
                detail["eligibility_failures"] = [f.as_dict() for f in result.failures]
                raise ValidationError(detail) from None
            raise drf_error from None
        return Response(OfferReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralWorklistView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="referrals_list",
        tags=[REFERRALS],
        summary="Offene Zusteuerungen / überfällige Wiedervorlagen",
        parameters=[OfferReferralQuerySerializer],
        responses={200: PaginatedOfferReferralSerializer, 400: INVALID},
    )
    def get(self, request: Request) -> Response:
        query = self.parse(OfferReferralQuerySerializer, request.query_params)
        filters = selectors.ReferralFilter(mine=query["mine"], overdue=query["overdue"])
        page = load_page(
            lambda: selectors.referral_worklist_page(
                request.user, filters=filters, cursor=query.get("cursor"), size=query["page_size"]
            )
        )
        self.audit_read(
            request, action="list", object_type="referral", detail=f"referrals:{len(page.items)}"
        )
        return paginated_response(
            request, page, OfferReferralSerializer(page.items, many=True).data
        )


class ReferralDetailView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "PATCH": Action.CHANGE}

    @extend_schema(
        operation_id="referrals_retrieve",
        tags=[REFERRALS],
        summary="Zusteuerung lesen",
        responses={200: OfferReferralSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        referral = selectors.get_referral_for_user(request.user, pk)
        self.audit_read(
            request,
            action="view",
            object_type="referral",
            object_id=referral.pk,
            person_id=referral.person_id,
            categories=["case"],
        )
        return Response(OfferReferralSerializer(referral).data)

    @extend_schema(
        operation_id="referrals_partial_update",
        tags=[REFERRALS],
        summary="Wiedervorlage und Rückmeldung setzen",
        request=OfferReferralUpdateSerializer,
        responses={200: OfferReferralSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        referral = selectors.get_referral_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(OfferReferralUpdateSerializer, request.data)
        services.referral_update(
            actor=request.user,
            referral=referral,
            expected_version=fields["version"],
            follow_up_on=fields["follow_up_on"],
            feedback=fields["feedback"],
            request=request,
        )
        return Response(OfferReferralSerializer(referral).data)


class ReferralTransitionView(CaseFileAPIView):
    required_actions = {"POST": Action.CHANGE}

    @extend_schema(
        operation_id="referrals_transition",
        tags=[REFERRALS],
        summary="Status einer Zusteuerung ändern",
        description=(
            "angefragt → zugesagt oder Warteliste → begonnen → abgeschlossen oder abgebrochen "
            "(auch: vom Anbieter abgelehnt). Sind beim Zusagen alle Plätze belegt, kommt die "
            "Zusteuerung auf die Warteliste (`state` = `waiting`)."
        ),
        request=OfferReferralTransitionSerializer,
        responses={200: OfferReferralSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = selectors.get_referral_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(OfferReferralTransitionSerializer, request.data)
        services.referral_transition(
            actor=request.user,
            referral=referral,
            to_state=fields["to_state"],
            expected_version=fields["version"],
            on=fields.get("on"),
            note=fields["note"],
            request=request,
        )
        return Response(OfferReferralSerializer(referral).data)
