"""Live compliance of the goals with a deadline rule, aggregated for the portal.

Everything here is an SQL aggregate over ``deadlines.PersonGoalDeadline`` (one row per person
and goal), grouped by goal and by the person's municipality of residence
(``people.Person.municipality``, a plain foreign key to the configured municipalities, not an
encrypted field). No row of a person is ever loaded into Python:

* the counts come from one ``GROUP BY goal, municipality`` query with conditional ``COUNT``s;
* the median of the days from ``start_on`` to ``met_on`` (of the met deadlines) is computed in
  SQL on PostgreSQL (``percentile_cont(0.5) WITHIN GROUP``, grouped by goal and municipality,
  and by goal for the region); on SQLite (development, tests) from a grouped histogram
  (``GROUP BY goal, municipality, days`` with a count), whose size is bounded by the distinct
  day counts, not by the persons.

Small cells are suppressed before anything reaches a template: a count of 1 to
``threshold - 1`` (setting ``PORTAL_SUPPRESSION_THRESHOLD``, default 5) is shown as "< 5"; a
group with fewer than ``threshold`` persons (for the median: met deadlines; for the rate: met
and overdue ones) shows no rate and no median; where exactly
one municipality cell of a column is suppressed, the next smallest cell of that column is
suppressed too, so that the suppressed cell cannot be recovered from the region total; and a
rate whose counts are suppressed is suppressed as well (it could be solved back to them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils.formats import number_format

from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.directory.models import Municipality

#: The count columns, in the order of the page's table.
COLUMNS = ("met_in_time", "met_late", "open", "overdue", "before_case")
#: The counts a rate is computed from.
RATE_COLUMNS = ("met_in_time", "met_late", "overdue")

DEFAULT_THRESHOLD = 5


def suppression_threshold() -> int:
    return int(getattr(settings, "PORTAL_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))


class _DaysBetween(Func):
    """Whole days from the second date to the first (``met_on - start_on``)."""

    template = "(%(expressions)s)"  # PostgreSQL: date - date is an integer
    arg_joiner = " - "
    output_field = IntegerField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class _Median(Aggregate):
    """PostgreSQL's ordered-set aggregate for the median."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class Cell:
    """One shown number: the value, or why it is not shown."""

    value: int | float | None
    suppressed: bool = False  # 1 … threshold-1: shown as "< threshold"
    secondary: bool = False  # suppressed so that another cell cannot be recovered
    kind: str = "count"  # count | rate | days
    threshold: int = DEFAULT_THRESHOLD

    @property
    def hidden(self) -> bool:
        return self.suppressed or self.secondary

    @property
    def text(self) -> str:
        """What the page shows: the number, "< 5", "×" (suppressed) or "–" (nothing to show)."""
        if self.secondary or (self.hidden and self.kind != "count"):
            return "×"
        if self.suppressed:
            return f"< {self.threshold}"
        if self.value is None:
            return "–"
        if self.kind == "rate":
            return f"{number_format(round(float(self.value) * 100))}\u00a0%"
        if self.kind == "days":
            return str(number_format(self.value, decimal_pos=1 if self.value % 1 else 0))
        return str(number_format(self.value))


@dataclass
class Row:
    """The compliance of one goal in one area (the region or a municipality)."""

    label: str
    municipality_id: int | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    median_days: float | None = None
    cells: dict[str, Cell] = field(default_factory=dict)
    rate: Cell = field(default_factory=lambda: Cell(None))
    median: Cell = field(default_factory=lambda: Cell(None))

    @property
    def persons(self) -> int:
        return sum(self.counts.values())

    @property
    def raw_rate(self) -> float | None:
        met = self.counts["met_in_time"] + self.counts["met_late"]
        denominator = met + self.counts["overdue"]
        return self.counts["met_in_time"] / denominator if denominator else None

    def cell_list(self) -> list[Cell]:
        return [self.cells[name] for name in COLUMNS]


@dataclass
class GoalCompliance:
    region: Row
    municipalities: list[Row]
    threshold: int

    @property
    def persons(self) -> int:
        return self.region.persons


def _base(traeger_id: int, goal_ids: Iterable[int], year: int | None) -> QuerySet[Any]:
    rows = PersonGoalDeadline.objects.filter(traeger_id=traeger_id, goal_id__in=list(goal_ids))
    if year is not None:
        rows = rows.filter(start_on__year=year)
    return rows.exclude(status=DeadlineStatus.NOT_APPLICABLE)


def _counts(base: QuerySet[Any], today: dt.date) -> QuerySet[Any]:
    met = Q(status=DeadlineStatus.MET)
    late = met & Q(met_on__isnull=False, due_on__isnull=False, met_on__gt=F("due_on"))
    overdue = Q(status=DeadlineStatus.OPEN, due_on__lt=today)
    return (
        base.order_by()
        .values("goal_id", "person__municipality_id")
        .annotate(
            met_in_time=Count("id", filter=met & ~late),
            met_late=Count("id", filter=late),
            # Open: not yet due, or without a computable due date.
            open=Count("id", filter=Q(status=DeadlineStatus.OPEN) & ~overdue),
            overdue=Count("id", filter=overdue),
            before_case=Count("id", filter=Q(status=DeadlineStatus.BEFORE_CASE)),
        )
    )


