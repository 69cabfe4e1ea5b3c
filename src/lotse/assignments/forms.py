from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Role, User
from lotse.assignments.models import TaskStatus
from lotse.consent.models import Category, Purpose
from lotse.consent.selectors import purposes_for
from lotse.core.forms import FreeTextField
from lotse.directory.models import Organisation
from lotse.people.forms import DateInput


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        organisation = f" ({obj.organisation})" if obj.organisation_id else ""
        return f"{obj.display_name()}{organisation}"


def possible_owners(case: Any) -> Any:
    """The case team and the people of partner organisations of the Träger."""
    return (
        User.objects.filter(traeger_id=case.traeger_id, is_active=True)
        .filter(
            Q(
                organisation_id=case.organisation_id,
                role_assignments__role__in=[Role.CASE_MANAGEMENT, Role.TEAM_LEAD],
            )
            | Q(role_assignments__role=Role.PARTNER)
        )
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name")
    )


class TaskForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = FreeTextField(label=_("what"), max_length=300)
    due_on = forms.DateField(label=_("due on"), widget=DateInput())
    owner_user = UserChoiceField(
        label=_("responsible person"), queryset=User.objects.none(), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("or responsible organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Its partner users see this task (not the case file)."),
    )
    shared_categories = forms.MultipleChoiceField(
        # de: Weitergegebene Daten (nur bei Organisationen außerhalb des Fallteams)
        label=_("Data passed on (only for organisations outside the case team)"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[Category.IDENTITY],
        help_text=_(
            # de: Eine gültige Einwilligung der Person muss die Organisation nennen und alle
            # de: gewählten Kategorien umfassen; die Weitergabe wird im Übermittlungsjournal
            # de: vermerkt. Ohne „Identität“ sieht die Organisation nur ein Pseudonym.
            "A valid consent of the person must name the organisation and cover every chosen "
            "category; the transfer is recorded in the transfer journal. Without “Identity” "
            "the organisation sees only a pseudonym."
        ),
    )

    purpose = forms.ModelChoiceField(
        label=_("purpose of passing it on (only for organisations outside the case team)"),
        queryset=Purpose.objects.none(),
        required=False,
        help_text=_("The consent must name this purpose."),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].queryset = purposes_for(case.traeger_id)  # type: ignore[attr-defined]
        self.fields["owner_user"].queryset = possible_owners(case)  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            traeger_id=case.traeger_id
        )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class TaskReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("status"), choices=TaskStatus.choices)
    comment = FreeTextField(
        label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
