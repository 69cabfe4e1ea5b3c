"""The import's run costs a fixed number of queries per row (issue 14), and still writes,
audits and recomputes deadlines for every row; the dry run's duplicate check of many rows
answers as the check of each row alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.audit.models import AuditEntry
from lotse.deadlines.models import PersonGoalDeadline
from lotse.directory.models import Goal
from lotse.people.duplicates import Entry, likely_duplicates, likely_duplicates_many
from lotse.people.models import Person
from lotse.spreadsheets import services
from lotse.spreadsheets.models import ImportJob
from tests.factories import PersonFactory
from tests.spreadsheets.conftest import HEADERS, upload, uploaded, xlsx_bytes

pytestmark = pytest.mark.django_db

SURNAMES = [
    "Haddad", "Petrenko", "Rahimi", "Yilmaz", "Kowalski", "Nguyen", "Okafor", "Berisha",
    "Popescu", "Hussaini", "Tesfaye", "Mensah", "Dimitrov", "Karimi", "Osei", "Novak",
    "Sahin", "Ivanova", "Abdi", "Lopez", "Morina", "Jovanovic", "Amini", "Diallo",
]  # fmt: skip
#: Queries per row of the run (new person, residence status, case): key lookup, duplicate
#: check (two), existence of the key, person, status, case and its reference, three audit
#: entries, the deadline recomputation, savepoints (63 before issue 14's import round).
QUERIES_PER_ROW = 28


def _rows(region, first: int, count: int) -> list[list[str]]:
    return [
        [
            f"Q-{first + n}",
            SURNAMES[first + n],
            "Amal",
            "12.03.1990",
            "w",
            "syrisch",
            "Arabisch",
            "Detmold",
            "01.10.2025",
            "Aufenthaltsgestattung",
            "",
            "Geflüchtete",
            "Case Management",
            "02.10.2025",
        ]
        for n in range(count)
    ]


def _run_queries(case_manager, region, capture, *, first: int, count: int) -> int:
    job = uploaded(
        actor=case_manager,
        upload=upload("l.xlsx", xlsx_bytes(_rows(region, first, count), HEADERS)),
    )
    assert job.status == ImportJob.Status.CHECKED and job.valid_rows == count, job.report
    with capture(execute=False):
        services.import_confirm(actor=case_manager, job=job)
    with CaptureQueriesContext(connection) as queries:
        services.import_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.failed_count) == ("finished", count, 0)
    return len(queries.captured_queries)


def test_the_run_costs_the_same_queries_for_every_row(
    case_manager, region, traeger, django_capture_on_commit_callbacks
):
    goal = Goal.objects.create(
        traeger=traeger,
        key="kurs",
        title="Kurs",
        deadline_rule={"from": "registration", "within": 3, "unit": "days"},
    )
    rows = 4
    small = _run_queries(
        case_manager, region, django_capture_on_commit_callbacks, first=0, count=rows
    )
    large = _run_queries(
        case_manager, region, django_capture_on_commit_callbacks, first=rows, count=2 * rows
    )
    assert large - small <= (QUERIES_PER_ROW + 2) * rows, (small, large)

    persons = Person.objects.filter(external_key__startswith="Q-")
    assert persons.count() == 3 * rows
    # Every row: its audit entries (person, status, case), and its deadlines computed once
    # on the final state (the case is open, the status recorded).
    for person in persons:
        entries = AuditEntry.objects.filter(person_id=person.pk)
        assert sorted(entries.values_list("object_type", "action")) == [
            ("case", "create"),
            ("person", "create"),
            ("person", "update"),
        ]
        deadline = PersonGoalDeadline.objects.get(person=person, goal=goal)
        assert deadline.due_on == dt.date(2025, 10, 4)


def test_the_duplicates_of_many_rows_are_those_of_each_row(case_manager, traeger):
    seen = PersonFactory(
        traeger=traeger,
        last_name="Haddad",
        first_name="Amina",
        date_of_birth=dt.date(1990, 5, 17),
    )
    PersonFactory(traeger=traeger, last_name="Amina", first_name="Haddad", date_of_birth=None)
    PersonFactory(
        traeger=traeger, last_name="Rahimi", first_name="Farid", date_of_birth=dt.date(2001, 3, 7)
    )
    PersonFactory(
        traeger=traeger, last_name="Rahimi", first_name="Farid", date_of_birth=dt.date(1970, 1, 1)
    )
    entries = [
        Entry("Amina", "Hadad", dt.date(1990, 1, 1)),  # same year, a variant spelling
        Entry("Haddad", "Amina", None),  # swapped names, no date
        Entry("Farid", "Rahimi", dt.date(2001, 7, 3)),  # day and month swapped
        Entry("Farid", "Rahimi", dt.date(1985, 7, 3)),  # another year: not the 1970 one
        Entry("Olena", "Petrenko", dt.date(1985, 3, 2)),  # nobody
        Entry("", "", None),  # no name keys
    ]
    many = likely_duplicates_many(case_manager, entries)
    single = [
        likely_duplicates(
            case_manager,
            first_name=e.first_name,
            last_name=e.last_name,
            date_of_birth=e.date_of_birth,
        )
        for e in entries
    ]
    assert many == single
    assert [check.any for check in many] == [True, True, True, False, False, False]
    assert seen.pk in many[0].all_ids
