"""The traversal finds a person's rows through the Django relations, within the Träger."""

from __future__ import annotations

import pytest

from lotse.cases.models import Case, TimelineEntry
from lotse.people.models import Household, Person
from lotse.privacy.graph import person_related_querysets, reachable_models
from tests.factories import CaseFactory, TimelineEntryFactory

pytestmark = pytest.mark.django_db


def _sets(person: Person) -> dict[str, object]:
    return {s.label: s for s in person_related_querysets(person)}


def test_cases_and_their_timeline_belong_to_the_person_and_nobody_else(case: Case) -> None:
    entry = TimelineEntryFactory(case=case)
    other = TimelineEntryFactory(case=CaseFactory(traeger=case.traeger))
    sets = _sets(case.person)
    assert list(sets["cases.Case"].queryset) == [case]  # type: ignore[attr-defined]
    timeline = sets["cases.TimelineEntry"].queryset  # type: ignore[attr-defined]
    assert list(timeline) == [entry]
    assert other not in timeline
    assert sets["cases.TimelineEntry"].kind == "owned"  # type: ignore[attr-defined]


def test_household_is_a_reference_and_the_access_log_is_linked(case: Case) -> None:
    person = case.person
    person.household = Household.objects.create(traeger=person.traeger, label="H")
    person.save()
    sets = _sets(person)
    assert sets["people.Household"].kind == "reference"  # type: ignore[attr-defined]
    assert list(sets["people.Household"].queryset) == [person.household]  # type: ignore[attr-defined]
    assert sets["audit.AuditEntry"].kind == "linked"  # type: ignore[attr-defined]


def test_parents_come_before_children() -> None:
    order = [m.model for m in reachable_models()]
    assert order[0] is Person
    assert order.index(Case) < order.index(TimelineEntry)
