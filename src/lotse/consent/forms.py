from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.agreements.forms import language_choices
from lotse.cases.forms import DateTimeInput
from lotse.consent.models import Category, Consent, Purpose, StatutoryBasis, Transfer
from lotse.consent.selectors import purposes_for, recipients_for, statutory_bases_for
from lotse.consent.texts import CONSENT_TEXT_VERSION
from lotse.core.forms import FreeTextField
from lotse.directory.models import Organisation
from lotse.people.forms import DateInput

CURRENT_TEXT_VERSION = CONSENT_TEXT_VERSION


class ConsentForm(forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        # de: Empfänger (benannte Stellen)
        label=_("recipients (named organisations)"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("data categories"),  # de: Datenkategorien
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        # de: Gesundheitsdaten nur in schriftlicher Form (§ 67b SGB X).
        help_text=_("Health data only in written form (§ 67b SGB X)."),
    )
    purposes = forms.ModelMultipleChoiceField(
        label=_("purposes covered"),
        queryset=Purpose.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "At most three, and only those the person agreed to specifically. Each transfer is "
            "checked against them."
        ),
    )
    purpose = FreeTextField(
        label=_("purpose"),  # de: Zweck
        widget=forms.Textarea(attrs={"rows": 3}),
        # de: Konkret: wozu, mit wem, in welcher Sache. Mindestens 20 Zeichen.
        help_text=_("Specific: what for, with whom, in which matter. At least 20 characters."),
    )
    form = forms.ChoiceField(label=_("form"), choices=Consent.Form.choices)  # de: Form
    language = forms.ChoiceField(
        label=_("language of the form"),  # de: Sprache des Formulars
        initial="de",
        # de: Das Formular wird zweisprachig gedruckt: Deutsch und diese Sprache.
        help_text=_("The form is printed bilingually: German and this language."),
        choices=language_choices,
    )
    interpreter = FreeTextField(
        label=_("interpreter"),  # de: Dolmetscher/in
        max_length=200,
        required=False,
    )
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput())  # de: gültig ab
    valid_until = forms.DateField(
        label=_("valid until"),  # de: gültig bis
        widget=DateInput(),
        required=False,
    )
    text_version = FreeTextField(
        label=_("version of the consent text"),  # de: Version des Einwilligungstextes
        max_length=50,
        initial=CURRENT_TEXT_VERSION,
    )
    scan = forms.FileField(
        label=_("signed scan"),  # de: unterschriebener Scan
        required=False,
        # de: PDF oder Bild des unterschriebenen Formulars.
        help_text=_("PDF or image of the signed form."),
    )
    attest_signed_paper = forms.BooleanField(
        label=_("I confirm that the signed paper is in the file"),
        required=False,
        help_text=_(
            "Instead of a scan. A written consent counts only with a signed scan or this "
            "dated confirmation (§ 67b SGB X)."
        ),
    )

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients_for(traeger_id)  # type: ignore[attr-defined]
        self.fields["purposes"].queryset = purposes_for(traeger_id)  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["recipients"] = list(data["recipients"])
        data["purposes"] = list(data.get("purposes") or [])
        data["scan"] = data.get("scan") or None
        return data


class AttestForm(forms.Form):
    attested_on = forms.DateField(
        label=_("signed paper in the file since"),
        widget=DateInput(),
    )


class WithdrawForm(forms.Form):
    note = FreeTextField(
        label=_("note"),  # de: Notiz
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        # de: Optional, z. B. wie der Widerruf erklärt wurde.
        help_text=_("Optional, e.g. how the withdrawal was declared."),
    )


class TransferForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("recipient"),  # de: Empfänger
        queryset=Organisation.objects.none(),
    )
    categories = forms.MultipleChoiceField(
        label=_("data categories"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose_key = forms.ChoiceField(label=_("purpose served"), choices=[])
    purpose = FreeTextField(label=_("description"), widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.ChoiceField(
        label=_("legal basis"),  # de: Rechtsgrundlage
        choices=Transfer.Basis.choices,
        widget=forms.RadioSelect,
        initial=Transfer.Basis.CONSENT,
    )
    statutory_basis = forms.ModelChoiceField(
        label=_("statute"),  # de: Rechtsvorschrift
        queryset=StatutoryBasis.objects.none(),
        required=False,
        help_text=_("Only the statutes configured for your Träger, within their scope."),
    )
    reason = FreeTextField(
        label=_("reason"),  # de: Begründung
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    transferred_at = forms.DateTimeField(
        label=_("transferred at"),  # de: übermittelt am
        widget=DateTimeInput(),
        required=False,
        help_text=_("Empty means now."),
    )

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients_for(traeger_id)  # type: ignore[attr-defined]
        self.fields["purpose_key"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((p.key, p.name) for p in purposes_for(traeger_id)),
        ]
        self.fields["statutory_basis"].queryset = statutory_bases_for(traeger_id)  # type: ignore[attr-defined]


class NoticeForm(forms.Form):
    language = forms.ChoiceField(
        label=_("language of the sheet"),  # de: Sprache des Informationsblatts
        # de: Ausgehändigt wurde das Blatt auf Deutsch und in dieser Sprache.
        help_text=_("The sheet was handed out in German and in this language."),
        choices=language_choices,
    )
    handed_out_on = forms.DateField(
        label=_("handed out on"),  # de: ausgehändigt am
        widget=DateInput(),
    )


class SheetLanguageForm(forms.Form):
    sprache = forms.ChoiceField(
        label=_("language besides German"),  # de: Sprache neben Deutsch
        choices=language_choices,
        required=False,
    )