def _met_with_days(base: QuerySet[Any]) -> QuerySet[Any]:
    return base.filter(
        status=DeadlineStatus.MET, met_on__isnull=False, start_on__isnull=False
    ).order_by()


def _medians(
    base: QuerySet[Any],
) -> tuple[dict[tuple[int, int | None], float], dict[int, float]]:
    """Median days per (goal, municipality) and per goal; three queries at most."""
    met = _met_with_days(base)
    days = _DaysBetween(F("met_on"), F("start_on"))
    if connection.vendor == "postgresql":
        by_area = {
            (r["goal_id"], r["person__municipality_id"]): r["median"]
            for r in met.values("goal_id", "person__municipality_id").annotate(median=_Median(days))
        }
        by_goal = {
            r["goal_id"]: r["median"] for r in met.values("goal_id").annotate(median=_Median(days))
        }
        return by_area, by_goal
    # Elsewhere: a histogram of day counts per goal and municipality, median in Python.
    area_hist: dict[tuple[int, int | None], dict[int, int]] = defaultdict(dict)
    goal_hist: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r in (
        met.annotate(days=days)
        .values("goal_id", "person__municipality_id", "days")
        .annotate(n=Count("id"))
    ):
        area_hist[r["goal_id"], r["person__municipality_id"]][r["days"]] = r["n"]
        goal_hist[r["goal_id"]][r["days"]] += r["n"]
    return (
        {key: median_of_histogram(h) for key, h in area_hist.items()},
        {key: median_of_histogram(h) for key, h in goal_hist.items()},
    )


def median_of_histogram(histogram: dict[int, int]) -> float:
    """The median of values given as {value: how often} (as percentile_cont(0.5) does)."""
    total = sum(histogram.values())
    if not total:
        raise ValueError("empty histogram")
    wanted = [(total - 1) // 2, total // 2]  # 0-based ranks of the middle value(s)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        while len(found) < 2 and wanted[len(found)] < seen + count:
            found.append(value)
        seen += count
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def compliance_for_goals(
    traeger_id: int,
    goal_ids: Iterable[int],
    *,
    today: dt.date,
    year: int | None = None,
    per_municipality: bool = True,
) -> dict[int, GoalCompliance]:
    """The compliance of each goal for the region and per municipality (constant queries)."""
    goal_ids = list(goal_ids)
    if not goal_ids:
        return {}
    threshold = suppression_threshold()
    base = _base(traeger_id, goal_ids, year)
    areas: dict[int, dict[int | None, Row]] = defaultdict(dict)
    for r in _counts(base, today):
        row = Row(label="", municipality_id=r["person__municipality_id"])
        row.counts = {name: r[name] for name in COLUMNS}
        areas[r["goal_id"]][r["person__municipality_id"]] = row
    by_area, by_goal = _medians(base)
    names: dict[int | None, str] = {}
    if per_municipality:
        ids = {m for rows in areas.values() for m in rows if m is not None}
        names = dict(
            Municipality.objects.filter(traeger_id=traeger_id, pk__in=ids).values_list("pk", "name")
        )
    result: dict[int, GoalCompliance] = {}
    for goal_id in goal_ids:
        rows = areas.get(goal_id, {})
        region = Row(label="", municipality_id=None)
        for row in rows.values():
            for name in COLUMNS:
                region.counts[name] += row.counts[name]
        region.median_days = by_goal.get(goal_id)
        municipalities: list[Row] = []
        if per_municipality:
            for municipality_id, row in rows.items():
                row.label = names.get(municipality_id, "") if municipality_id else ""
                row.median_days = by_area.get((goal_id, municipality_id))
                municipalities.append(row)
            # Named municipalities alphabetically, "no municipality recorded" last.
            municipalities.sort(key=lambda r: (r.municipality_id is None, r.label))
        suppress(region, municipalities, threshold)
        result[goal_id] = GoalCompliance(region, municipalities, threshold)
    return result


def _primary(value: int, threshold: int) -> Cell:
    return Cell(value, suppressed=0 < value < threshold, threshold=threshold)


def suppress(region: Row, municipalities: list[Row], threshold: int) -> None:
    """Fill the rows' cells with the small-cell suppression applied (see the module doc)."""
    for row in [region, *municipalities]:
        row.cells = {name: _primary(row.counts[name], threshold) for name in COLUMNS}
    # Complementary suppression per column: one hidden cell alone could be recovered from the
    # region total, so hide the next smallest cell (with a value) of the column as well.
    for name in COLUMNS:
        column = [row.cells[name] for row in municipalities]
        if sum(1 for cell in column if cell.hidden) == 1:
            candidates = [cell for cell in column if not cell.hidden and cell.value]
            if candidates:
                min(candidates, key=lambda cell: int(cell.value or 0)).secondary = True
    for row in [region, *municipalities]:
        met = row.counts["met_in_time"] + row.counts["met_late"]
        small = row.persons < threshold or met < threshold
        rate_hidden = (
            row.persons < threshold
            or met + row.counts["overdue"] < threshold
            or any(row.cells[name].hidden for name in RATE_COLUMNS)
        )
        row.rate = Cell(
            None if rate_hidden else row.raw_rate, rate_hidden, kind="rate", threshold=threshold
        )
        row.median = Cell(
            None if small else row.median_days, small, kind="days", threshold=threshold
        )
