"""Forms of the intake pages. They parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.forms import DateTimeInput
from lotse.cases.models import TimelineEntry
from lotse.core.forms import FreeTextField, GermanDecimalField
from lotse.core.reference import language_choices
from lotse.directory.models import Organisation
from lotse.intake.guide import TEXT_MAX_LENGTH, GuideSection, Question
from lotse.intake.models import (
    ASSESSMENT_FIELDS,
    Assessment,
    InitialInterview,
    InterpreterKind,
    InterpreterUse,
    Track,
)
from lotse.intake.questions import FIELD_PREFIX, AssessmentQuestion
from lotse.intake.questions import TEXT_MAX_LENGTH as ANSWER_MAX_LENGTH
from lotse.intake.services import InterpreterInput
from lotse.people.forms import DateInput

YES_NO = [("yes", _("yes")), ("no", _("no"))]  # de: ja / nein


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.short_name or obj.name


class InterpreterFieldsMixin(forms.Form):
    """Who interpreted in a conversation (Sprachmittlung)."""

    def add_interpreter_fields(self, *, traeger_id: int, prefix: str, required: bool) -> None:
        self.fields[f"{prefix}language"] = forms.ChoiceField(
            label=_("language of interpreting"),  # de: Sprache der Sprachmittlung
            choices=[("", "—"), *language_choices()],
            required=required,
        )
        self.fields[f"{prefix}kind"] = forms.ChoiceField(
            label=_("who interpreted"),  # de: Wer hat gedolmetscht?
            choices=InterpreterKind.choices if required else [("", "—"), *InterpreterKind.choices],
            required=required,
            help_text=_(
                # de: Kinder und Angehörige sollen nicht dolmetschen; geschulte
                # Laien-Sprachmittlung vermitteln das KI und in Detmold das DRK.
                "Children and relatives should not interpret; trained lay interpreters are "
                "available through the KI and, in Detmold, the DRK."
            ),
        )
        self.fields[f"{prefix}organisation"] = OrganisationChoiceField(
            label=_("organisation providing the interpreter"),  # de: vermittelnde Organisation
            queryset=Organisation.objects.filter(traeger_id=traeger_id).order_by(
                "sort_order", "name"
            ),
            required=False,
        )
        self.fields[f"{prefix}note"] = FreeTextField(
            label=_("note on interpreting"),  # de: Anmerkung zur Sprachmittlung
            max_length=500,
            required=False,
        )

    def interpreter_input(self, prefix: str) -> InterpreterInput | None:
        data = self.cleaned_data
        if not (data.get(f"{prefix}language") or data.get(f"{prefix}kind")):
            return None
        return InterpreterInput(
            language=data.get(f"{prefix}language") or "",
            kind=data.get(f"{prefix}kind") or "",
            organisation=data.get(f"{prefix}organisation"),
            note=data.get(f"{prefix}note") or "",
        )


def question_field(question: Question) -> forms.Field:
    help_parts = [question.hint] if question.hint else []
    if question.required:
        # de: Pflichtangabe für den Abschluss des Erstgesprächs.
        help_parts.append(str(_("Required to complete the initial interview.")))
    common: dict[str, Any] = {
        "label": question.text,
        "required": False,
        "help_text": " ".join(help_parts),
    }
    kind = question.answer_type
    if kind == "long_text":
        return FreeTextField(
            max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if kind == "yes_no":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == "date":
        return forms.DateField(widget=DateInput(), **common)
    if kind == "number":
        return GermanDecimalField(**common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *((o, o) for o in question.options)], **common)
    return FreeTextField(max_length=TEXT_MAX_LENGTH, **common)


def _initial_value(question: Question, value: Any) -> Any:
    if question.answer_type == "yes_no" and isinstance(value, bool):
        return "yes" if value else "no"
    return value


class InterviewForm(InterpreterFieldsMixin):
    """The Erstgespräch: date, place, participants, interpreting and the guide's questions."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_at = forms.DateTimeField(
        label=_("date and time of the interview"),  # de: Datum und Uhrzeit des Gesprächs
        widget=DateTimeInput(),
    )
    location = FreeTextField(label=_("location"), max_length=300, required=False)  # de: Ort
    participants = FreeTextField(
        label=_("participants"),  # de: Teilnehmende
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and roles, one per line."),  # de: Namen und Rollen, eine pro Zeile.
    )

    INTERPRETER_PREFIX = "interpreter_"
    META_FIELDS = ("held_at", "location", "participants")

    def __init__(
        self,
        *args: Any,
        sections: list[GuideSection],
        traeger_id: int,
        interview: InitialInterview | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.add_interpreter_fields(
            traeger_id=traeger_id, prefix=self.INTERPRETER_PREFIX, required=False
        )
        for section in sections:
            for question in section.questions:
                self.fields[question.field_name] = question_field(question)
        if interview is not None and not self.is_bound:
            self.initial.update(
                {
                    "version": interview.version,
                    "held_at": interview.held_at,
                    "location": interview.location,
                    "participants": interview.participants,
                }
            )
            for section in sections:
                stored = interview.answers.get(section.key, {})
                for question in section.questions:
                    if question.key in stored:
                        self.initial[question.field_name] = _initial_value(
                            question, stored[question.key]
                        )
            use: InterpreterUse | None = getattr(interview, "interpreter_use", None)
            if use is not None:
                self.initial.update(
                    {
                        "interpreter_language": use.language,
                        "interpreter_kind": use.kind,
                        "interpreter_organisation": use.organisation_id,
                        "interpreter_note": use.note,
                    }
                )

    def meta_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.META_FIELDS]

    def interpreter_fields(self) -> list[forms.BoundField]:
        return [
            self[f"{self.INTERPRETER_PREFIX}{name}"]
            for name in ("language", "kind", "organisation", "note")
        ]

    def section_fields(self) -> list[tuple[GuideSection, list[forms.BoundField]]]:
        return [
            (section, [self[question.field_name] for question in section.questions])
            for section in self.sections
        ]

    def answers(self) -> dict[str, dict[str, Any]]:
        answers: dict[str, dict[str, Any]] = {}
        for section in self.sections:
            for question in section.questions:
                value = self.cleaned_data.get(question.field_name)
                if value not in (None, ""):
                    answers.setdefault(section.key, {})[question.key] = value
        return answers


