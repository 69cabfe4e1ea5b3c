from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Role, User
from lotse.cases import phases
from lotse.cases.models import CaseEvaluation, FieldProcess, GoalAttainment, Phase, TimelineEntry
from lotse.directory.models import FieldOfAction, Programme
from lotse.people.forms import DateInput


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def case_managers(traeger_id: int, organisation_id: int) -> Any:
    return (
        User.objects.filter(
            traeger_id=traeger_id,
            organisation_id=organisation_id,
            is_active=True,
            role_assignments__role__in=[Role.CASE_MANAGEMENT, Role.TEAM_LEAD],
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name()


class CaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.none())
    case_manager = ManagerChoiceField(
        label=_("case manager"), queryset=User.objects.none(), required=False
    )
    opened_on = forms.DateField(label=_("opened on"), widget=DateInput())
    participation_offered_on = forms.DateField(
        label=_("participation offered on"),
        required=False,
        widget=DateInput(),
        help_text=_("The reflection period (Bedenkzeit) starts on this day."),
    )
    participation_agreed_on = forms.DateField(
        label=_("voluntary participation agreed on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Participation is voluntary; record the day the client agreed after the reflection period."
        ),
    )
    summary = forms.CharField(
        label=_("reason for contact"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(traeger_id=user.traeger_id)  # type: ignore[attr-defined]
        self.fields["case_manager"].queryset = case_managers(user.traeger_id, user.organisation_id)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PhaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_phase = forms.ChoiceField(label=_("new phase"))
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a step back to an earlier phase."),
    )

    def __init__(self, *args: Any, current_phase: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = phases.allowed_steps(current_phase)
        self.fields["to_phase"].choices = [  # type: ignore[attr-defined]
            (
                step.to_phase,
                (_("back to %(phase)s") % {"phase": step.label}) if step.backwards else step.label,
            )
            for step in steps
        ]


class TimelineEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (k.value, k.label)
            for k in (
                TimelineEntry.Kind.NOTE,
                TimelineEntry.Kind.CONTACT,
                TimelineEntry.Kind.APPOINTMENT,
                TimelineEntry.Kind.DOCUMENT,
            )
        ],
    )
    title = forms.CharField(label=_("title"), max_length=300)
    occurred_at = forms.DateTimeField(
        label=_("date and time"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Empty means now."),
    )
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[("", "—"), *TimelineEntry.Channel.choices],
        required=False,
        help_text=_("Required for contacts."),
    )
    ends_at = forms.DateTimeField(label=_("ends at"), required=False, widget=DateTimeInput())
    location = forms.CharField(label=_("location"), max_length=300, required=False)
    text = forms.CharField(
        label=_("text"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    attachment = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("PDF, image, Word, Excel, OpenDocument or text; required for documents."),
    )


class FieldProcessForm(forms.Form):
    #: The household member the stage is about (the case covers the household).
    person = forms.TypedChoiceField(label=_("person"), coerce=int, required=False, empty_value=None)
    field_of_action = forms.ModelChoiceField(
        label=_("field of action"), queryset=FieldOfAction.objects.none()
    )
    stage = forms.ChoiceField(label=_("stage"), choices=FieldProcess.Stage.choices)
    changed_on = forms.DateField(label=_("since"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, traeger_id: int, persons: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields_of_action = FieldOfAction.objects.filter(traeger_id=traeger_id)
        self.fields["field_of_action"].queryset = fields_of_action  # type: ignore[attr-defined]
        self.fields["person"].choices = persons  # type: ignore[attr-defined]
        if len(persons) == 1:
            self.fields["person"].widget = forms.HiddenInput()
            self.fields["person"].initial = persons[0][0]


class EvaluationForm(forms.Form):
    ending_reason = forms.ChoiceField(
        label=_("reason for ending"), choices=[("", "—"), *CaseEvaluation.EndingReason.choices]
    )
    ending_note = forms.CharField(
        label=_("note on the ending"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    effort_hours = forms.DecimalField(
        label=_("effort in hours"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        help_text=_("Estimated working time for the whole case."),
    )
    assessment = forms.CharField(
        label=_("overall assessment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AttainmentForm(forms.Form):
    goal = forms.CharField(label=_("goal"), max_length=500)
    field_of_action = forms.ModelChoiceField(
        label=_("field of action"), queryset=FieldOfAction.objects.none(), required=False
    )
    level = forms.ChoiceField(
        label=_("attainment"), choices=[("", "—"), *GoalAttainment.Level.choices]
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields_of_action = FieldOfAction.objects.filter(traeger_id=traeger_id)
        self.fields["field_of_action"].queryset = fields_of_action  # type: ignore[attr-defined]


AttainmentFormSet = forms.formset_factory(AttainmentForm, extra=1, min_num=1, validate_min=True)


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_phase = forms.ChoiceField(
        label=_("reopen in phase"),
        choices=[
            (value, label)
            for value, label in Phase.choices
            if value not in (Phase.INTAKE, Phase.CLOSED)
        ],
        initial=Phase.MONITORING,
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
