"""The assessment questions of a field of action, from the configuration, and their answers.

Each field of action lists its questions (``fields_of_action[].assessment`` in the region
file, see docs/configuration.md): ``[{key, label, type, choices, hint, min_age, max_age}]``,
``type`` one of ``text``, ``choice``, ``date``, ``boolean``, ``number`` (default ``text``).
A question with an age range is asked only of persons of that age on the day of the
assessment — a child's Kita/Schule assessment never asks for university degrees; a person
without a date of birth is asked everything.

Answers are stored per assessment as ``{question_key: value}`` with JSON values: strings for
text, choices and dates (ISO 8601), booleans, numbers. Errors are keyed with the form field
name ``"q__<key>"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

QUESTION_TYPES = ("text", "choice", "date", "boolean", "number")
TEXT_MAX_LENGTH = 5_000
FIELD_PREFIX = "q__"


@dataclass(frozen=True)
class AssessmentQuestion:
    key: str
    label: str
    type: str
    choices: tuple[str, ...]
    hint: str
    min_age: int | None
    max_age: int | None

    @property
    def field_name(self) -> str:
        return f"{FIELD_PREFIX}{self.key}"

    def fits(self, age: int | None) -> bool:
        """Asked of a person of ``age`` (unknown age: asked)."""
        if age is None:
            return True
        if self.min_age is not None and age < self.min_age:
            return False
        return not (self.max_age is not None and age > self.max_age)


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_questions(raw: Any) -> list[AssessmentQuestion]:
    """The stored configuration as questions (unknown types read as text)."""
    questions = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping) or not item.get("key"):
            continue
        kind = item.get("type") or "text"
        questions.append(
            AssessmentQuestion(
                key=str(item["key"]),
                label=str(item.get("label") or item["key"]),
                type=kind if kind in QUESTION_TYPES else "text",
                choices=tuple(str(choice) for choice in item.get("choices") or ()),
                hint=str(item.get("hint") or ""),
                min_age=_int_or_none(item.get("min_age")),
                max_age=_int_or_none(item.get("max_age")),
            )
        )
    return questions


def questions_for(raw: Any, age: int | None) -> list[AssessmentQuestion]:
    """The questions of a field that fit a person of ``age``."""
    return [question for question in parse_questions(raw) if question.fits(age)]


def _invalid() -> str:
    # de: Bitte einen gültigen Eintrag wählen.
    return _("Please choose a valid entry.")


def clean_answers(
    questions: Iterable[AssessmentQuestion], raw: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """``raw`` (``{key: value}``, values as posted or as JSON) checked against ``questions``.

    Returns the JSON answers (empty answers left out) and the errors by form field name.
    Keys that are no question of the list are ignored, so answers never outlive the questions
    they answer without being asked again.
    """
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value = raw.get(question.key)
        if value is None or value == "" or value == []:
            continue
        name = question.field_name
        if question.type == "boolean":
            if isinstance(value, bool):
                answers[question.key] = value
            elif str(value).strip().lower() in {"true", "1", "ja", "yes"}:
                answers[question.key] = True
            elif str(value).strip().lower() in {"false", "0", "nein", "no"}:
                answers[question.key] = False
            else:
                errors[name] = _invalid()
        elif question.type == "number":
            try:
                number = Decimal(str(value).replace(",", "."))
            except InvalidOperation:
                # de: Bitte eine Zahl angeben.
                errors[name] = _("Please enter a number.")
                continue
            if not number.is_finite() or number < 0 or number > 100_000:
                # de: Bitte eine Zahl zwischen 0 und 100000 angeben.
                errors[name] = _("Please enter a number between 0 and 100000.")
                continue
            answers[question.key] = int(number) if number == number.to_integral() else float(number)
        elif question.type == "date":
            try:
                day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            except ValueError:
                # de: Bitte ein gültiges Datum angeben.
                errors[name] = _("Please enter a valid date.")
                continue
            answers[question.key] = day.isoformat()
        elif question.type == "choice":
            if str(value) not in question.choices:
                errors[name] = _invalid()
            else:
                answers[question.key] = str(value)
        else:
            text = str(value).strip()
            if len(text) > TEXT_MAX_LENGTH:
                # de: Bitte höchstens {limit} Zeichen eingeben.
                errors[name] = _("Please enter at most {limit} characters.").format(
                    limit=TEXT_MAX_LENGTH
                )
            elif text:
                answers[question.key] = text
    return answers, errors


def display_answer(question: AssessmentQuestion, value: Any) -> str:
    """An answer as the pages show it (German dates, ja/nein)."""
    if value is None or value == "":
        return ""
    if question.type == "boolean":
        return _("yes") if value else _("no")  # de: ja / nein
    if question.type == "date":
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    return str(value)
