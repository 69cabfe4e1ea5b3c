"""The deadline engine: which configured goals apply to a person, and when they are due.

Pure functions, no database. The goals come from the region's configuration (``Goal.deadline_rule``
and ``Goal.applies_to``, see docs/configuration.md); nothing here knows a goal key. The service
(``deadlines.services``) gathers the facts about a person and stores what this module decides.

Periods (§§ 187, 188 BGB): the day of the event does not count; a period of weeks ends on the
weekday of the event, a period of months or years on the same day number (or the last day of a
shorter month). ``days``, ``weeks``, ``months``, ``years`` count calendar time.

School weeks (``unit: school_weeks``, Schule I "within 4 school weeks, holidays do not count"):

* A *school day* is a Monday to Friday that is neither inside the school holidays nor a public
  holiday of the Träger's federal state (``holidays`` package, e.g. ``Germany(subdiv="NW")``).
  The school holidays are the state's, bundled with Lotse (``deadlines/data/school_holidays``,
  from the OpenHolidays API), together with the Träger's own ``school_holidays`` from its
  configuration.
* A school week is five school days, and the period is counted in school days: N school weeks
  end on the (5 × N)-th school day after the event day. A week with two school days before the
  Christmas holidays counts as two days, not as a week; a public holiday adds a day. Without
  holidays the due date equals the ``weeks`` rule for an event on a weekday.
* The engine only computes this inside holiday data: the days it looks at must lie between the
  start of the first and the end of the last holiday period of an unbroken run of holiday data
  (two periods more than ``MAX_HOLIDAY_GAP_DAYS`` apart mean a school year is missing).
  Otherwise the deadline gets no date and the note ``holidays_missing`` — never a wrong date.
  ``holiday_gaps`` names such stretches for the configuration check.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, cached_property
from importlib import resources
from typing import Any

import holidays as public_holidays

#: Between two holiday periods of one school year in NRW lie at most about 15 weeks (Christmas to
#: Easter). A longer gap means the configuration lacks the holidays in between.
MAX_HOLIDAY_GAP_DAYS = 120

#: Working-age adults are treated as job or training seekers until employment data exists.
JOB_SEEKER_AGES = (18, 64)

#: Integration courses are for adults (§ 44 Abs. 3 AufenthG excludes pupils).
INTEGRATION_COURSE_MIN_AGE = 18

RELATIVE_UNITS = ("days", "weeks", "school_weeks", "months", "years")

#: School days in a school week.
SCHOOL_DAYS_PER_WEEK = 5


class NotApplicable(StrEnum):
    """Why the engine decided a goal does not apply (shown translated, see ``labels``)."""

    TOO_YOUNG = "too_young"
    TOO_OLD = "too_old"
    BIRTH_DATE_MISSING = "birth_date_missing"
    NOT_JOB_SEEKER = "not_job_seeker"
    NOT_EMPLOYED = "not_employed"
    NOT_COURSE_ELIGIBLE = "not_course_eligible"
    TARGET_GROUP = "target_group"
    RESIDENCE_STATUS = "residence_status"


class Note(StrEnum):
    """Why a due date cannot be computed."""

    EVENT_MISSING = "event_missing"
    HOLIDAYS_MISSING = "holidays_missing"
    RULE_INVALID = "rule_invalid"


class HolidaysMissing(Exception):
    """The configured school holidays do not cover the days a school-week period needs."""


@dataclass(frozen=True)
class PersonFacts:
    """What the engine knows about one person; ``None`` means unknown."""

    date_of_birth: dt.date | None
    events: Mapping[str, dt.date | None]
    job_seeker: bool | None = None
    employed: bool | None = None
    integration_course_eligible: bool | None = None
    target_groups: frozenset[str] = frozenset()
    residence_status: str | None = None


@dataclass(frozen=True)
class Decision:
    applies: bool
    due_on: dt.date | None = None
    start_on: dt.date | None = None
    not_applicable: NotApplicable | None = None
    note: Note | None = None


@dataclass(frozen=True)
class HolidayPeriod:
    start: dt.date
    end: dt.date


@dataclass
class SchoolCalendar:
    """School days of one Träger: configured school holidays plus the state's public holidays."""

    periods: list[HolidayPeriod]
    state: str = "NW"
    _public: Any = field(default=None, repr=False)
    #: ``add_school_weeks`` results by (start, weeks): a Träger's persons share few start days.
    _due: dict[tuple[dt.date, int], dt.date] = field(default_factory=dict, repr=False)

    @classmethod
    def from_config(
        cls, entries: Iterable[Mapping[str, Any]], state: str = "NW", *, bundled: bool = True
    ) -> SchoolCalendar:
        """The Träger's configured holidays plus (``bundled``) the state's bundled ones."""
        periods = set(bundled_school_holidays(state)) if bundled else set()
        for entry in entries:
            try:
                start = _as_date(entry["start"])
                end = _as_date(entry["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if end >= start:
                periods.add(HolidayPeriod(start, end))
        return cls(periods=sorted(periods, key=lambda p: (p.start, p.end)), state=state)

    @cached_property
    def coverage(self) -> list[tuple[dt.date, dt.date]]:
        """Date ranges for which the holiday data is complete (see module docstring)."""
        runs: list[tuple[dt.date, dt.date]] = []
        for period in self.periods:
            if runs and (period.start - runs[-1][1]).days <= MAX_HOLIDAY_GAP_DAYS:
                runs[-1] = (runs[-1][0], max(runs[-1][1], period.end))
            else:
                runs.append((period.start, period.end))
        return runs

    def covers(self, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self.coverage)

    def gaps(self, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
        """The stretches between ``first`` and ``last`` that the holiday data does not cover."""
        result: list[tuple[dt.date, dt.date]] = []
        cursor = first
        for start, end in self.coverage:
            if end < cursor:
                continue
            if start > last:
                break
            if start > cursor:
                result.append((cursor, start - dt.timedelta(days=1)))
            cursor = end + dt.timedelta(days=1)
        if cursor <= last:
            result.append((cursor, last))
        return result

    def is_public_holiday(self, day: dt.date) -> bool:
        if self._public is None:
            self._public = public_holidays.country_holidays("DE", subdiv=self.state)
        return day in self._public

    def is_school_holiday(self, day: dt.date) -> bool:
        return any(p.start <= day <= p.end for p in self.periods)

    def is_school_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        if not self.covers(day):
            raise HolidaysMissing(day)
        return not self.is_school_holiday(day) and not self.is_public_holiday(day)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day number N months later; the last day of a shorter month (§ 188 Abs. 3 BGB)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


@cache
def bundled_school_holidays(state: str) -> tuple[HolidayPeriod, ...]:
    """The school holidays of a federal state shipped with Lotse (empty for an unknown state)."""
    name = f"{state.upper()}.json"
    folder = resources.files("lotse.deadlines").joinpath("data", "school_holidays")
    source = folder.joinpath(name)
    if not source.is_file():
        return ()
    document = json.loads(source.read_text(encoding="utf-8"))
    return tuple(
        HolidayPeriod(_as_date(item["start"]), _as_date(item["end"]))
        for item in document.get("periods", [])
    )


def add_school_weeks(start: dt.date, weeks: int, school: SchoolCalendar) -> dt.date:
    """The (5 × ``weeks``)-th school day after ``start``; ``HolidaysMissing`` outside the data."""
    key = (start, weeks)
    if key not in school._due:
        needed, day = weeks * SCHOOL_DAYS_PER_WEEK, start
        while needed:
            day += dt.timedelta(days=1)
            if school.is_school_day(day):
                needed -= 1
        school._due[key] = day
    return school._due[key]


def add_period(start: dt.date, amount: int, unit: str, school: SchoolCalendar) -> dt.date:
    if unit == "days":
        return start + dt.timedelta(days=amount)
    if unit == "weeks":
        return start + dt.timedelta(weeks=amount)
    if unit == "school_weeks":
        return add_school_weeks(start, amount, school)
    if unit == "months":
        return add_months(start, amount)
    if unit == "years":
        return add_months(start, 12 * amount)
    raise ValueError(unit)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in completed years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birthday(birth: dt.date, years: int) -> dt.date:
    """The day a person born on ``birth`` completes ``years`` years (29 Feb → 28 Feb)."""
    year = birth.year + years
    return dt.date(year, birth.month, min(birth.day, _calendar.monthrange(year, birth.month)[1]))


def is_person_rule(rule: Any, applies_to: Any) -> bool:
    """Deadlines per person: relative rules, and fixed dates limited by ``applies_to``.

    Recurring rules (e.g. the annual Kita monitoring) and unconditional fixed dates are goals of
    the structure level, not of a single person.
    """
    if not isinstance(rule, Mapping):
        return False
    if "from" in rule:
        return True
    return "by" in rule and bool(applies_to)


def event_date(rule: Mapping[str, Any], applies_to: Mapping[str, Any], facts: PersonFacts) -> Any:
    """The day the period starts (``school_age_reached``: the birthday at ``min_age``)."""
    source = rule.get("from")
    if source == "school_age_reached":
        registered = facts.events.get("registration")
        min_age = applies_to.get("min_age")
        if registered is None or facts.date_of_birth is None or min_age is None:
            return None
        return max(registered, birthday(facts.date_of_birth, int(min_age)))
    return facts.events.get(str(source))


def applicability(
    applies_to: Mapping[str, Any], facts: PersonFacts, on: dt.date
) -> NotApplicable | None:
    """None if every condition of ``applies_to`` holds on ``on``, else the first that fails."""
    min_age, max_age = applies_to.get("min_age"), applies_to.get("max_age")
    age: int | None = None
    if facts.date_of_birth is not None:
        age = age_on(facts.date_of_birth, on)
    if min_age is not None or max_age is not None:
        if age is None:
            return NotApplicable.BIRTH_DATE_MISSING
        if min_age is not None and age < int(min_age):
            return NotApplicable.TOO_YOUNG
        if max_age is not None and age > int(max_age):
            return NotApplicable.TOO_OLD
    if applies_to.get("job_seeker") and not facts.job_seeker:
        return NotApplicable.NOT_JOB_SEEKER
    if applies_to.get("employed") and not facts.employed:
        return NotApplicable.NOT_EMPLOYED
    if applies_to.get("integration_course_eligible") and not facts.integration_course_eligible:
        return NotApplicable.NOT_COURSE_ELIGIBLE
    groups = applies_to.get("target_groups")
    if groups and not (set(groups) & facts.target_groups):
        return NotApplicable.TARGET_GROUP
    statuses = applies_to.get("residence_statuses")
    if statuses and facts.residence_status not in set(statuses):
        return NotApplicable.RESIDENCE_STATUS
    return None


def decide(
    rule: Mapping[str, Any],
    applies_to: Mapping[str, Any] | None,
    facts: PersonFacts,
    school: SchoolCalendar,
    today: dt.date,
) -> Decision:
    """Does the goal apply to the person, and when is it due?"""
    conditions = applies_to or {}
    if "by" in rule:
        start: dt.date | None = None
        try:
            fixed: dt.date | None = _as_date(rule["by"])
        except (TypeError, ValueError):
            return Decision(applies=True, note=Note.RULE_INVALID)
    else:
        start, fixed = event_date(rule, conditions, facts), None
    reason = applicability(conditions, facts, start or fixed or today)
    if reason is not None:
        return Decision(applies=False, not_applicable=reason)
    if fixed is not None:
        return Decision(applies=True, due_on=fixed)
    if start is None:
        return Decision(applies=True, note=Note.EVENT_MISSING)
    begun = Decision(applies=True, start_on=start)
    unit = rule.get("unit")
    try:
        amount = int(rule.get("within", 0))
    except (TypeError, ValueError):
        amount = 0
    if unit not in RELATIVE_UNITS or amount < 1:
        return replace(begun, note=Note.RULE_INVALID)
    try:
        return replace(begun, due_on=add_period(start, amount, str(unit), school))
    except HolidaysMissing:
        return replace(begun, note=Note.HOLIDAYS_MISSING)
