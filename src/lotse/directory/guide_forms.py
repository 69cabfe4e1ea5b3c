"""The Gesprächsleitfaden edited as a form: one row per question instead of raw JSON.

``InterviewGuide.sections`` keeps the structure of the configuration file (docs/configuration.md,
``interview_guides``): ``[{key, title, description, questions: [{key, text, hint, answer_type,
options, required}]}]``. The editor shows it flat — every question names its section — and
writes it back grouped by section in the order the sections first appear, with the keys the
configuration schema allows, so ``lotse dumpconfig`` and ``loadconfig`` round-trip what the
admin saved. A section's title and description are those of its first row.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.core.forms import FreeTextField
from lotse.directory.models import InterviewGuide

#: The answer types of a question (the schema's enum), with their German labels.
ANSWER_TYPE_CHOICES = [
    ("text", _("Short text")),  # de: Kurzer Text
    ("long_text", _("Long text")),  # de: Langer Text
    ("yes_no", _("Yes/no")),  # de: Ja/Nein
    ("date", _("Date")),  # de: Datum
    ("number", _("Number")),  # de: Zahl
    ("choice", _("Choice")),  # de: Auswahl
]
ANSWER_TYPES = tuple(value for value, _label in ANSWER_TYPE_CHOICES)

_key_validator = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    # de: Nur Kleinbuchstaben, Ziffern und einzelne Bindestriche, z. B. „arbeit-beruf“.
    _("Only lower-case letters, digits and single hyphens, e.g. “work-career”."),
)


class GuideQuestionForm(forms.Form):
    section_key = FreeTextField(
        label=_("Section key"),  # de: Schlüssel des Abschnitts
        max_length=100,
        validators=[_key_validator],
    )
    section_title = FreeTextField(
        label=_("Section title"),  # de: Titel des Abschnitts
        max_length=300,
        required=False,
        # de: Nur in der ersten Frage eines Abschnitts nötig.
        help_text=_("Needed only in the first question of a section."),
    )
    section_description = FreeTextField(
        label=_("Section description"),  # de: Beschreibung des Abschnitts
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    key = FreeTextField(
        label=_("Question key"),  # de: Schlüssel der Frage
        max_length=100,
        validators=[_key_validator],
    )
    text = FreeTextField(
        label=_("Question"),  # de: Frage
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hint = FreeTextField(
        label=_("Hint"),  # de: Hinweis
        max_length=2000,
        required=False,
    )
    answer_type = forms.ChoiceField(
        label=_("Answer type"),  # de: Antworttyp
        choices=ANSWER_TYPE_CHOICES,
        initial="text",
    )
    options = FreeTextField(
        label=_("Options"),  # de: Antwortmöglichkeiten
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        # de: Nur beim Antworttyp „Auswahl“: eine Antwortmöglichkeit pro Zeile.
        help_text=_("Only for the answer type “Choice”: one option per line."),
    )
    required = forms.BooleanField(
        # de: Pflichtfrage (vor dem Abschluss des Erstgesprächs zu beantworten)
        label=_("Required (to be answered before the initial interview is completed)"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        options = [line.strip() for line in cleaned.get("options", "").splitlines()]
        cleaned["options"] = [option for option in options if option]
        kind = cleaned.get("answer_type")
        if kind == "choice" and not cleaned["options"]:
            # de: Eine Auswahlfrage braucht mindestens eine Antwortmöglichkeit.
            self.add_error("options", gettext("A choice question needs at least one option."))
        if kind and kind != "choice" and cleaned["options"]:
            # de: Antwortmöglichkeiten gibt es nur beim Antworttyp „Auswahl“.
            self.add_error("options", gettext("Only the answer type “Choice” has options."))
        return cleaned


class BaseGuideQuestionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(form.errors for form in self.kept_forms()):
            return
        titled: set[str] = set()
        seen: set[tuple[str, str]] = set()
        for form in self.kept_forms():
            section, key = form.cleaned_data["section_key"], form.cleaned_data["key"]
            if section not in titled:
                titled.add(section)
                if not form.cleaned_data["section_title"]:
                    # de: Bitte geben Sie in der ersten Frage des Abschnitts seinen Titel ein.
                    form.add_error(
                        "section_title",
                        gettext("Please enter the section's title in its first question."),
                    )
            if (section, key) in seen:
                # de: Dieser Schlüssel ist in diesem Abschnitt schon vergeben.
                form.add_error("key", gettext("This key is already used in this section."))
            seen.add((section, key))
        if not seen:
            # de: Ein Gesprächsleitfaden braucht mindestens eine Frage.
            raise forms.ValidationError(gettext("An interview guide needs at least one question."))

    def kept_forms(self) -> list[GuideQuestionForm]:
        """The saved and the filled-in new rows not marked for deletion, in page order."""
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)  # type: ignore[attr-defined]
        ]

    def sections(self) -> list[dict[str, Any]]:
        return sections_from_rows([form.cleaned_data for form in self.kept_forms()])


GuideQuestionFormSet = forms.formset_factory(
    GuideQuestionForm, formset=BaseGuideQuestionFormSet, extra=2, can_delete=True
)


def sections_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The guide's JSON from the editor's rows (see the module docstring)."""
    sections: dict[str, dict[str, Any]] = {}
    for row in rows:
        section = sections.get(row["section_key"])
        if section is None:
            section = {"key": row["section_key"], "title": row["section_title"]}
            if row.get("section_description"):
                section["description"] = row["section_description"]
            section["questions"] = []
            sections[row["section_key"]] = section
        question: dict[str, Any] = {"key": row["key"], "text": row["text"]}
        if row.get("hint"):
            question["hint"] = row["hint"]
        question["answer_type"] = row["answer_type"]
        if row["answer_type"] == "choice":
            question["options"] = list(row["options"])
        if row.get("required"):
            question["required"] = True
        section["questions"].append(question)
    return list(sections.values())


