"""Live compliance of a goal: counts, rate, median, per municipality, with small-cell suppression."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.directory.models import Goal
from lotse.portal.compliance import compliance_for_goals, median_of_histogram
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
START = dt.date(2026, 1, 1)
DUE = dt.date(2026, 1, 15)


def _rows(goal, organisation, municipality, status, n, *, days=None, due=DUE, start=START):
    for _ in range(n):
        person = PersonFactory(
            traeger=goal.traeger, organisation=organisation, municipality=municipality
        )
        PersonGoalDeadline.objects.create(
            traeger=goal.traeger,
            person=person,
            goal=goal,
            status=status,
            start_on=start,
            due_on=due,
            met_on=start + dt.timedelta(days=days) if days is not None else None,
            computed_at=timezone.now(),
        )


@pytest.fixture
def world(traeger, organisation):
    goal = Goal.objects.create(
        traeger=traeger,
        key="arbeit-i",
        code="Arbeit I",
        title="Beratungsangebot",
        deadline_rule={"from": "registration", "within": 2, "unit": "weeks"},
    )
    detmold = MunicipalityFactory(traeger=traeger, name="Detmold")
    lemgo = MunicipalityFactory(traeger=traeger, name="Lemgo")
    # Detmold: 6 in time (5 days), 5 late (20 days), 5 open, 5 overdue, 5 before the case,
    # 2 not applicable (never counted).
    _rows(goal, organisation, detmold, DeadlineStatus.MET, 6, days=5)
    _rows(goal, organisation, detmold, DeadlineStatus.MET, 5, days=20)
    _rows(goal, organisation, detmold, DeadlineStatus.OPEN, 5, due=dt.date(2026, 7, 10))
    _rows(goal, organisation, detmold, DeadlineStatus.OPEN, 5, due=dt.date(2026, 6, 1))
    _rows(goal, organisation, detmold, DeadlineStatus.BEFORE_CASE, 5, due=dt.date(2025, 1, 1))
    _rows(goal, organisation, detmold, DeadlineStatus.NOT_APPLICABLE, 2)
    # Lemgo: 2 in time (10 days), 3 overdue — small cells.
    _rows(goal, organisation, lemgo, DeadlineStatus.MET, 2, days=10)
    _rows(goal, organisation, lemgo, DeadlineStatus.OPEN, 3, due=dt.date(2026, 3, 1))
    # No municipality recorded: 7 in time on the day.
    _rows(goal, organisation, None, DeadlineStatus.MET, 7, days=0)
    # Counted from 2025: only without the period filter.
    _rows(goal, organisation, detmold, DeadlineStatus.MET, 1, days=3, start=dt.date(2025, 5, 1))
    # Another Träger's deadlines are never counted.
    other_goal = Goal.objects.create(traeger=OrganisationFactory().traeger, key="x", title="x")
    _rows(other_goal, OrganisationFactory(traeger=other_goal.traeger), None, "met", 1, days=1)
    return goal, detmold, lemgo


def test_region_and_municipality_counts(world):
    goal, detmold, lemgo = world

    result = compliance_for_goals(goal.traeger_id, [goal.pk], today=TODAY, year=2026)[goal.pk]

    assert result.region.counts == {
        "met_in_time": 15,
        "met_late": 5,
        "open": 5,
        "overdue": 8,
        "before_case": 5,
    }
    assert result.region.raw_rate == pytest.approx(15 / 28)
    assert result.region.rate.text == "54\u00a0%"
    # 0×7, 5×6, 10×2, 20×5: the 10th and 11th of 20 values are both 5.
    assert result.region.median_days == 5
    rows = {row.label: row for row in result.municipalities}
    assert list(rows) == ["Detmold", "Lemgo", ""]
    assert rows["Detmold"].counts == {
        "met_in_time": 6,
        "met_late": 5,
        "open": 5,
        "overdue": 5,
        "before_case": 5,
    }
    assert rows["Detmold"].median_days == 5  # 5×6, 20×5
    assert rows["Lemgo"].counts["overdue"] == 3
    assert rows[""].median_days == 0
    assert rows[""].rate.text == "100\u00a0%"


def test_period_filter_and_no_filter(world):
    goal, *_ = world

    everything = compliance_for_goals(goal.traeger_id, [goal.pk], today=TODAY)[goal.pk]

    assert everything.region.counts["met_in_time"] == 16


def test_small_cells_are_suppressed_and_complemented(world):
    goal, *_ = world

    result = compliance_for_goals(goal.traeger_id, [goal.pk], today=TODAY, year=2026)[goal.pk]

    rows = {row.label: row for row in result.municipalities}
    lemgo, detmold, unknown = rows["Lemgo"], rows["Detmold"], rows[""]
    # Lemgo's 2 and 3 are below 5.
    assert lemgo.cells["met_in_time"].text == "< 5"
    assert lemgo.cells["overdue"].text == "< 5"
    assert lemgo.cells["met_late"].text == "0"
    # Lemgo's 2 alone could be recovered from the region's 15: Detmold's 6 (the next smallest
    # of the column) is hidden too; likewise Detmold's 5 overdue next to Lemgo's 3.
    assert detmold.cells["met_in_time"].text == "×"
    assert detmold.cells["overdue"].text == "×"
    assert unknown.cells["met_in_time"].text == "7"
    assert detmold.cells["met_late"].text == "5"
    # Rates built on hidden counts and medians of fewer than 5 met are not shown.
    assert detmold.rate.text == "×" and lemgo.rate.text == "×"
    assert lemgo.median.text == "×"
    assert detmold.median.text == "5"
    # The region shows everything (all its cells are 5 or more).
    assert [cell.text for cell in result.region.cell_list()] == ["15", "5", "5", "8", "5"]
    assert "2" not in [cell.text for row in result.municipalities for cell in row.cell_list()]


def test_threshold_is_a_setting(world, settings):
    goal, *_ = world
    settings.PORTAL_SUPPRESSION_THRESHOLD = 3

    result = compliance_for_goals(goal.traeger_id, [goal.pk], today=TODAY, year=2026)[goal.pk]

    lemgo = next(row for row in result.municipalities if row.label == "Lemgo")
    assert lemgo.cells["met_in_time"].text == "< 3"
    assert lemgo.cells["overdue"].text == "3"


def test_queries_do_not_grow_with_goals_or_municipalities(
    traeger, organisation, django_assert_num_queries
):
    goals = []
    for number in range(3):
        goal = Goal.objects.create(
            traeger=traeger, key=f"g{number}", title=f"Ziel {number}", deadline_rule={"x": 1}
        )
        goals.append(goal)
        for index in range(3):
            municipality = MunicipalityFactory(traeger=traeger)
            _rows(goal, organisation, municipality, DeadlineStatus.MET, 1 + index, days=index)
    # Counts, the medians (one histogram on SQLite; by area and by goal on PostgreSQL), names.
    expected = 4 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(expected):
        compliance_for_goals(traeger.pk, [g.pk for g in goals[:1]], today=TODAY)
    with django_assert_num_queries(expected):
        compliance_for_goals(traeger.pk, [g.pk for g in goals], today=TODAY)


@pytest.mark.parametrize(
    ("histogram", "median"),
    [({5: 3}, 5), ({1: 1, 3: 1}, 2), ({1: 1, 2: 1, 10: 1}, 2), ({0: 7, 5: 6, 10: 2, 20: 5}, 5)],
)
def test_median_of_a_histogram(histogram, median):
    assert median_of_histogram(histogram) == median
