from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from lotse.deadlines.engine import PersonFacts, SchoolCalendar
from lotse.directory.config.parsing import ConfigYamlLoader
from lotse.directory.models import Goal
from lotse.people.models import Household, Person
from tests.factories import CaseFactory, PersonFactory

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"


def _goals(node: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for goal in node:
        found[goal["key"]] = goal
        found.update(_goals(goal.get("children", [])))
    return found


def shipped(name: str) -> dict[str, Any]:
    text = (CONFIG_DIR / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=ConfigYamlLoader)  # noqa: S506


LIPPE = shipped("kreis-lippe.yaml")
RHEINE = shipped("stadt-rheine.yaml")
LIPPE_GOALS = _goals(LIPPE["goals"])
RHEINE_GOALS = _goals(RHEINE["goals"])
LIPPE_HOLIDAYS = LIPPE["school_holidays"]


def lippe_calendar() -> SchoolCalendar:
    return SchoolCalendar.from_config(LIPPE_HOLIDAYS, state="NW")


def facts(
    *,
    born: dt.date | None = dt.date(1990, 5, 17),
    registered: dt.date | None = dt.date(2025, 9, 1),
    **extra: Any,
) -> PersonFacts:
    events = {"registration": registered, **extra.pop("events", {})}
    return PersonFacts(date_of_birth=born, events=events, **extra)


def make_goal(traeger: Any, key: str, source: dict[str, dict[str, Any]] = LIPPE_GOALS) -> Goal:
    """A Goal row with the rule of the shipped configuration (no rule is written in tests)."""
    goal = source[key]
    return Goal.objects.create(
        traeger=traeger,
        key=key,
        code=goal.get("code", ""),
        title=goal["title"],
        deadline_rule=goal.get("deadline"),
        applies_to=goal.get("applies_to"),
        sort_order=len(source),
    )


@pytest.fixture
def lippe_goals(traeger) -> dict[str, Goal]:
    traeger.school_holidays = LIPPE_HOLIDAYS
    traeger.save(update_fields=["school_holidays"])
    keys = [
        "leitziel-iii",
        "arbeit-i",
        "sprache-i",
        "sprache-iii",
        "schule-i",
        "kita-iii",
        "kita-iv",
    ]
    return {key: make_goal(traeger, key) for key in keys}


@pytest.fixture
def family(traeger, organisation, case_manager):
    """A mother with an open case and two children (8 and 3) in her household."""
    household = Household.objects.create(traeger=traeger, label="Haddad")
    registered = dt.date(2025, 9, 1)
    mother = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Amina",
        last_name="Haddad",
        date_of_birth=dt.date(1990, 5, 17),
        registered_on=registered,
        household=household,
        household_role=Person.HouseholdRole.HEAD,
    )
    school_child = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Lina",
        last_name="Haddad",
        date_of_birth=dt.date(2017, 3, 1),
        registered_on=registered,
        household=household,
        household_role=Person.HouseholdRole.CHILD,
    )
    toddler = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Omar",
        last_name="Haddad",
        date_of_birth=dt.date(2022, 1, 10),
        registered_on=registered,
        household=household,
        household_role=Person.HouseholdRole.CHILD,
    )
    # The case opened when they registered: their deadlines ran while they were with us.
    CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=mother,
        case_manager=case_manager,
        opened_on=registered,
    )
    return mother, school_child, toddler
