"""Cases, phase changes and timeline entries, as the API shows and accepts them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lotse.accounts.models import User
from lotse.api.fields import FreeTextField
from lotse.api.serializers.common import NamedChoiceField, ScopedPrimaryKeyField, of_traeger
from lotse.cases import phases
from lotse.cases.forms import case_managers
from lotse.cases.models import Case, Phase, TimelineEntry
from lotse.core.access import Action
from lotse.directory.models import CaseManagementPost, Programme
from lotse.people.models import Person
from lotse.people.selectors import person_queryset_for_user
from lotse.teams.selectors import posts_of_user

VERSION_HELP = _(
    # de: Die Version, die Sie gelesen haben; wurde der Fall inzwischen geändert, folgt 409.
    "The version you read; if the case was changed since, the answer is 409."
)


def phase_field(**kwargs: Any) -> NamedChoiceField:
    return NamedChoiceField(choices=Phase.choices, component="PhaseEnum", **kwargs)


class PhaseStepSerializer(serializers.Serializer):
    to_phase = phase_field(read_only=True)
    backwards = serializers.BooleanField(read_only=True)
    needs_reason = serializers.BooleanField(read_only=True)


class CaseSerializer(serializers.ModelSerializer):
    """A case in a list: only what the list selector loads (no query per row)."""

    person_name = FreeTextField(source="person.full_name", read_only=True)
    municipality = serializers.IntegerField(
        source="person.municipality_id", read_only=True, allow_null=True
    )
    programme_name = FreeTextField(source="programme.name", read_only=True)
    case_manager_name = serializers.SerializerMethodField()
    phase = phase_field(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "version",
            "reference",
            "person",
            "person_name",
            "municipality",
            "programme",
            "programme_name",
            "organisation",
            "post",
            "case_manager",
            "case_manager_name",
            "phase",
            "phase_changed_at",
            "opened_on",
            "participation_offered_on",
            "participation_agreed_on",
            "closed_on",
            "summary",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_case_manager_name(self, case: Case) -> str | None:
        return case.case_manager.display_name() if case.case_manager else None


class CaseDetailSerializer(CaseSerializer):
    allowed_steps = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "allowed_steps"]
        read_only_fields = fields

    @extend_schema_field(PhaseStepSerializer(many=True))
    def get_allowed_steps(self, case: Case) -> list[dict[str, Any]]:
        return [
            {
                "to_phase": step.to_phase,
                "backwards": step.backwards,
                "needs_reason": step.needs_reason,
            }
            for step in phases.allowed_steps(case.phase)
        ]


def _case_managers(user: Any) -> Any:
    return case_managers(user.traeger_id, user.organisation_id)


def _posts(user: Any) -> Any:
    return posts_of_user(user)


def _persons(user: Any) -> Any:
    return person_queryset_for_user(user, Action.CHANGE)


class CaseInputSerializer(serializers.Serializer):
    programme = ScopedPrimaryKeyField(Programme, of_traeger(Programme))
    case_manager = ScopedPrimaryKeyField(User, _case_managers, required=False, allow_null=True)
    opened_on = serializers.DateField()
    participation_offered_on = serializers.DateField(required=False, allow_null=True)
    participation_agreed_on = serializers.DateField(required=False, allow_null=True)
    summary = FreeTextField(required=False, allow_blank=True)


class CaseCreateSerializer(CaseInputSerializer):
    person = ScopedPrimaryKeyField(Person, _persons)
    post = ScopedPrimaryKeyField(
        CaseManagementPost,
        _posts,
        required=False,
        allow_null=True,
        # de: Leer: die vorgeschlagene Stelle des Sozialraums (wie in der Oberfläche).
        help_text=_("Empty: the suggested post of the Sozialraum (as in the web interface)."),
    )
    opened_on = serializers.DateField(required=False)


class CaseUpdateSerializer(CaseInputSerializer):
    """PATCH: every field optional, but ``version`` (optimistic locking) is required."""

    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    programme = ScopedPrimaryKeyField(Programme, of_traeger(Programme), required=False)
    opened_on = serializers.DateField(required=False)


class PhaseChangeSerializer(serializers.Serializer):
    to_phase = phase_field()
    reason = FreeTextField(
        required=False,
        allow_blank=True,
        default="",
        # de: Pflicht bei einem Schritt zurück in eine frühere Phase.
        help_text=_("Required for a step back to an earlier phase."),
    )
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class TimelineEntrySerializer(serializers.ModelSerializer):
    # A read-only model choice field loses ``allow_blank``; "" (no channel) is a value too.
    channel = serializers.ChoiceField(
        choices=TimelineEntry.Channel.choices, read_only=True, allow_blank=True
    )
    author_name = serializers.SerializerMethodField()
    attachment_url = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEntry
        fields = [
            "id",
            "kind",
            "occurred_at",
            "ends_at",
            "title",
            "text",
            "channel",
            "location",
            "author",
            "author_name",
            "attachment_name",
            "attachment_type",
            "attachment_size",
            "attachment_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, entry: TimelineEntry) -> str | None:
        return entry.author.display_name() if entry.author else None

    def get_attachment_url(self, entry: TimelineEntry) -> str | None:
        if not entry.attachment:
            return None
        return reverse(
            "api:timeline-entry-attachment", kwargs={"pk": entry.case_id, "entry_pk": entry.pk}
        )


WRITABLE_KINDS = [
    (kind.value, kind.label)
    for kind in (
        TimelineEntry.Kind.NOTE,
        TimelineEntry.Kind.CONTACT,
        TimelineEntry.Kind.APPOINTMENT,
        TimelineEntry.Kind.DOCUMENT,
    )
]


class TimelineEntryCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WRITABLE_KINDS)
    title = FreeTextField(max_length=300)
    occurred_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        # de: Leer bedeutet jetzt.
        help_text=_("Empty means now."),
    )
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    channel = serializers.ChoiceField(
        choices=TimelineEntry.Channel.choices, required=False, allow_blank=True, default=""
    )
    location = FreeTextField(max_length=300, required=False, allow_blank=True, default="")
    text = FreeTextField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        # de: Pflicht für Dokumente; nur als multipart/form-data.
        help_text=_("Required for documents; only as multipart/form-data."),
    )
