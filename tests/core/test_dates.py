"""The plausibility rules for dates (core.dates), the same for forms, API and import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lotse.core import dates

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        (dt.date(1990, 5, 17), None),
        (TODAY, None),
        (dt.date(1900, 1, 1), None),
        (TODAY + dt.timedelta(days=1), dates.BIRTH_IN_FUTURE),
        (dt.date(1899, 12, 31), dates.BIRTH_TOO_EARLY),
        (dt.date(1, 1, 1), dates.BIRTH_TOO_EARLY),
        (None, None),
    ],
)
def test_birth_date(born, problem):
    assert dates.birth_date_problem(born, on=TODAY) == problem


def test_a_registration_lies_in_the_past_and_after_the_birth():
    born = dt.date(2000, 1, 1)
    assert dates.past_date_problem(TODAY, born=born, on=TODAY) is None
    assert dates.past_date_problem(TODAY + dt.timedelta(days=1), on=TODAY) == dates.IN_FUTURE
    assert dates.past_date_problem(dt.date(1999, 12, 31), born=born, on=TODAY) == (
        dates.BEFORE_BIRTH
    )


def test_a_period_may_last_one_day_but_not_end_before_it_starts():
    start = dt.date(2026, 1, 1)
    assert dates.period_problem(start, start) is None
    assert dates.period_problem(start, None) is None
    assert dates.period_problem(start, dt.date(2025, 12, 31)) == dates.END_BEFORE_START


def test_due_dates_at_most_ten_years_ahead_also_from_29_february():
    assert dates.due_date_problem(dt.date(2036, 12, 7), on=TODAY) is None
    assert dates.due_date_problem(dt.date(2036, 12, 8), on=TODAY) == dates.TOO_FAR_AHEAD
    assert dates.due_date_problem(dt.date(2206, 1, 1), on=TODAY) == dates.TOO_FAR_AHEAD
    assert dates.years_ahead(10, on=dt.date(2028, 2, 29)) == dt.date(2038, 2, 28)


def test_problems_are_raised_in_german_at_their_field():
    with pytest.raises(ValidationError) as raised:
        dates.raise_problems({"date_of_birth": dates.BIRTH_TOO_EARLY, "registered_on": None})
    assert raised.value.message_dict == {
        "date_of_birth": ["Das Geburtsdatum liegt vor 1900. Bitte das Jahr vierstellig prüfen."]
    }
