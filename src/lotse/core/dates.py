"""Plausibility of dates: one set of rules for forms, API and import.

Each rule returns a problem code or None; :data:`MESSAGES` holds the German message of every
code. Codes rather than messages, because the XLSX import stores its findings per row as codes
and renders them later. The services apply the rules (so form, API and import agree), the
import additionally in its dry run, with the same codes.

The limits are about typing errors, not law: nobody living was born before 1900; a date of
registration or arrival lies in the past; an end date does not lie before its start; a deadline
more than ten years ahead is a mistyped year (e.g. 2206 for 2026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

EARLIEST_BIRTH = dt.date(1900, 1, 1)
#: How far ahead a deadline, due date or follow-up may lie (in years).
MAX_YEARS_AHEAD = 10

BIRTH_IN_FUTURE = "birth_in_future"
BIRTH_TOO_EARLY = "birth_too_early"
IN_FUTURE = "date_in_future"
BEFORE_BIRTH = "before_birth"
END_BEFORE_START = "end_before_start"
TOO_FAR_AHEAD = "too_far_ahead"

MESSAGES: dict[str, StrPromise] = {
    BIRTH_IN_FUTURE: _("The date of birth lies in the future."),
    BIRTH_TOO_EARLY: _("The date of birth lies before 1900. Please check the four-digit year."),
    IN_FUTURE: _("The date lies in the future."),
    BEFORE_BIRTH: _("The date lies before the date of birth."),
    END_BEFORE_START: _("The end date lies before the start date."),
    TOO_FAR_AHEAD: _("The date lies more than 10 years ahead. Please check the year."),
}


def today() -> dt.date:
    return timezone.localdate()


def birth_date_problem(born: dt.date | None, *, on: dt.date | None = None) -> str | None:
    """A date of birth: not in the future, not before 1900 (year 1 is a typing error)."""
    if born is None:
        return None
    if born > (on or today()):
        return BIRTH_IN_FUTURE
    if born < EARLIEST_BIRTH:
        return BIRTH_TOO_EARLY
    return None


def past_date_problem(
    day: dt.date | None, *, born: dt.date | None = None, on: dt.date | None = None
) -> str | None:
    """A date that has happened (registration, arrival, case opened): not in the future and
    not before the person's birth."""
    if day is None:
        return None
    if day > (on or today()):
        return IN_FUTURE
    if born is not None and day < born:
        return BEFORE_BIRTH
    return None


def period_problem(start: dt.date | None, end: dt.date | None) -> str | None:
    """A validity or a period (consent, residence title, agreement): the end is not before the
    start. A period of one day (end == start) is valid."""
    if start is None or end is None:
        return None
    return END_BEFORE_START if end < start else None


def years_ahead(years: int, *, on: dt.date | None = None) -> dt.date:
    start = on or today()
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def due_date_problem(day: dt.date | None, *, on: dt.date | None = None) -> str | None:
    """A deadline, due date or follow-up: not more than :data:`MAX_YEARS_AHEAD` years ahead."""
    if day is None:
        return None
    return TOO_FAR_AHEAD if day > years_ahead(MAX_YEARS_AHEAD, on=on) else None


def raise_problems(problems: Mapping[str, str | None]) -> None:
    """Raise one ``ValidationError`` keyed by field for every problem found (codes kept)."""
    errors = {
        field: ValidationError(MESSAGES[code], code=code)
        for field, code in problems.items()
        if code is not None
    }
    if errors:
        raise ValidationError(errors)
