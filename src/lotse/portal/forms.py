from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import FreeTextField
from lotse.directory.models import FieldOfAction, Organisation
from lotse.portal.models import ProcessStep, WorkingAidKind
from lotse.portal.services import ALLOWED_TYPES

_ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_TYPES)


class ContactSearchForm(forms.Form):
    # de: Suche
    q = FreeTextField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[("", _("all kinds")), *Organisation.Kind.choices],
        required=False,
    )


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, ODT, ODS or TXT, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": _ACCEPT}),
        error_messages={"required": _("Please choose a file.")},
    )


class WorkingAidForm(forms.Form):
    title = FreeTextField(label=_("title"), max_length=300)
    kind = forms.ChoiceField(label=_("kind"), choices=WorkingAidKind.choices)
    description = FreeTextField(label=_("description"), required=False, widget=forms.Textarea)
    field_of_action = forms.ModelChoiceField(
        label=_("field of action"), queryset=FieldOfAction.objects.none(), required=False
    )
    file = _file_field()

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = FieldOfAction.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        )


class WorkingAidVersionForm(forms.Form):
    file = _file_field()
    change_note = FreeTextField(
        label=_("change note"),
        help_text=_("What changed compared to the previous version?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Please describe what changed in this version.")},
    )


class ProcessChainForm(forms.Form):
    title = FreeTextField(label=_("title"), max_length=300)
    target_group = FreeTextField(label=_("target group"), max_length=500, required=False)
    description = FreeTextField(label=_("description"), required=False, widget=forms.Textarea)
    field_of_action = forms.ModelChoiceField(
        label=_("field of action"), queryset=FieldOfAction.objects.none(), required=False
    )

    def __init__(self, *args: Any, traeger_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = FieldOfAction.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        )


class ProcessStepForm(forms.Form):
    title = FreeTextField(label=_("title"), max_length=300)
    responsible_organisation = forms.ModelChoiceField(
        label=_("responsible organisation"), queryset=Organisation.objects.none(), required=False
    )
    responsible_text = FreeTextField(
        label=_("responsible (text)"),
        max_length=300,
        required=False,
        help_text=_("E.g. a department or role, in addition to or instead of the organisation."),
    )
    deadline = FreeTextField(
        label=_("deadline"),
        max_length=200,
        required=False,
        help_text=_("E.g. “within 4 school weeks”."),
    )
    description = FreeTextField(label=_("description"), required=False, widget=forms.Textarea)
    next_steps = FreeTextField(
        label=_("next steps (branches)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only where the chain branches: one line per branch, “condition: step title”. "
            "Empty means the next step in order."
        ),
    )

    def __init__(
        self, *args: Any, traeger_id: int, steps: list[ProcessStep], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.steps = steps
        self.fields["responsible_organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            traeger_id=traeger_id
        )

    def clean_next_steps(self) -> list[dict[str, str]]:
        text = self.cleaned_data.get("next_steps") or ""
        by_title = {step.title.casefold(): step.key for step in self.steps}
        by_key = {step.key: step.key for step in self.steps}
        branches: list[dict[str, str]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            condition, separator, target = line.rpartition(":")
            if not separator:
                condition, target = "", line
            wanted = target.strip()
            key = by_key.get(wanted) or by_title.get(wanted.casefold())
            if key is None:
                raise forms.ValidationError(
                    # de: Zeile {line}: Es gibt keinen Schritt „{step}“ in dieser Prozesskette.
                    _("Line {line}: there is no step “{step}” in this process chain.").format(
                        line=number, step=wanted
                    )
                )
            branches.append({"step": key, "condition": condition.strip()})
        return branches


def branches_as_text(step: ProcessStep, steps: list[ProcessStep]) -> str:
    titles = {s.key: s.title for s in steps}
    return "\n".join(
        f"{b.get('condition', '')}: {titles.get(b['step'], b['step'])}".lstrip(": ")
        if b.get("condition")
        else titles.get(b["step"], b["step"])
        for b in step.next_steps
    )
