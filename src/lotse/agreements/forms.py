"""Forms of the agreement pages. They parse input only; the SMART rules live in the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lotse.agreements.models import Responsible
from lotse.agreements.services import GoalInput
from lotse.agreements.texts import DOCUMENT_LANGUAGES, SOURCE
from lotse.core.forms import FreeTextField
from lotse.core.reference import language_name
from lotse.directory.models import FieldOfAction, Organisation
from lotse.people.forms import DateInput


def language_choices() -> list[tuple[str, str]]:
    # de: nur Deutsch
    return [(SOURCE.code, str(_("German only")))] + sorted(
        ((code, language_name(code)) for code in DOCUMENT_LANGUAGES), key=lambda item: item[1]
    )


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    language = forms.ChoiceField(
        label=_("client language"),  # de: Sprache der Klientin / des Klienten
        # de: Die PDF-Fassung wird zweisprachig gedruckt: Deutsch und diese Sprache.
        help_text=_("The print-out is bilingual: German and this language."),
        choices=language_choices,
    )
    next_review_on = forms.DateField(
        label=_("next review"),  # de: nächstes Überprüfungsgespräch
        required=False,
        widget=DateInput(),
    )
    notes = FreeTextField(
        label=_("further agreements"),  # de: weitere Absprachen
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GoalForm(forms.Form):
    """One SMART goal row; empty extra rows are ignored, incomplete rows reach the service."""

    field_of_action = forms.ModelChoiceField(
        label=_("field of action"),  # de: Handlungsfeld
        queryset=FieldOfAction.objects.none(),
        required=False,
    )
    what = FreeTextField(
        label=_("goal (what exactly)"),  # de: Ziel (was genau)
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indicator = FreeTextField(
        label=_("measurable indicator"),  # de: messbarer Indikator
        # de: Woran erkennen Sie und die Klientin/der Klient, dass das Ziel erreicht ist?
        help_text=_("How will you and the client know that the goal has been reached?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsible = forms.ChoiceField(
        label=_("responsible"),  # de: verantwortlich
        choices=[("", "—"), *Responsible.choices],
        required=False,
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("responsible organisation"),  # de: verantwortliche Organisation
        queryset=Organisation.objects.none(),
        required=False,
    )
    due_on = forms.DateField(label=_("by when"), required=False, widget=DateInput())  # de: bis wann
    measures = FreeTextField(
        label=_("agreed measures"),  # de: vereinbarte Schritte
        help_text=_("One step per line."),  # de: Ein Schritt je Zeile.
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_on = forms.DateField(
        label=_("review on"), required=False, widget=DateInput()
    )  # de: Überprüfung am

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = FieldOfAction.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        )
        self.fields["responsible_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        )

    def goal_input(self) -> GoalInput:
        data = self.cleaned_data
        return GoalInput(
            field_of_action=data.get("field_of_action"),
            what=data.get("what") or "",
            indicator=data.get("indicator") or "",
            responsible=data.get("responsible") or "",
            due_on=data.get("due_on"),
            responsible_organisation=data.get("responsible_organisation"),
            measures=data.get("measures") or "",
            review_on=data.get("review_on"),
        )


class BaseGoalFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        self.traeger_id = traeger_id
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "traeger_id": self.traeger_id}

    def kept_forms(self) -> list[GoalForm]:
        """The rows the user means: not deleted, not an untouched extra row (in order)."""
        return [
            form  # type: ignore[misc]
            for form in self.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """Put ``goals.<i>.<field>`` errors of the service onto the i-th kept row."""
        if not hasattr(error, "error_dict"):
            return
        kept = self.kept_forms()
        for key, messages in error.message_dict.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "goals" and parts[1].isdigit():
                index, field = int(parts[1]), parts[2]
                if index < len(kept):
                    for message in messages:
                        kept[index].add_error(
                            field if field in kept[index].fields else None, message
                        )


GoalFormSet: type[BaseGoalFormSet] = forms.formset_factory(  # type: ignore[assignment]
    GoalForm, formset=BaseGoalFormSet, extra=1, can_delete=True, max_num=30, validate_max=True
)


def goal_initial(goal: Any) -> dict[str, Any]:
    return {
        "field_of_action": goal.field_of_action_id,
        "what": goal.what,
        "indicator": goal.indicator,
        "responsible": goal.responsible,
        "responsible_organisation": goal.responsible_organisation_id,
        "due_on": goal.due_on,
        "measures": goal.measures,
        "review_on": goal.review_on,
    }


class AgreeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agreed_on = forms.DateField(label=_("agreed on"), widget=DateInput())  # de: vereinbart am
    signed_by_client = forms.BooleanField(
        label=_("signed by the client"),  # de: von der Klientin / dem Klienten unterschrieben
        required=False,
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
