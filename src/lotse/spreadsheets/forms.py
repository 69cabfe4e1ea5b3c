from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.spreadsheets.mapping import TARGETS
from lotse.spreadsheets.models import ImportJob


class UploadForm(forms.Form):
    file = forms.FileField(
        # de: Liste (Excel-Arbeitsmappe oder CSV)
        label=_("List (Excel workbook or CSV)"),
        # de: .xlsx oder .csv; in CSV-Dateien werden Trennzeichen (; oder ,) und Zeichenkodierung
        # erkannt. Gelesen wird das erste Tabellenblatt.
        help_text=_(
            ".xlsx or .csv; in CSV files the delimiter (; or ,) and the character encoding are "
            "detected. The first worksheet is read."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )


class MappingForm(forms.Form):
    """One select per Lotse field: which column of the list feeds it (or none)."""

    key_rule = forms.ChoiceField(
        # de: Stabiler Schlüssel
        label=_("Stable key"),
        choices=ImportJob.KeyRule.choices,
        widget=forms.RadioSelect,
        # de: Damit ein erneuter Import dieselbe Person wiedererkennt und keine Dubletten anlegt.
        help_text=_("So that a later import recognises the same person and creates no duplicates."),
    )

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # de: – nicht übernehmen –
        choices = [("", _("– do not import –")), *((h, h) for h in job.headers)]
        for target, spec in TARGETS.items():
            self.fields[target.value] = forms.ChoiceField(
                label=spec.label,
                choices=choices,
                required=False,
                help_text=spec.help or "",
            )

    def mapping(self) -> dict[str, str]:
        return {
            name: value for name, value in self.cleaned_data.items() if name != "key_rule" and value
        }
