from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import FreeTextField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MetForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # de: erfüllt am
    met_on = forms.DateField(label=_("met on"), widget=DateInput(), initial=timezone.localdate)
    evidence = FreeTextField(
        # de: Nachweis
        label=_("evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        # de: Was wurde erreicht und wie ist es belegt (z. B. Schulplatz an der …-Schule ab …)?
        help_text=_("What was reached and how is it documented (e.g. school place at … from …)?"),
    )


class NotApplicableForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = FreeTextField(
        # de: Begründung
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        # de: Warum trifft das Ziel auf diese Person nicht zu?
        help_text=_("Why does the goal not apply to this person?"),
    )


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
