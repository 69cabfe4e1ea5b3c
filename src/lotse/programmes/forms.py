from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.consent.models import Consent
from lotse.core.forms import EuroField, FreeTextField
from lotse.directory.models import Organisation, Programme, ProgrammeModule
from lotse.people.forms import DateInput
from lotse.programmes import legal
from lotse.programmes.models import AbhReferral, BudgetEntry, ReferralCheckItem
from lotse.programmes.services import euros


class EligibilityForm(forms.Form):
    # de: Programm
    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.none())
    # de: Aufnahmedatum
    intake_date = forms.DateField(
        label=_("intake date"),
        widget=DateInput(),
        # de: Das Alter wird an diesem Tag geprüft (18 bis einschließlich 27 Jahre).
        help_text=_("Age and residence status are checked on this day."),
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class OpenCaseForm(EligibilityForm):
    participation_offered_on = forms.DateField(
        label=_("participation offered on"), required=False, widget=DateInput()
    )
    participation_agreed_on = forms.DateField(
        label=_("voluntary participation agreed on"), required=False, widget=DateInput()
    )
    summary = FreeTextField(
        label=_("reason for contact"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class StartParticipationForm(forms.Form):
    intake_date = forms.DateField(label=_("intake date"), widget=DateInput())


class ModuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # de: Baustein
        return f"{_('Module')} {obj.number}: {obj.name}"


class AssignmentForm(forms.Form):
    module = ModuleChoiceField(
        label=_("module (Baustein)"), queryset=ProgrammeModule.objects.none()
    )
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("ends on"), required=False, widget=DateInput())
    note = FreeTextField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args: Any, modules: Any, fixed_module: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules  # type: ignore[attr-defined]
        if fixed_module:
            del self.fields["module"]


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.booked_on:%d.%m.%Y} {obj.purpose} ({euros(obj.amount_cents)})"


class BudgetEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=BudgetEntry.Kind.choices)
    module = ModuleChoiceField(
        label=_("module (Baustein)"), queryset=ProgrammeModule.objects.none()
    )
    cost_type = forms.ChoiceField(label=_("cost type"), choices=BudgetEntry.CostType.choices)
    # de: Betrag in Euro
    amount = EuroField(label=_("amount in euros"), min_value=Decimal("0.01"))
    booked_on = forms.DateField(label=_("date"), widget=DateInput())
    purpose = FreeTextField(label=_("purpose"), max_length=300)
    commitment = CommitmentChoiceField(
        label=_("settles commitment"),
        queryset=BudgetEntry.objects.none(),
        required=False,
        # de: Nur bei Zahlungen: die Mittelbindung, die damit beglichen wird.
        help_text=_("Payments only: the commitment this payment settles."),
    )
    override_reason = FreeTextField(
        label=_("reason for exceeding the budget"),
        max_length=500,
        required=False,
        # de: Nur Teamleitungen: Freigabe einer Überschreitung mit Begründung.
        help_text=_("Team leads only: approve exceeding the budget, with a reason."),
    )

    def __init__(self, *args: Any, modules: Any, commitments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules  # type: ignore[attr-defined]
        self.fields["commitment"].queryset = commitments  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amount_cents"] = EuroField.cents(data.pop("amount"))
        return data


class BudgetForm(forms.Form):
    module = ModuleChoiceField(
        label=_("module (Baustein)"), queryset=ProgrammeModule.objects.none()
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    amount = EuroField(label=_("amount in euros"), min_value=Decimal("0"))
    warning_percent = forms.IntegerField(
        label=_("warning threshold in percent"), min_value=1, max_value=100, initial=90
    )
    note = FreeTextField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args: Any, modules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amount_cents"] = EuroField.cents(data.pop("amount"))
        return data


class ReferralForm(forms.Form):
    purpose = forms.ChoiceField(label=_("purpose"), choices=AbhReferral.Purpose.choices)
    note = FreeTextField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PrecheckForm(forms.Form):
    """One status and note field per pre-check item of the referral."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = FreeTextField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self, *args: Any, referral: AbhReferral, items: list[ReferralCheckItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item_keys = []
        for item in items:
            definition = legal.item_label(referral.purpose, item.key)
            label = f"{definition.label} ({definition.source})" if definition else item.key
            self.fields[f"status_{item.key}"] = forms.ChoiceField(
                label=label,
                choices=ReferralCheckItem.Status.choices,
                initial=item.status,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{item.key}"] = FreeTextField(
                # de: Anmerkung
                label=_("Note on: %(item)s")
                % {"item": definition.label if definition else item.key},
                max_length=500,
                required=False,
                initial=item.note,
            )
            self.item_keys.append(item.key)

    def items(self) -> dict[str, tuple[str, str]]:
        return {
            key: (self.cleaned_data[f"status_{key}"], self.cleaned_data.get(f"note_{key}", ""))
            for key in self.item_keys
        }


class ConsentChoiceField(forms.ModelChoiceField):
    """A consent by its document ID, version, recipients, categories and validity."""

    def label_from_instance(self, obj: Any) -> str:
        recipients = ", ".join(org.name for org in obj.recipients.all())
        until = obj.valid_until.strftime("%d.%m.%Y") if obj.valid_until else "…"
        return (
            f"{obj.document_id} ({_('version')} {obj.number}) – {recipients} – "
            f"{', '.join(obj.category_labels())} – {obj.valid_from:%d.%m.%Y}–{until}"
        )


class ForwardForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    authority = forms.ModelChoiceField(
        label=_("immigration authority"), queryset=Organisation.objects.none()
    )
    categories = forms.MultipleChoiceField(
        label=_("data categories"),
        choices=legal.CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        initial=["identity", "residence_status"],
    )
    # A text field with one radio button: any other value reaches clean_basis and gets the
    # German refusal instead of Django's "not a valid choice".
    basis = FreeTextField(
        label=_("legal basis"),
        initial=AbhReferral.Basis.CONSENT,
        required=False,
        widget=forms.RadioSelect(
            choices=[(AbhReferral.Basis.CONSENT, AbhReferral.Basis.CONSENT.label)]
        ),
        # de: Nur mit Einwilligung der Person (Seed 002, 5.3.2); keine Rechtsvorschrift ersetzt sie.
        help_text=_("Only with the person's consent (seed 002, 5.3.2); no statute replaces it."),
    )
    consent = ConsentChoiceField(
        label=_("consent"),  # de: Einwilligung
        queryset=Consent.objects.none(),
        required=False,
        # de: Gültige Einwilligungen der Person, die eine Ausländerbehörde als Empfänger nennen.
        # Sie muss alle gewählten Datenkategorien umfassen.
        help_text=_(
            "Valid consents of the person that name an immigration authority as recipient. It "
            "must cover every chosen data category."
        ),
    )
    forwarded_on = forms.DateField(label=_("forwarded on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, authorities: Any, consents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities  # type: ignore[attr-defined]
        self.fields["consent"].queryset = consents  # type: ignore[attr-defined]

    def clean_basis(self) -> str:
        value = self.data.get(self.add_prefix("basis")) or AbhReferral.Basis.CONSENT
        if value != AbhReferral.Basis.CONSENT:
            from lotse.programmes.services import statute_refused_message

            raise forms.ValidationError(statute_refused_message())
        return str(value)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["categories"] = list(data["categories"])
        return data


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answered_on = forms.DateField(label=_("answer date"), widget=DateInput())
    missing_documents = FreeTextField(
        label=_("missing documents"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        # de: Ein Dokument je Zeile.
        help_text=_("One document per line."),
    )
    next_steps = FreeTextField(
        label=_("next steps"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    decision = forms.ChoiceField(
        label=_("decision of the ABH (as reported)"),
        choices=AbhReferral.Decision.choices,
        required=False,
    )
    decision_on = forms.DateField(label=_("decision date"), required=False, widget=DateInput())

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["missing_documents"] = data["missing_documents"].splitlines()
        data["decision"] = data.get("decision") or ""
        return data


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
