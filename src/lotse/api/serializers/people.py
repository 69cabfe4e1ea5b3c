"""Persons and their residence status history, as the API shows and accepts them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lotse.api.fields import FreeTextField
from lotse.api.serializers.common import NamedChoiceField, ScopedPrimaryKeyField, of_traeger
from lotse.core.reference import country_choices, language_choices
from lotse.directory.models import Municipality, ResidenceStatusType, TargetGroup
from lotse.people.models import Person, PersonNameVariant, ResidenceStatusRecord
from lotse.people.services import municipalities_for, target_groups_for


class NameVariantSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonNameVariant
        fields = ["id", "last_name", "first_name", "kind"]
        read_only_fields = fields


class ResidenceStatusSerializer(serializers.ModelSerializer):
    status_name = FreeTextField(source="status.name", read_only=True)

    class Meta:
        model = ResidenceStatusRecord
        fields = ["id", "status", "status_name", "valid_from", "valid_until", "note", "recorded_at"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """A person in a list: everything the list selector loads, no further queries."""

    municipality_name = FreeTextField(
        source="municipality.name", read_only=True, allow_null=True, default=None
    )
    target_group_name = FreeTextField(
        source="target_group.name", read_only=True, allow_null=True, default=None
    )
    # A read-only model choice field loses ``allow_blank``; "" (no household) is a value too.
    household_role = serializers.ChoiceField(
        choices=Person.HouseholdRole.choices, read_only=True, allow_blank=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "version",
            "last_name",
            "first_name",
            "date_of_birth",
            "sex",
            "nationalities",
            "languages",
            "interpreter_needed",
            "interpreter_language",
            "municipality",
            "municipality_name",
            "registered_on",
            "target_group",
            "target_group_name",
            "residence_obligation",
            "residence_obligation_place",
            "residence_obligation_until",
            "household",
            "household_role",
            "organisation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonDetailSerializer(PersonSerializer):
    """One person with name variants and residence status history (prefetched by the selector).

    Only here, for the case team, come the health notes (Art. 9 GDPR); lists never carry them.
    """

    name_variants = NameVariantSerializer(many=True, read_only=True)
    residence_statuses = ResidenceStatusSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [
            *PersonSerializer.Meta.fields,
            "health_notes",
            "name_variants",
            "residence_statuses",
        ]
        read_only_fields = fields


class PersonInputSerializer(serializers.Serializer):
    """The fields of ``people.services.PERSON_FIELDS``; absent fields stay untouched."""

    last_name = FreeTextField(max_length=200)
    first_name = FreeTextField(max_length=200)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Person.Sex.choices, required=False)
    nationalities = serializers.ListField(
        child=NamedChoiceField(choices=country_choices(), component="CountryEnum"),
        required=False,
    )
    languages = serializers.ListField(
        child=NamedChoiceField(choices=language_choices(), component="LanguageEnum"),
        required=False,
    )
    interpreter_needed = serializers.BooleanField(required=False)
    interpreter_language = NamedChoiceField(
        choices=language_choices(),
        component="LanguageOrBlankEnum",
        required=False,
        allow_blank=True,
    )
    municipality = ScopedPrimaryKeyField(
        Municipality, municipalities_for, required=False, allow_null=True
    )
    registered_on = serializers.DateField(required=False, allow_null=True)
    target_group = ScopedPrimaryKeyField(
        TargetGroup, target_groups_for, required=False, allow_null=True
    )
    residence_obligation = serializers.BooleanField(required=False)
    residence_obligation_place = FreeTextField(max_length=200, required=False, allow_blank=True)
    residence_obligation_until = serializers.DateField(required=False, allow_null=True)
    health_notes = FreeTextField(
        max_length=5000,
        required=False,
        allow_blank=True,
        # de: Gesundheit und besonderer Schutzbedarf (Art. 9 DSGVO); verschlüsselt gespeichert, nur für das Fallteam.
        help_text=_(
            "Health and special protection needs (Art. 9 GDPR); stored encrypted, for the "
            "case team only."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        person: Person | None = self.context.get("person")

        def current(name: str) -> Any:
            return attrs[name] if name in attrs else getattr(person, name, None)

        if current("interpreter_needed") and not current("interpreter_language"):
            raise serializers.ValidationError(
                # de: Bitte wählen Sie die Sprache für die Dolmetschung.
                {"interpreter_language": _("Please choose the language for the interpreter.")}
            )
        return attrs


class PersonCreateSerializer(PersonInputSerializer):
    external_key = FreeTextField(max_length=100, required=False, allow_blank=True)
    confirm_distinct = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Create the person although likely duplicates exist (answer 409); needs "
            "distinct_reason."
        ),
    )
    distinct_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why the person is none of the likely duplicates."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        confirmed = attrs.pop("confirm_distinct", False)
        reason = " ".join(attrs.get("distinct_reason", "").split())
        if confirmed and not reason:
            raise serializers.ValidationError(
                {"distinct_reason": _("Please give the reason why this is a different person.")}
            )
        attrs["distinct_reason"] = reason if confirmed else ""
        return attrs


class DuplicateConflictSerializer(serializers.Serializer):
    detail = FreeTextField(read_only=True)
    code = FreeTextField(read_only=True)
    candidates = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    elsewhere_in_traeger = serializers.BooleanField(read_only=True)


class PersonUpdateSerializer(PersonInputSerializer):
    """PATCH: every field optional, but ``version`` (optimistic locking) is required."""

    version = serializers.IntegerField(
        min_value=1,
        # de: Die Version, die Sie gelesen haben; wurde die Person inzwischen geändert, folgt 409.
        help_text=_("The version you read; if the person was changed since, the answer is 409."),
    )
    last_name = FreeTextField(max_length=200, required=False)
    first_name = FreeTextField(max_length=200, required=False)


class ResidenceStatusInputSerializer(serializers.Serializer):
    status = ScopedPrimaryKeyField(ResidenceStatusType, of_traeger(ResidenceStatusType))
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    note = FreeTextField(max_length=500, required=False, allow_blank=True, default="")
