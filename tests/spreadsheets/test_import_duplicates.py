"""Likely duplicates in the import: listed at their row by the dry run, imported only with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.people.models import DistinctPersonConfirmation, Person
from lotse.spreadsheets import services
from lotse.spreadsheets.importing import issue_message
from tests.factories import OrganisationFactory, PersonFactory
from tests.spreadsheets.conftest import csv_bytes, upload, uploaded

pytestmark = pytest.mark.django_db

HEADERS = ["Nr.", "Name", "Vorname", "Geburtsdatum"]


@pytest.fixture
def haddad(traeger, organisation):
    return PersonFactory(
        traeger=traeger,
        organisation=organisation,
        first_name="Mohammed",
        last_name="Haddad",
        date_of_birth=dt.date(1990, 5, 17),
        external_key="alt-1",
    )


def test_the_dry_run_lists_a_likely_duplicate_at_its_row(case_manager, region, haddad):
    rows = [["N-1", "Hadad", "Muhammad", "17.05.1990"], ["N-2", "Nouri", "Leyla", "04.03.1985"]]
    job = uploaded(actor=case_manager, upload=upload("l.csv", csv_bytes(rows, HEADERS)))

    assert job.report["would_create"] == 1
    [issue] = job.report["issues"]
    assert (issue["row"], issue["column"], issue["code"]) == (2, "Name", "likely_duplicate")
    assert issue_message(issue) == (
        f"Zeile 2, Spalte „Name“: Diese Person ist wahrscheinlich schon erfasst (Person Nr. "
        f"{haddad.pk}). Die Zeile wird nicht importiert; ist es eine andere Person, geben Sie "
        "den Grund in der Spalte „Andere Person: Begründung“ an."
    )


def test_outside_the_team_the_row_gets_only_the_bare_hint(case_manager, region, haddad, traeger):
    Person.objects.filter(pk=haddad.pk).update(
        organisation=OrganisationFactory(traeger=traeger), post=None
    )
    rows = [["N-1", "Haddad", "Mohamed", "1990-05-17"]]
    job = uploaded(actor=case_manager, upload=upload("l.csv", csv_bytes(rows, HEADERS)))

    [issue] = job.report["issues"]
    assert issue["code"] == "likely_duplicate_elsewhere"
    assert str(haddad.pk) not in issue_message(issue)


def test_a_row_with_a_reason_is_imported_and_the_reason_kept(
    case_manager, region, haddad, django_capture_on_commit_callbacks
):
    headers = [*HEADERS, "Andere Person: Begründung"]
    rows = [["N-1", "Hadad", "Muhammad", "17.05.1990", "Anderer Vater laut Pass"]]
    job = uploaded(actor=case_manager, upload=upload("l.csv", csv_bytes(rows, headers)))
    assert job.mapping["distinct_reason"] == "Andere Person: Begründung"
    assert job.report["issues"] == [] and job.report["would_create"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(actor=case_manager, job=job)
    created = Person.objects.get(external_key="N-1")
    assert DistinctPersonConfirmation.objects.get(person=created).reason == (
        "Anderer Vater laut Pass"
    )


def test_names_are_cleaned_in_the_import(case_manager, region, django_capture_on_commit_callbacks):
    rows = [["N-1", "Nou\u200bri", "\u202eLeyla", "04.03.1985"]]
    data = csv_bytes(rows, HEADERS, encoding="utf-8")
    job = uploaded(actor=case_manager, upload=upload("l.csv", data))
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(actor=case_manager, job=job)
    assert Person.objects.filter(first_name="Leyla", last_name="Nouri").exists()