def rows_from_sections(sections: Any) -> list[dict[str, Any]]:
    """The editor's initial rows for a guide's JSON (unknown answer types read as text)."""
    rows: list[dict[str, Any]] = []
    for section in sections if isinstance(sections, list) else []:
        if not isinstance(section, dict):
            continue
        for index, question in enumerate(section.get("questions") or []):
            if not isinstance(question, dict):
                continue
            answer_type = question.get("answer_type") or "text"
            rows.append(
                {
                    "section_key": section.get("key", ""),
                    "section_title": section.get("title", "") if index == 0 else "",
                    "section_description": section.get("description", "") if index == 0 else "",
                    "key": question.get("key", ""),
                    "text": question.get("text", ""),
                    "hint": question.get("hint", ""),
                    "answer_type": answer_type if answer_type in ANSWER_TYPES else "text",
                    "options": "\n".join(str(option) for option in question.get("options") or []),
                    "required": bool(question.get("required", False)),
                }
            )
    return rows


class InterviewGuideForm(forms.ModelForm):
    """The guide's own fields plus its questions as a formset (prefix ``questions``)."""

    class Meta:
        model = InterviewGuide
        fields = ("traeger", "key", "name", "guide_version", "description", "sort_order")
        field_classes = {"description": FreeTextField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Bound, the rows come from the page alone: an initial per index would make an
        # empty extra row look changed wherever the saved guide had a question.
        self.questions = GuideQuestionFormSet(  # type: ignore[assignment]
            self.data if self.is_bound else None,
            initial=None if self.is_bound else rows_from_sections(self.instance.sections),
            prefix="questions",
        )

    questions: BaseGuideQuestionFormSet

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.questions.is_valid():
            # de: Bitte korrigieren Sie die markierten Fragen.
            self.add_error(None, gettext("Please correct the marked questions."))
        return cleaned

    def save(self, commit: bool = True) -> Any:
        self.instance.sections = self.questions.sections()
        return super().save(commit=commit)
