from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Role, User
from lotse.agreements.models import AgreementGoal
from lotse.cases import phases
from lotse.cases.evaluation import EvaluationBasis
from lotse.cases.models import CaseEvaluation, FieldProcess, GoalAttainment, Phase, TimelineEntry
from lotse.cases.services import AttainmentInput
from lotse.core.forms import FreeTextField, GermanDecimalField
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
    summary = FreeTextField(
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
    reason = FreeTextField(
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
    title = FreeTextField(label=_("title"), max_length=300)
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
    location = FreeTextField(label=_("location"), max_length=300, required=False)
    text = FreeTextField(label=_("text"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
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
    """One rating per SMART goal of the agreement in force (required), then per field of action.

    The final evaluation (``final``) adds the reason for ending and the effort. Field names
    match the service's error keys: ``goal_<pk>_level``/``_note``, ``field_<pk>_level``/``_note``.
    """

    def __init__(self, *args: Any, basis: EvaluationBasis, final: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.basis = basis
        for number, goal in enumerate(basis.goals, start=1):
            self.fields[f"goal_{goal.pk}_level"] = forms.ChoiceField(
                label=_("Attainment of goal %(number)s") % {"number": number},
                choices=GoalAttainment.Level.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"goal_{goal.pk}_note"] = FreeTextField(
                label=_("Note on goal %(number)s") % {"number": number},
                max_length=500,
                required=False,
            )
        for field in basis.fields:
            self.fields[f"field_{field.pk}_level"] = forms.ChoiceField(
                label=_("Attainment in %(field)s") % {"field": field.name},
                choices=[("", _("not rated")), *GoalAttainment.Level.choices],
                widget=forms.RadioSelect,
                required=False,
                initial="",
            )
            self.fields[f"field_{field.pk}_note"] = FreeTextField(
                label=_("Note on %(field)s") % {"field": field.name},
                max_length=500,
                required=False,
            )
        if final:
            self.fields["ending_reason"] = forms.ChoiceField(
                label=_("reason for ending"),
                choices=[("", "—"), *CaseEvaluation.EndingReason.choices],
            )
            self.fields["ending_note"] = FreeTextField(
                label=_("note on the ending"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields["effort_hours"] = GermanDecimalField(
                label=_("effort in hours"),
                required=False,
                min_value=0,
                max_digits=6,
                decimal_places=1,
                help_text=_("Estimated working time for the whole case."),
            )
        self.fields["assessment"] = FreeTextField(
            label=_("overall assessment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
        )

    @property
    def goal_rows(self) -> list[tuple[int, AgreementGoal, Any, Any]]:
        """(number, goal, rating field, note field) for the template."""
        return [
            (number, goal, self[f"goal_{goal.pk}_level"], self[f"goal_{goal.pk}_note"])
            for number, goal in enumerate(self.basis.goals, start=1)
        ]

    @property
    def field_rows(self) -> list[tuple[FieldOfAction, Any, Any]]:
        return [
            (field, self[f"field_{field.pk}_level"], self[f"field_{field.pk}_note"])
            for field in self.basis.fields
        ]

    @property
    def closing_fields(self) -> list[Any]:
        names = ("ending_reason", "ending_note", "effort_hours", "assessment")
        return [self[name] for name in names if name in self.fields]

    def attainments(self) -> list[AttainmentInput]:
        data = self.cleaned_data
        ratings = [
            AttainmentInput(
                agreement_goal=goal,
                level=data[f"goal_{goal.pk}_level"],
                note=data[f"goal_{goal.pk}_note"],
            )
            for goal in self.basis.goals
        ]
        ratings += [
            AttainmentInput(
                field_of_action=field,
                level=data[f"field_{field.pk}_level"],
                note=data[f"field_{field.pk}_note"],
            )
            for field in self.basis.fields
            if data[f"field_{field.pk}_level"]
        ]
        return ratings


def evaluation_initial(evaluation: CaseEvaluation | None) -> dict[str, Any]:
    """Form values from a recorded evaluation (the final one, or the last interim as a start)."""
    if evaluation is None:
        return {}
    initial: dict[str, Any] = {"assessment": evaluation.assessment}
    if evaluation.is_final:
        initial |= {
            "ending_reason": evaluation.ending_reason,
            "ending_note": evaluation.ending_note,
            "effort_hours": evaluation.effort_hours,
        }
    for attainment in evaluation.attainments.all():
        if attainment.agreement_goal_id is not None:
            prefix = f"goal_{attainment.agreement_goal_id}"
        elif attainment.field_of_action_id is not None:
            prefix = f"field_{attainment.field_of_action_id}"
        else:
            continue
        initial[f"{prefix}_level"] = attainment.level
        initial[f"{prefix}_note"] = attainment.note
    return initial


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
    reason = FreeTextField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
