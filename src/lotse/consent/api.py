"""Consents and transfers: ``/api/v1/consents/…`` and ``/api/v1/persons/{id}/transfers/``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.fields import FreeTextField
from lotse.api.serializers.common import NamedChoiceField, ScopedPrimaryKeyField, of_traeger
from lotse.api.views.base import CaseFileAPIView
from lotse.api.views.people import INVALID, NOT_FOUND
from lotse.consent import selectors, services
from lotse.consent.models import Category, Consent, InformationNotice, Purpose, Transfer
from lotse.consent.selectors import form_language_codes
from lotse.core.access import Action
from lotse.directory.models import Organisation
from lotse.people.models import Person
from lotse.people.selectors import get_person_for_user, person_queryset_for_user

TAG = "Einwilligungen"


class RecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "key", "name"]
        read_only_fields = fields


class ConsentSerializer(serializers.ModelSerializer):
    recipients = RecipientSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField(
        help_text="valid, pending (noch nicht gültig), expired, withdrawn, superseded."
    )
    supersedes = serializers.IntegerField(source="supersedes_id", read_only=True, allow_null=True)
    superseded_by = serializers.SerializerMethodField()
    recorded_by = FreeTextField(source="recorded_by.username", read_only=True)
    withdrawn_by = FreeTextField(
        source="withdrawn_by.username", read_only=True, allow_null=True, default=None
    )
    has_scan = serializers.SerializerMethodField()
    purposes: serializers.SlugRelatedField[Purpose] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "document_id",
            "number",
            "status",
            "recipients",
            "categories",
            "purposes",
            "purpose",
            "form",
            "language",
            "interpreter",
            "valid_from",
            "valid_until",
            "text_version",
            "has_scan",
            "attested_on",
            "recorded_by",
            "recorded_at",
            "supersedes",
            "superseded_by",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_note",
        ]
        read_only_fields = fields

    def get_status(self, obj: Consent) -> str:
        return str(obj.status())

    def get_superseded_by(self, obj: Consent) -> int | None:
        return obj.superseded_by.pk if obj.is_superseded else None

    def get_has_scan(self, obj: Consent) -> bool:
        return bool(obj.scan)


def _persons(user: Any) -> Any:
    return person_queryset_for_user(user, Action.CHANGE)


class ConsentCreateSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyField(Person, _persons)
    recipients = serializers.ListField(
        child=ScopedPrimaryKeyField(Organisation, of_traeger(Organisation)), allow_empty=False
    )
    categories = serializers.ListField(
        child=NamedChoiceField(choices=Category.choices, component="DataCategoryEnum"),
        allow_empty=False,
    )
    purpose = FreeTextField(
        # de: Konkreter Zweck, mindestens 20 Zeichen.
        help_text=_("Specific purpose, at least 20 characters.")
    )
    form = serializers.ChoiceField(choices=Consent.Form.choices)
    language = NamedChoiceField(
        choices=form_language_codes(),
        component="ConsentLanguageEnum",
        required=False,
        default="de",
        # de: Das Formular wird zweisprachig gedruckt: Deutsch und diese Sprache.
        help_text=_("The form is printed bilingually: German and this language."),
    )
    interpreter = FreeTextField(required=False, allow_blank=True, default="")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    text_version = FreeTextField(max_length=50)
    purposes = serializers.ListField(
        child=ScopedPrimaryKeyField(Purpose, of_traeger(Purpose)),
        required=False,
        default=list,
        help_text="Die abgedeckten Zwecke (konfiguriert je Träger, höchstens drei).",
    )
    attest_signed_paper = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Bestätigung, dass das unterschriebene Papier in der Akte liegt (statt eines Scans); "
            "ohne sie deckt eine schriftliche Einwilligung keine Übermittlung."
        ),
    )


class ConsentQuerySerializer(serializers.Serializer):
    person = serializers.IntegerField(
        # de: Pflicht: die Person, deren Einwilligungen gelistet werden.
        help_text=_("Required: the person whose consents are listed.")
    )


class WithdrawSerializer(serializers.Serializer):
    note = FreeTextField(required=False, allow_blank=True, default="")


class ConsentListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="consents_list",
        tags=[TAG],
        summary="Einwilligungen einer Person",
        description="Alle Fassungen, neueste zuerst. Der Filter person ist Pflicht.",
        parameters=[ConsentQuerySerializer],
        responses={200: ConsentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        query = self.parse(ConsentQuerySerializer, request.query_params)
        person = get_person_for_user(request.user, query["person"])
        consents = list(selectors.consents_of(person))
        self.audit_read(
            request,
            action="list",
            object_type="consent",
            person_id=person.pk,
            categories=["consent"],
        )
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(
        operation_id="consents_create",
        tags=[TAG],
        summary="Einwilligung erfassen",
        request=ConsentCreateSerializer,
        responses={201: ConsentSerializer, 400: INVALID},
    )
    def post(self, request: Request) -> Response:
        fields = self.parse(ConsentCreateSerializer, request.data)
        consent = services.consent_record(actor=request.user, request=request, **fields)
        consent = selectors.get_consent_for_user(request.user, consent.pk)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentDetailView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="consents_retrieve",
        tags=[TAG],
        summary="Einwilligung lesen",
        responses={200: ConsentSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        consent = selectors.get_consent_for_user(request.user, pk)
        self.audit_read(
            request,
            action="view",
            object_type="consent",
            object_id=consent.pk,
            person_id=consent.person_id,
            categories=["consent"],
        )
        return Response(ConsentSerializer(consent).data)


class ConsentWithdrawView(CaseFileAPIView):
    required_actions = {"POST": Action.CHANGE}

    @extend_schema(
        operation_id="consents_withdraw",
        tags=[TAG],
        summary="Einwilligung widerrufen",
        description="Wirkt sofort: ab dann ist die Einwilligung keine Rechtsgrundlage mehr.",
        request=WithdrawSerializer,
        responses={200: ConsentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        consent = selectors.get_consent_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(WithdrawSerializer, request.data)
        consent = services.consent_withdraw(
            actor=request.user, consent=consent, note=fields["note"], request=request
        )
        return Response(ConsentSerializer(consent).data)


class TransferSerializer(serializers.ModelSerializer):
    recipient = RecipientSerializer(read_only=True)
    consent_document_id = FreeTextField(
        source="consent.document_id", read_only=True, allow_null=True, default=None
    )
    transferred_by = FreeTextField(source="transferred_by.username", read_only=True)
    basis = NamedChoiceField(
        choices=Transfer.Basis.choices, component="TransferBasisEnum", read_only=True
    )

    class Meta:
        model = Transfer
        fields = [
            "id",
            "person",
            "recipient",
            "categories",
            "purpose",
            "basis",
            "consent",
            "consent_document_id",
            "consent_version",
            "statute",
            "reason",
            "flow",
            "purpose_key",
            "transferred_by",
            "transferred_at",
        ]
        read_only_fields = fields


class PersonTransferListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW}

    @extend_schema(
        operation_id="persons_transfers_list",
        tags=[TAG],
        summary="Übermittlungen einer Person",
        description="Das Übermittlungsjournal: Empfänger, Rechtsgrundlage, Kategorien, Fassung.",
        responses={200: TransferSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        person = get_person_for_user(request.user, pk)
        transfers = list(selectors.transfers_of(person))
        self.audit_read(
            request,
            action="list",
            object_type="transfer",
            person_id=person.pk,
            categories=["consent"],
        )
        return Response(TransferSerializer(transfers, many=True).data)


class InformationNoticeSerializer(serializers.ModelSerializer):
    recorded_by = FreeTextField(source="recorded_by.username", read_only=True)

    class Meta:
        model = InformationNotice
        fields = [
            "id",
            "person",
            "language",
            "text_version",
            "handed_out_on",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class InformationNoticeCreateSerializer(serializers.Serializer):
    language = NamedChoiceField(
        choices=form_language_codes(),
        component="ConsentLanguageEnum",
        # de: Sprache neben Deutsch, in der das Blatt ausgehändigt wurde; „de“ nur Deutsch.
        help_text=_("Language besides German the sheet was handed out in; de: German only."),
    )
    handed_out_on = serializers.DateField()


class PersonInformationNoticeListView(CaseFileAPIView):
    required_actions = {"GET": Action.VIEW, "POST": Action.CHANGE}

    @extend_schema(
        operation_id="persons_information_notices_list",
        tags=[TAG],
        summary="Datenschutzinformationen einer Person",
        description="Wann die Person das Informationsblatt nach Art. 13 DSGVO erhalten hat.",
        responses={200: InformationNoticeSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        person = get_person_for_user(request.user, pk)
        notices = list(selectors.notices_of(person))
        self.audit_read(
            request,
            action="list",
            object_type="information_notice",
            person_id=person.pk,
            categories=["consent"],
        )
        return Response(InformationNoticeSerializer(notices, many=True).data)

    @extend_schema(
        operation_id="persons_information_notices_create",
        tags=[TAG],
        summary="Aushändigung der Datenschutzinformation erfassen",
        description="Erfasst wird die aktuelle Textfassung des Informationsblatts.",
        request=InformationNoticeCreateSerializer,
        responses={201: InformationNoticeSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        person = get_person_for_user(request.user, pk, Action.CHANGE)
        fields = self.parse(InformationNoticeCreateSerializer, request.data)
        notice = services.notice_record(
            actor=request.user, person=person, request=request, **fields
        )
        return Response(InformationNoticeSerializer(notice).data, status=status.HTTP_201_CREATED)
