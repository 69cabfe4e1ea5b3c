"""The Gesprächsleitfaden as typed questions, and the checking of answers against it.

A guide's ``sections`` come from the configuration file (see docs/configuration.md,
``interview_guides``): ``[{key, title, description, questions: [{key, text, hint,
answer_type, options, required}]}]``. ``answer_type`` defaults to ``text``; ``required``
(optional, default false) means the question must be answered before the Erstgespräch can be
completed — a draft may leave anything open.

Answers travel as ``{section_key: {question_key: value}}``. Stored values are JSON: strings for
text, long text, choices and dates (ISO 8601), booleans for yes/no, numbers for numbers.
Validation errors are keyed ``"<section_key>__<question_key>"`` (the field names of the web form).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

ANSWER_TYPES = ("text", "long_text", "yes_no", "date", "number", "choice")
TEXT_MAX_LENGTH = 10_000

_YES = {"yes", "ja", "true", "1"}
_NO = {"no", "nein", "false", "0"}


@dataclass(frozen=True)
class Question:
    section_key: str
    key: str
    text: str
    hint: str
    answer_type: str
    options: tuple[str, ...]
    required: bool

    @property
    def field_name(self) -> str:
        return field_name(self.section_key, self.key)


@dataclass(frozen=True)
class GuideSection:
    key: str
    title: str
    description: str
    questions: tuple[Question, ...]


def field_name(section_key: str, question_key: str) -> str:
    return f"{section_key}__{question_key}"


def parse_sections(raw: Any) -> list[GuideSection]:
    """The guide's JSON as sections and questions (unknown answer types read as text)."""
    sections: list[GuideSection] = []
    for section in raw if isinstance(raw, list) else []:
        if not isinstance(section, Mapping) or not section.get("key"):
            continue
        questions = []
        for question in section.get("questions") or []:
            if not isinstance(question, Mapping) or not question.get("key"):
                continue
            answer_type = question.get("answer_type") or "text"
            if answer_type not in ANSWER_TYPES:
                answer_type = "text"
            questions.append(
                Question(
                    section_key=str(section["key"]),
                    key=str(question["key"]),
                    text=str(question.get("text") or question["key"]),
                    hint=str(question.get("hint") or ""),
                    answer_type=answer_type,
                    options=tuple(str(option) for option in question.get("options") or ()),
                    required=bool(question.get("required", False)),
                )
            )
        sections.append(
            GuideSection(
                key=str(section["key"]),
                title=str(section.get("title") or section["key"]),
                description=str(section.get("description") or ""),
                questions=tuple(questions),
            )
        )
    return sections


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce_answer(question: Question, value: Any) -> Any:
    """The JSON value stored for ``value``; raises ``ValueError`` with a German message."""
    kind = question.answer_type
    if kind in ("text", "long_text"):
        if not isinstance(value, str):
            raise ValueError(_("Please enter text."))  # de: Bitte geben Sie einen Text ein.
        if len(value) > TEXT_MAX_LENGTH:
            # de: Der Text ist zu lang (höchstens %(max)s Zeichen).
            raise ValueError(
                _("The text is too long (at most %(max)s characters).") % {"max": TEXT_MAX_LENGTH}
            )
        return value.strip()
    if kind == "yes_no":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _YES:
            return True
        if isinstance(value, str) and value.strip().lower() in _NO:
            return False
        raise ValueError(_("Please answer yes or no."))  # de: Bitte mit Ja oder Nein antworten.
    if kind == "date":
        if isinstance(value, dt.datetime):
            raise ValueError(
                _("Please enter a valid date.")
            )  # de: Bitte ein gültiges Datum eingeben.
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(
                _("Please enter a valid date.")
            ) from None  # de: Bitte ein gültiges Datum eingeben.
    if kind == "number":
        if isinstance(value, bool):
            raise ValueError(_("Please enter a number."))  # de: Bitte eine Zahl eingeben.
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Please enter a number.")) from None  # de: Bitte eine Zahl eingeben.
        if not number.is_finite():
            raise ValueError(_("Please enter a number."))  # de: Bitte eine Zahl eingeben.
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "choice":
        if not isinstance(value, str) or value not in question.options:
            # de: Bitte eine der angebotenen Antworten wählen.
            raise ValueError(_("Please choose one of the offered answers."))
        return value
    raise ValueError(_("Unknown answer type."))  # de: Unbekannter Antworttyp.


def check_answers(
    sections: list[GuideSection], raw: Any, *, complete: bool
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Clean ``raw`` answers against the guide: (answers to store, errors by field name).

    Empty answers are left out. Answers to questions the guide does not contain are errors (an
    API client must not smuggle in data the guide does not ask for).
    """
    answers: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        # de: Die Antworten müssen nach Abschnitt und Frage gegliedert sein.
        return {}, {"answers": _("The answers must be grouped by section and question.")}
    known = {section.key: {q.key: q for q in section.questions} for section in sections}
    for section_key, section_answers in raw.items():
        if section_key not in known or not isinstance(section_answers, Mapping):
            # de: Dieser Abschnitt gehört nicht zum Gesprächsleitfaden.
            errors[str(section_key)] = _("This section is not part of the interview guide.")
            continue
        for question_key in section_answers:
            if question_key not in known[section_key]:
                # de: Diese Frage gehört nicht zum Gesprächsleitfaden.
                errors[field_name(section_key, str(question_key))] = _(
                    "This question is not part of the interview guide."
                )
    for section in sections:
        section_raw = raw.get(section.key)
        section_raw = section_raw if isinstance(section_raw, Mapping) else {}
        for question in section.questions:
            value = section_raw.get(question.key)
            if _is_empty(value):
                if complete and question.required:
                    # de: Diese Frage muss vor dem Abschluss beantwortet werden.
                    errors[question.field_name] = _(
                        "This question must be answered before completing."
                    )
                continue
            try:
                answers.setdefault(section.key, {})[question.key] = coerce_answer(question, value)
            except ValueError as error:
                errors[question.field_name] = str(error)
    return answers, errors


def display_value(question: Question, value: Any) -> str:
    """An answer as text for the read-only view."""
    if value is None or value == "":
        return ""
    if question.answer_type == "yes_no":
        return _("yes") if value else _("no")  # de: ja / nein
    if question.answer_type == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    if question.answer_type == "number":
        return str(value).replace(".", ",")
    return str(value)
