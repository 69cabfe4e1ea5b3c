from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import Case
from lotse.core.forms import FreeTextField
from lotse.people.forms import DateInput
from lotse.retention.models import DEFAULT_PERIODS, RecordType, RetentionRule

REASON_HELP = _(
    "At least 20 characters. Please do not write health details or other sensitive data here."
)  # de: Mindestens 20 Zeichen. Bitte keine Gesundheitsangaben oder andere sensible Daten eintragen.


class ErasureRequestForm(forms.Form):
    reason = FreeTextField(
        label=_("reason for the erasure"),  # de: Begründung der Löschung
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),  # de: Entscheidung
        choices=[
            ("approve", _("approve")),  # de: freigeben
            ("reject", _("reject")),  # de: ablehnen
        ],
        widget=forms.RadioSelect,
    )
    note = FreeTextField(
        label=_("note (required when rejecting)"),  # de: Vermerk (bei Ablehnung Pflicht)
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class RestrictionForm(forms.Form):
    reason = FreeTextField(
        label=_("reason for the restriction"),  # de: Grund der Einschränkung
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )


class LegalHoldForm(forms.Form):
    case = forms.ModelChoiceField(
        label=_("applies to"),  # de: gilt für
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("the whole person"),  # de: die ganze Person
    )
    reason = FreeTextField(
        label=_("reason for the legal hold"),  # de: Grund der Löschsperre
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )
    until = forms.DateField(
        label=_("until (optional)"),  # de: bis (optional)
        widget=DateInput(),
        required=False,
    )

    def __init__(self, *args: Any, cases: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = cases if cases is not None else Case.objects.none()


class RetentionRulesForm(forms.Form):
    """Period and active flag per record type."""

    def __init__(self, *args: Any, rules: dict[str, RetentionRule] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        rules = rules or {}
        for record_type in RecordType:
            rule = rules.get(record_type)
            self.fields[f"{record_type}_months"] = forms.IntegerField(
                label=_("%(type)s: period in months")  # de: %(type)s: Frist in Monaten
                % {"type": record_type.label},
                min_value=1,
                max_value=600,
                initial=rule.period_months if rule else DEFAULT_PERIODS[record_type],
            )
            self.fields[f"{record_type}_active"] = forms.BooleanField(
                label=_(
                    "%(type)s: apply in the daily run"
                )  # de: %(type)s: im täglichen Lauf anwenden
                % {"type": record_type.label},
                required=False,
                initial=rule.active if rule else True,
            )

    def periods(self) -> dict[str, tuple[int, bool]]:
        data = self.cleaned_data
        return {str(t): (data[f"{t}_months"], bool(data[f"{t}_active"])) for t in RecordType}