#: Typed assessment columns about work and vocational qualifications: asked only of persons
#: from ``WORK_MIN_AGE`` (or of unknown age) — a child's assessment never asks for degrees.
WORK_FIELDS = (
    "vocational_qualifications",
    "recognition_status",
    "recognition_body",
    "work_experience",
    "work_status",
)
#: Full-time compulsory schooling in NRW ends after ten school years, at about 16 (§ 37 SchulG).
WORK_MIN_AGE = 16


def _question_field(question: AssessmentQuestion) -> forms.Field:
    common: dict[str, Any] = {"label": question.label, "required": False}
    if question.hint:
        common["help_text"] = question.hint
    if question.type == "choice":
        return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in question.choices)], **common)
    if question.type == "boolean":
        return forms.ChoiceField(
            choices=[("", "—"), ("true", _("yes")), ("false", _("no"))], **common
        )
    if question.type == "date":
        return forms.DateField(widget=DateInput(), **common)
    if question.type == "number":
        return GermanDecimalField(min_value=0, max_value=100_000, decimal_places=2, **common)
    return FreeTextField(
        max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), **common
    )


class AssessmentForm(forms.Form):
    """The typed columns plus the field's configured questions that fit the person's age."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        traeger_id: int,
        questions: list[AssessmentQuestion] | None = None,
        age: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions or [])
        for question in self.questions:
            self.fields[question.field_name] = _question_field(question)
        model_fields = fields_for_model(
            Assessment,
            fields=[*ASSESSMENT_FIELDS, "authorities"],
            widgets={
                "german_test_date": DateInput(),
                "authorities": forms.CheckboxSelectMultiple,
                **{
                    name: forms.Textarea(attrs={"rows": 3})
                    for name in (
                        "resources",
                        "school_qualifications",
                        "vocational_qualifications",
                        "work_experience",
                        "goals",
                        "needs",
                    )
                },
            },
        )
        self.fields.update(model_fields)
        authorities = self.fields["authorities"]
        authorities.queryset = Organisation.objects.filter(traeger_id=traeger_id).order_by(  # type: ignore[attr-defined]
            "sort_order", "name"
        )
        authorities.help_text = _(
            # de: Mit welchen Behörden und Stellen hat die Person in diesem Handlungsfeld zu tun?
            "Which authorities and organisations is the person dealing with in this field?"
        )
        self.fields["german_level"].help_text = _(
            # de: Stufe nach dem Gemeinsamen Europäischen Referenzrahmen; mit Testdatum und
            # Anbieter, sonst „nicht getestet“.
            "Level of the Common European Framework of Reference; with test date and provider, "
            "otherwise “not tested”."
        )
        self.fields["goals"].help_text = _(
            "As the person says it, in their own words."  # de: So, wie die Person es sagt.
        )
        self.fields["needs"].help_text = self.fields["goals"].help_text
        if age is not None and age < WORK_MIN_AGE:
            for name in WORK_FIELDS:
                del self.fields[name]
        # The configured questions come after the typed columns.
        for question in self.questions:
            self.fields[question.field_name] = self.fields.pop(question.field_name)

    @classmethod
    def initial_from(cls, assessment: Assessment | None) -> dict[str, Any]:
        if assessment is None:
            return {"version": 0}
        initial: dict[str, Any] = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
        initial["authorities"] = [org.pk for org in assessment.authorities.all()]
        initial["version"] = assessment.version
        for key, value in (assessment.answers or {}).items():
            initial[f"{FIELD_PREFIX}{key}"] = (
                ("true" if value else "false") if isinstance(value, bool) else value
            )
        return initial

    def values(self) -> dict[str, Any]:
        """The typed columns on the form (those left out for a child stay as they are)."""
        return {
            name: (
                self.cleaned_data.get(name)
                if name == "german_test_date"
                else self.cleaned_data.get(name) or ""
            )
            for name in ASSESSMENT_FIELDS
            if name in self.fields
        }

    def answers(self) -> dict[str, Any]:
        return {
            question.key: self.cleaned_data.get(question.field_name) for question in self.questions
        }

    def authorities(self) -> list[Organisation]:
        return list(self.cleaned_data.get("authorities") or [])


class ProfileForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    track = forms.ChoiceField(
        label=_("case profile"),  # de: Fallprofil
        choices=Track.choices,
        widget=forms.RadioSelect,
    )
    reason = FreeTextField(
        label=_("reason"),  # de: Begründung
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            # de: Z. B. Qualifikationen und Sprachstand oder mehrere Problemlagen.
            "For example qualifications and language level, or several problems at once."
        ),
    )


class InterpreterForm(InterpreterFieldsMixin):
    """Interpreting in a contact or appointment of the case timeline."""

    timeline_entry = forms.ChoiceField(label=_("conversation"))  # de: Gespräch

    def __init__(
        self, *args: Any, traeger_id: int, conversations: list[TimelineEntry], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timeline_entry"].choices = [  # type: ignore[attr-defined]
            (entry.pk, f"{timezone.localtime(entry.occurred_at):%d.%m.%Y %H:%M} – {entry.title}")
            for entry in conversations
        ]
        self.add_interpreter_fields(traeger_id=traeger_id, prefix="", required=True)

    def interpreter(self) -> InterpreterInput:
        result = self.interpreter_input("")
        assert result is not None  # both fields are required  # noqa: S101
        return result
