"""The import: dry run, confirmation, background run, re-import, audit, file deletion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.cases.models import Case
from lotse.people.models import Person, ResidenceStatusRecord
from lotse.spreadsheets import services
from lotse.spreadsheets.importing import issue_message
from lotse.spreadsheets.models import ImportJob
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.spreadsheets.conftest import (
    HEADERS,
    checked,
    csv_bytes,
    good_rows,
    upload,
    uploaded,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def run_import(job, actor, capture):
    with capture(execute=True):
        services.import_confirm(actor=actor, job=job)
    job.refresh_from_db()
    return job


def issues_by_row(job) -> dict[int, set[tuple[str, str]]]:
    found: dict[int, set[tuple[str, str]]] = {}
    for issue in job.report["issues"]:
        found.setdefault(issue["row"], set()).add((issue["column"], issue["code"]))
    return found


def test_a_good_file_is_checked_and_nothing_is_stored_before_confirming(case_manager, region):
    job = uploaded(actor=case_manager, upload=upload("liste.xlsx", xlsx_bytes(good_rows())))

    assert job.status == ImportJob.Status.CHECKED
    assert job.mapping["external_key"] == "Aktenzeichen/ID"
    assert job.mapping["registered_on"] == "Datum Zuzug/Anmeldung"
    assert job.report["issues"] == []
    assert (job.total_rows, job.valid_rows) == (3, 3)
    assert job.report["would_create"] == 3
    assert Person.objects.count() == 0
    assert Case.objects.count() == 0


def test_the_dry_run_lists_every_bad_row_and_column(case_manager, region):
    rows = good_rows()
    rows[0][3] = "31.02.1990"  # row 2: no such date
    rows[1][7] = "Bielefeld"  # row 3: not a municipality of the region
    rows[1][9] = "Niederlassungserlaubnis"  # row 3: unknown status
    rows[2][0] = "A-1"  # row 4: same key as row 2
    rows[2][12] = "Unbekanntes Programm"
    rows.append(["A-9", "", "Lina", "gestern", "q", "", "", "", "01.01.2099", "", "", "", "", ""])
    job = uploaded(actor=case_manager, upload=upload("liste.xlsx", xlsx_bytes(rows)))

    assert issues_by_row(job) == {
        2: {("Geburtsdatum", "invalid_date")},
        3: {("Wohnort/Gemeinde", "unknown_municipality"), ("Aufenthaltsstatus", "unknown_status")},
        4: {("Aktenzeichen/ID", "duplicate_key"), ("Programm", "unknown_programme")},
        5: {
            ("Name", "required"),
            ("Geburtsdatum", "invalid_date"),
            ("Geschlecht", "unknown_sex"),
            ("Datum Zuzug/Anmeldung", "date_in_future"),
        },
    }
    duplicate = next(i for i in job.report["issues"] if i["code"] == "duplicate_key")
    assert duplicate["params"] == {"first_row": 2}
    assert (job.total_rows, job.valid_rows) == (4, 0)
    assert not job.can_confirm
    with pytest.raises(ValidationError):
        services.import_confirm(actor=case_manager, job=job)
    assert Person.objects.count() == 0


def test_issue_messages_name_row_and_column(case_manager, region):
    from lotse.spreadsheets.importing import issue_message

    rows = good_rows()
    rows[0][3] = "31.02.1990"
    job = uploaded(actor=case_manager, upload=upload("liste.xlsx", xlsx_bytes(rows)))

    message = issue_message(job.report["issues"][0])

    assert "2" in message and "Geburtsdatum" in message


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("liste.xlsx", b"", "empty"),
        ("liste.csv", b"   \r\n", "empty"),
        ("liste.xlsx", b"PK\x03\x04 this is no zip archive", "broken_xlsx"),
        ("liste.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        ("liste.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "not_spreadsheet"),
        ("liste.csv", "Name;Vorname\r\nM\x81ller;Jan\r\n".encode("latin-1"), "encoding"),
        ("liste.pdf", b"%PDF-1.4", None),
    ],
)
def test_a_broken_file_stores_nothing_and_says_why(
    case_manager, region, settings, name, data, code
):
    with pytest.raises(ValidationError) as raised:
        uploaded(actor=case_manager, upload=upload(name, data))

    assert "file" in raised.value.message_dict
    if code:
        assert raised.value.error_dict["file"][0].code == code
    assert ImportJob.objects.count() == 0
    assert Person.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_file_without_data_rows_fails_in_the_background_and_says_why(case_manager, region):
    job = uploaded(actor=case_manager, upload=upload("liste.csv", b"Name;Vorname\r\n"))

    assert job.status == ImportJob.Status.FAILED
    assert job.report["read_error"]["code"] == "no_rows"
    assert job.report["read_error"]["message"] == "Die Datei enthält keine Datenzeilen."
    assert not job.file and job.file_deleted_at
    assert Person.objects.count() == 0


def test_a_good_file_imported_twice_stores_each_person_once(
    case_manager, region, django_capture_on_commit_callbacks
):
    data = xlsx_bytes(good_rows())
    first = uploaded(actor=case_manager, upload=upload("liste.xlsx", data))
    first = run_import(first, case_manager, django_capture_on_commit_callbacks)

    assert first.status == ImportJob.Status.FINISHED
    assert (first.created_count, first.updated_count, first.unchanged_count) == (3, 0, 0)
    assert first.failed_count == 0
    assert Person.objects.count() == 3
    amina = Person.objects.get(external_key="A-1")
    assert amina.organisation == case_manager.organisation
    assert amina.date_of_birth == dt.date(1990, 5, 17)
    assert amina.registered_on == dt.date(2025, 10, 1)
    assert amina.nationalities == ["SY"] and amina.languages == ["ar"]
    assert amina.municipality == region.detmold and amina.target_group == region.refugees
    status = ResidenceStatusRecord.objects.get(person=amina)
    assert (status.status, status.valid_until) == (region.gestattung, dt.date(2026, 6, 30))
    case = Case.objects.get(person=amina)
    assert (case.programme, case.opened_on, case.case_manager) == (
        region.programme,
        dt.date(2025, 10, 5),
        case_manager,
    )
    assert Person.objects.get(external_key="A-2").languages == ["uk", "ru"]

    second = uploaded(actor=case_manager, upload=upload("liste.xlsx", data))
    assert (second.report["would_create"], second.report["would_keep"]) == (0, 3)
    versions = dict(Person.objects.values_list("external_key", "version"))
    second = run_import(second, case_manager, django_capture_on_commit_callbacks)

    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)
    assert Person.objects.count() == 3
    assert ResidenceStatusRecord.objects.count() == 2
    assert Case.objects.count() == 2
    assert dict(Person.objects.values_list("external_key", "version")) == versions


def test_a_changed_cell_updates_the_person_and_an_empty_cell_erases_nothing(
    case_manager, region, django_capture_on_commit_callbacks
):
    rows = good_rows()
    run_import(
        uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(rows))),
        case_manager,
        django_capture_on_commit_callbacks,
    )
    rows[0][7] = "Lemgo"  # Amina moved
    rows[0][10] = "31.12.2026"  # her Gestattung was extended
    rows[1][3] = ""  # Olena's date of birth missing in the new list

    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(rows)))
    assert (job.report["would_update"], job.report["would_keep"]) == (1, 2)
    job = run_import(job, case_manager, django_capture_on_commit_callbacks)

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 2)
    amina = Person.objects.get(external_key="A-1")
    assert amina.municipality == region.lemgo
    assert amina.version == 2
    assert list(
        ResidenceStatusRecord.objects.filter(person=amina)
        .order_by("-valid_from", "-id")
        .values_list("valid_until", flat=True)
    )[0] == dt.date(2026, 12, 31)
    assert Person.objects.get(external_key="A-2").date_of_birth == dt.date(1985, 3, 2)
    assert Person.objects.count() == 3


def test_csv_with_semicolons_in_windows_1252(
    case_manager, region, django_capture_on_commit_callbacks
):
    rows = good_rows()
    rows[0][1] = "Müller-Lüdenscheidt"
    data = csv_bytes(rows, delimiter=";", encoding="cp1252")

    job = uploaded(actor=case_manager, upload=upload("liste.csv", data))

    assert (job.file_kind, job.encoding, job.delimiter) == ("csv", "cp1252", ";")
    assert job.mapping["nationalities"] == "Staatsangehörigkeit"
    assert job.report["issues"] == []
    run_import(job, case_manager, django_capture_on_commit_callbacks)
    assert Person.objects.get(external_key="A-1").last_name == "Müller-Lüdenscheidt"


@pytest.mark.parametrize(
    ("delimiter", "encoding", "expected"),
    [(",", "utf-8-sig", "utf-8-sig"), (",", "utf-8", "utf-8"), ("\t", "utf-16", "utf-16")],
)
def test_csv_delimiters_and_encodings(case_manager, region, delimiter, encoding, expected):
    rows = good_rows()
    rows[0][1] = "Şahin"
    data = csv_bytes(rows, delimiter=delimiter, encoding=encoding)

    job = uploaded(actor=case_manager, upload=upload("liste.csv", data))

    assert (job.encoding, job.delimiter) == (expected, delimiter)
    assert job.report["issues"] == []
    assert job.valid_rows == 3


def test_excel_dates_serials_and_a_title_row(
    case_manager, region, django_capture_on_commit_callbacks
):
    rows = good_rows()
    rows[0][3] = dt.datetime(1990, 5, 17)  # noqa: DTZ001 - a real (naive) Excel date cell
    rows[1][3] = 31108  # an unformatted serial number: 02.03.1985
    rows[2][3] = "37075"  # a serial that became text in an exported list: 03.07.2001
    rows[1][8] = "15.9.25"  # two-digit year

    job = uploaded(actor=case_manager, upload=upload("liste.xlsx", xlsx_bytes(rows, title_rows=2)))

    assert job.header_row == 3
    assert job.report["issues"] == []
    run_import(job, case_manager, django_capture_on_commit_callbacks)
    births = dict(Person.objects.values_list("external_key", "date_of_birth"))
    assert births == {
        "A-1": dt.date(1990, 5, 17),
        "A-2": dt.date(1985, 3, 2),
        "A-3": dt.date(2001, 7, 3),
    }
    assert Person.objects.get(external_key="A-2").registered_on == dt.date(2025, 9, 15)
    # Row numbers refer to the sheet as the user sees it (title rows included).
    rows[0][3] = "kein Datum"
    again = uploaded(
        actor=case_manager, upload=upload("liste.xlsx", xlsx_bytes(rows, title_rows=2))
    )
    assert issues_by_row(again) == {4: {("Geburtsdatum", "invalid_date")}}


def test_the_state_moves_from_checked_to_finished_and_the_file_is_deleted(
    case_manager, region, django_capture_on_commit_callbacks
):
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))
    path = Path(job.file.path)
    assert path.exists()
    assert job.report["issues"] == [] and job.status == ImportJob.Status.CHECKED

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.import_confirm(actor=case_manager, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert job.confirmed_by == case_manager
    assert Person.objects.count() == 0
    with pytest.raises(ValidationError):  # confirming twice is refused
        services.import_confirm(actor=case_manager, job=job)

    for callback in callbacks:
        callback()
    job.refresh_from_db()

    assert job.status == ImportJob.Status.FINISHED
    assert (job.processed_rows, job.progress_percent) == (3, 100)
    assert job.started_at and job.finished_at and job.file_deleted_at
    assert not job.file
    assert not path.exists()
    services.import_run(job.pk)  # a repeated task changes nothing
    assert Person.objects.count() == 3


def test_progress_is_written_while_the_import_runs(
    case_manager, region, django_capture_on_commit_callbacks, monkeypatch
):
    from lotse.spreadsheets import importing

    rows = [[f"K-{n}", f"Name{n}", "Vorname", "01.01.1990"] for n in range(25)]
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(rows, HEADERS[:4])))
    seen: list[tuple[str, int]] = []
    original = importing.import_row

    def spy(**kwargs):
        current = ImportJob.objects.get(pk=job.pk)
        seen.append((current.status, current.processed_rows))
        return original(**kwargs)

    monkeypatch.setattr(importing, "import_row", spy)
    run_import(job, case_manager, django_capture_on_commit_callbacks)

    assert {status for status, _ in seen} == {ImportJob.Status.RUNNING}
    assert [done for _, done in seen] == [0] * 10 + [10] * 10 + [20] * 5


def test_bad_rows_are_skipped_and_counted_as_failed(
    case_manager, region, django_capture_on_commit_callbacks
):
    rows = good_rows()
    rows[1][7] = "Bielefeld"
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(rows)))
    assert job.can_confirm and job.error_rows == 1

    job = run_import(job, case_manager, django_capture_on_commit_callbacks)

    assert (job.created_count, job.failed_count) == (2, 1)
    assert [(e["row"], e["column"], e["code"]) for e in job.result_errors] == [
        (3, "Wohnort/Gemeinde", "unknown_municipality")
    ]
    assert all(e["value"] == "" for e in job.result_errors)
    assert not Person.objects.filter(external_key="A-2").exists()


def test_a_key_of_another_team_is_reported_not_taken_over(case_manager, region, traeger):
    other_org = OrganisationFactory(traeger=traeger)
    PersonFactory(traeger=traeger, organisation=other_org, external_key="A-2", last_name="Fremd")

    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))

    assert issues_by_row(job) == {3: {("Aktenzeichen/ID", "key_taken")}}


def test_a_derived_key_recognises_the_person_again(
    case_manager, region, django_capture_on_commit_callbacks
):
    headers = ["Name", "Vorname", "Geburtsdatum", "Wohnort"]
    rows = [["Haddad", "Amina", "17.05.1990", "Detmold"], ["Haddad", "Omar", "01.02.2015", ""]]
    job = uploaded(actor=case_manager, upload=upload("l.csv", csv_bytes(rows, headers)))
    assert job.key_rule == ImportJob.KeyRule.DERIVED
    run_import(job, case_manager, django_capture_on_commit_callbacks)

    rows[0][0] = "Hadad"  # a different spelling is another key, but a likely duplicate …
    rows[1][0] = "HADDAD"  # … a different case is the same key (the name is updated)
    again = uploaded(actor=case_manager, upload=upload("l.csv", csv_bytes(rows, headers)))

    assert (again.report["would_create"], again.report["would_update"]) == (0, 1)
    assert again.report["would_keep"] == 0
    assert issues_by_row(again) == {2: {("Name", "likely_duplicate")}}


def test_the_mapping_needs_names_and_a_key(case_manager, region):
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))

    with pytest.raises(ValidationError) as raised:
        checked(actor=case_manager, job=job, mapping={"first_name": "Vorname"}, key_rule="column")
    assert set(raised.value.message_dict) == {"last_name", "external_key"}

    with pytest.raises(ValidationError) as raised:
        checked(
            actor=case_manager,
            job=job,
            mapping={"last_name": "Name", "first_name": "Name"},
            key_rule="derived",
        )
    assert set(raised.value.message_dict) == {"first_name", "date_of_birth"}

    job = checked(
        actor=case_manager,
        job=job,
        mapping={"last_name": "Name", "first_name": "Vorname", "date_of_birth": "Geburtsdatum"},
        key_rule="derived",
    )
    assert job.status == ImportJob.Status.CHECKED and job.valid_rows == 3


def test_a_full_name_column_is_split(case_manager, region):
    headers = ["Nr.", "Name, Vorname"]
    rows = [["1", "Haddad, Amina"], ["2", "Olena Petrenko"], ["3", "Cher"]]

    job = uploaded(actor=case_manager, upload=upload("l.csv", csv_bytes(rows, headers)))

    assert job.mapping == {"external_key": "Nr.", "full_name": "Name, Vorname"}
    assert issues_by_row(job) == {4: {("Name, Vorname", "name_not_split")}}


def test_audit_entries_for_upload_confirmation_and_every_written_row(
    case_manager, region, django_capture_on_commit_callbacks
):
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))
    run_import(job, case_manager, django_capture_on_commit_callbacks)

    imports = AuditEntry.objects.filter(object_type="import", object_id=str(job.pk))
    assert list(imports.order_by("id").values_list("action", flat=True)) == [
        "create",
        "update",
        "update",
    ]
    assert imports.order_by("id").last().detail.startswith("finished:created:3")
    person_creates = AuditEntry.objects.filter(object_type="person", action="create")
    assert person_creates.count() == 3
    assert set(person_creates.values_list("username", flat=True)) == {case_manager.username}
    assert AuditEntry.objects.filter(object_type="case", action="create").count() == 2
    # No personal data in the audit trail of the import itself.
    assert not imports.filter(detail__icontains="Haddad").exists()


def test_roles_without_case_files_cannot_import(traeger, organisation, region):
    coordinator = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.COORDINATION])

    with pytest.raises(Exception) as raised:
        uploaded(actor=coordinator, upload=upload("l.xlsx", xlsx_bytes(good_rows())))

    assert type(raised.value).__name__ == "PermissionDenied"
    assert ImportJob.objects.count() == 0


def test_discarding_deletes_the_file(case_manager, region):
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))
    path = Path(job.file.path)

    job = services.import_discard(actor=case_manager, job=job)

    assert job.status == ImportJob.Status.DISCARDED
    assert not path.exists() and not job.file
    with pytest.raises(ValidationError):
        services.import_confirm(actor=case_manager, job=job)


def test_stale_uploads_are_purged(case_manager, region):
    from django.core.management import call_command
    from django.utils import timezone

    old = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))
    fresh = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))
    never_checked = services.import_upload(  # no worker ever picked it up
        actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows()))
    )
    ImportJob.objects.filter(pk__in=[old.pk, never_checked.pk]).update(
        created_at=timezone.now() - dt.timedelta(hours=30)
    )
    old_path = Path(old.file.path)

    call_command("purge_imports", "--hours", "24", stdout=__import__("io").StringIO())

    old.refresh_from_db()
    fresh.refresh_from_db()
    never_checked.refresh_from_db()
    assert old.status == ImportJob.Status.DISCARDED and not old_path.exists()
    assert never_checked.status == ImportJob.Status.DISCARDED and not never_checked.file
    assert fresh.status == ImportJob.Status.CHECKED and Path(fresh.file.path).exists()


def test_implausible_dates_are_refused_with_the_rules_of_the_forms(case_manager, region):
    rows = good_rows()
    rows[0][3] = "17.05.1890"  # row 2: born before 1900
    rows[1][8] = "01.01.1980"  # row 3: registered before the birth (1990s)
    job = uploaded(actor=case_manager, upload=upload("liste.xlsx", xlsx_bytes(rows)))

    found = issues_by_row(job)
    assert ("Geburtsdatum", "birth_too_early") in found[2]
    assert ("Datum Zuzug/Anmeldung", "before_birth") in found[3]
    issue = next(i for i in job.report["issues"] if i["code"] == "birth_too_early")
    assert issue_message(issue) == (
        "Zeile 2, Spalte „Geburtsdatum“: "
        "Das Geburtsdatum liegt vor 1900. Bitte das Jahr vierstellig prüfen."
    )
