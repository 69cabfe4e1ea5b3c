"""Generate a large dataset and measure the Fristen worklist (issue 14).

Usage (a separate PostgreSQL database; never the development one)::

    createdb -h 127.0.0.1 -U postgres lotse_bench
    DATABASE_URL=postgres://postgres@127.0.0.1/lotse_bench LOTSE_TESTING=1 \\
        .venv/bin/python benchmarks/worklist.py --persons 100000 [--generate] [--runs 5]

``--generate`` migrates and fills a new, empty database: ``--traeger`` Träger (default 10) of
equal size, one post per 1,000 persons, households of three, a case for every household head
(85 % closed, over ten years), four goal deadlines per person (10 % open around today). Rows are
cloned from one template row each with ``INSERT … SELECT generate_series`` (explicit ids, foreign
key triggers off during the load), so 1 M persons take a few minutes.

The measurement runs the worklist page of a case manager with about 100 open cases ("mine") and
of the whole team ("alle") with the current selector and with the one before issue 14 (kept
below as ``old_worklist``), prints the median time of ``--runs`` page loads, the number of
queries and the ``EXPLAIN (ANALYZE, BUFFERS)`` execution time and buffers of the slowest SQL
statement of each (``BENCH_PLANS=1`` prints its plan). Buffers do not depend on the machine's
load; times do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Exists, OuterRef, Q, Subquery  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from lotse.accounts.models import RoleAssignment, User  # noqa: E402
from lotse.cases.models import Case, Phase  # noqa: E402
from lotse.core.access import Role  # noqa: E402
from lotse.core.pagination import keyset_page  # noqa: E402
from lotse.deadlines import selectors  # noqa: E402
from lotse.deadlines.models import PersonGoalDeadline  # noqa: E402
from lotse.directory.models import CaseManagementPost, Goal  # noqa: E402
from lotse.people.models import Household, Person  # noqa: E402
from lotse.tenancy.models import Traeger  # noqa: E402

TODAY = dt.date(2026, 12, 7)
PERSONS_PER_POST = 1000
GOALS = 4


def _columns(model: Any) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _clone(model: Any, template_id: int, series: str, overrides: dict[str, str]) -> None:
    """INSERT INTO model SELECT the template row with ``overrides`` (SQL over ``g``)."""
    table = model._meta.db_table
    columns = _columns(model)
    select = [overrides.get(column, f't."{column}"') for column in columns]
    names = ", ".join(f'"{c}"' for c in columns)
    sql = (
        f'INSERT INTO "{table}" ({names}) '  # noqa: S608
        f'SELECT {", ".join(select)} FROM "{table}" t, {series} '
        f"WHERE t.id = {template_id}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def generate(persons: int, traeger_count: int) -> None:
    from tests.factories import (
        CaseFactory,
        OrganisationFactory,
        PersonFactory,
        ProgrammeFactory,
        TraegerFactory,
    )

    call_command("migrate", verbosity=0)
    if Traeger.objects.exists():
        raise SystemExit("--generate needs a new, empty database (dropdb/createdb).")
    per_traeger = max(3, persons // traeger_count // 3 * 3)
    posts_per_traeger = max(1, per_traeger // PERSONS_PER_POST)
    start = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        plan = []
        for t in range(traeger_count):
            traeger = TraegerFactory(slug=f"bench-{t}", name=f"Bench-Träger {t}")
            organisation = OrganisationFactory(traeger=traeger)
            programme = ProgrammeFactory(traeger=traeger)
            posts = []
            for p in range(posts_per_traeger):
                user = User.objects.create(
                    username=f"cm-{t}-{p}",
                    first_name="Erika",
                    last_name=f"Muster{t}-{p}",
                    traeger=traeger,
                    organisation=organisation,
                )
                RoleAssignment.objects.create(user=user, role=Role.CASE_MANAGEMENT)
                posts.append(
                    CaseManagementPost.objects.create(
                        traeger=traeger,
                        key=f"post-{p}",
                        name=f"Stelle {p}",
                        programme=programme,
                        organisation=organisation,
                        holder=user,
                    )
                )
            goals = [
                Goal.objects.create(
                    traeger=traeger, key=f"ziel-{k}", code=f"Z{k}", title=f"Ziel {k}", sort_order=k
                )
                for k in range(GOALS)
            ]
            plan.append((traeger, organisation, programme, posts, goals))
        traeger0, organisation0, programme0, posts0, goals0 = plan[0]
        household = Household.objects.create(traeger=traeger0)
        person = PersonFactory(traeger=traeger0, organisation=organisation0, post=posts0[0])
        case = CaseFactory(
            traeger=traeger0,
            organisation=organisation0,
            person=person,
            programme=programme0,
            post=posts0[0],
        )
        deadline = PersonGoalDeadline.objects.create(
            traeger=traeger0,
            person=person,
            goal=goals0[0],
            due_on=TODAY,
            computed_at=timezone.now(),
        )
        base = 1_000_000  # explicit ids above the template rows
        for t, (traeger, organisation, programme, posts, goals) in enumerate(plan):
            first, last = t * per_traeger + 1, (t + 1) * per_traeger
            series = f"generate_series({first}, {last}) g"
            post_ids = ",".join(str(p.pk) for p in posts)
            holder_ids = ",".join(str(p.holder_id) for p in posts)
            goal_ids = [g.pk for g in goals]
            post_of = f"(ARRAY[{post_ids}])[1 + ((g / 3) % {len(posts)})]"
            holder_of = f"(ARRAY[{holder_ids}])[1 + ((g / 3) % {len(posts)})]"
            _clone(
                Household,
                household.pk,
                f"generate_series({first}, {last}, 3) g",
                {"id": f"{base} + g / 3", "traeger_id": str(traeger.pk)},
            )
            _clone(
                Person,
                person.pk,
                series,
                {
                    "id": f"{base} + g",
                    "traeger_id": str(traeger.pk),
                    "organisation_id": str(organisation.pk),
                    "post_id": post_of,
                    "household_id": f"{base} + g / 3",
                    "household_role": "CASE WHEN g % 3 = 0 THEN 'head' ELSE 'child' END",
                    "last_name": "'Name' || (g % 5000)",
                    "first_name": "'Vorname' || (g % 97)",
                    "search_name": "'vorname' || (g % 97) || ' name' || (g % 5000)",
                    "external_key": "''",
                    "date_of_birth": "DATE '1960-01-01' + (g % 20000)",
                    "registered_on": f"DATE '{TODAY}' - (g % 3650)",
                },
            )
            _clone(
                Case,
                case.pk,
                f"generate_series({first + 2}, {last}, 3) g",  # g % 3 = 0 within the chunk
                {
                    "id": f"{base} + g",
                    "traeger_id": str(traeger.pk),
                    "organisation_id": str(organisation.pk),
                    "programme_id": str(programme.pk),
                    "person_id": f"{base} + g",
                    "post_id": post_of,
                    "case_manager_id": holder_of,
                    "reference": "'B-' || g",
                    "phase": f"CASE WHEN g % 20 < 17 THEN '{Phase.CLOSED}' ELSE '{Phase.INTAKE}' END",
                    "opened_on": f"DATE '{TODAY}' - (g % 3650)",
                },
            )
            for k, goal_id in enumerate(goal_ids):
                _clone(
                    PersonGoalDeadline,
                    deadline.pk,
                    series,
                    {
                        "id": f"{base} * {GOALS + 1} + g * {GOALS} + {k}",
                        "traeger_id": str(traeger.pk),
                        "person_id": f"{base} + g",
                        "goal_id": str(goal_id),
                        "status": f"CASE WHEN (g + {k}) % 10 = 0 THEN 'open' "
                        f"WHEN (g + {k}) % 10 < 7 THEN 'met' ELSE 'not_applicable' END",
                        "due_on": f"DATE '{TODAY}' - 365 + ((g * 7 + {k} * 31) % 730)",
                        "met_on": f"CASE WHEN (g + {k}) % 10 BETWEEN 1 AND 6 THEN DATE '{TODAY}' - (g % 3650) END",
                    },
                )
        with connection.cursor() as cursor:
            for model in (Household, Person, Case, PersonGoalDeadline):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f'(SELECT max(id) FROM "{table}"))'
                )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"generated {persons:,} persons in {time.monotonic() - start:.0f} s", flush=True)


def old_worklist(user: Any, *, filters: Any, today: dt.date) -> tuple[Any, list[str]]:
    """The selector before issue 14 (correlated OR subquery per row, no Träger on the join)."""
    queryset = selectors.deadline_queryset_for_user(user)
    if filters.mine:
        cases = selectors._responsible_cases(user)
        queryset = queryset.filter(
            Exists(cases.filter(person_id=OuterRef("person_id")))
            | Exists(
                cases.filter(
                    person__household_id=OuterRef("person__household_id"),
                    person__household_id__isnull=False,
                )
            )
        )
    queryset = queryset.filter(status="open", due_on__isnull=False)
    responsible = (
        Case.objects.filter(traeger_id=user.traeger_id)
        .exclude(phase=Phase.CLOSED)
        .filter(
            Q(person_id=OuterRef("person_id"))
            | Q(
                person__household_id=OuterRef("person__household_id"),
                person__household_id__isnull=False,
            )
        )
        .exclude(case_manager__isnull=True)
        .order_by("-opened_on", "-id")
    )
    queryset = queryset.select_related("goal", "person").annotate(
        responsible_first=Subquery(responsible.values("case_manager__first_name")[:1]),
        responsible_last=Subquery(responsible.values("case_manager__last_name")[:1]),
    )
    return queryset, ["due_on", "id"]


def old_page(user: Any, filters: Any) -> Any:
    queryset, order = old_worklist(user, filters=filters, today=TODAY)
    # the old OR-chain keyset condition is irrelevant on page 1
    return keyset_page(queryset, order=order, cursor=None)


def new_page(user: Any, filters: Any) -> Any:
    return selectors.worklist_page_for_user(user, filters=filters, today=TODAY, cursor=None)


def measure(label: str, load: Any, runs: int) -> None:
    load()  # warm the caches
    timings = []
    for _ in range(runs):
        begin = time.perf_counter()
        page = load()
        timings.append((time.perf_counter() - begin) * 1000)
    with CaptureQueriesContext(connection) as captured:
        load()
    worst = 0.0
    worst_plan = ""
    for query in captured.captured_queries:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        executed = float(plan.rsplit("Execution Time: ", 1)[1].split(" ")[0])
        if executed >= worst:
            worst, worst_plan = executed, plan
    buffers = next(
        (line.split("Buffers: ", 1)[1] for line in worst_plan.splitlines() if "Buffers: " in line),
        "",
    )
    print(
        f"{label:<28} median {statistics.median(timings):9.1f} ms  "
        f"queries {len(captured.captured_queries):2d}  slowest SQL {worst:9.1f} ms  "
        f"({buffers})  rows {len(page.items)}",
        flush=True,
    )
    if os.environ.get("BENCH_PLANS"):
        print(worst_plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--traeger", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--only-new", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].endswith("bench"):
        raise SystemExit("Run against a PostgreSQL database whose name ends in 'bench'.")
    if args.generate:
        generate(args.persons, args.traeger)
    user = User.objects.get(username="cm-0-0")
    print(
        f"persons {Person.objects.count():,}  cases {Case.objects.count():,}  "
        f"deadlines {PersonGoalDeadline.objects.count():,}  "
        f"open cases of the user {selectors._responsible_cases(user).count()}",
        flush=True,
    )
    for mine in (True, False):
        filters = selectors.WorklistFilter(mine=mine)
        scope = "mine" if mine else "team"
        measure(f"worklist {scope} (new)", lambda f=filters: new_page(user, f), args.runs)
        if not args.only_new:
            measure(f"worklist {scope} (before)", lambda f=filters: old_page(user, f), args.runs)


if __name__ == "__main__":
    main()
