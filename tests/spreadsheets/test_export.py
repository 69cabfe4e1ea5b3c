"""XLSX exports: real dates, header, filters like "Meine Fälle", no formula injection, audit."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess  # noqa: S404 - runs LibreOffice on a file the test wrote
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase
from lotse.people.models import Person
from lotse.spreadsheets import services
from lotse.spreadsheets.models import ImportJob
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.spreadsheets.conftest import upload, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(traeger, organisation, case_manager, region):
    colleague = UserFactory(traeger=traeger, organisation=organisation)
    mine = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        case_manager=case_manager,
        programme=region.programme,
        person=PersonFactory(
            traeger=traeger,
            organisation=organisation,
            last_name='=HYPERLINK("http://example.org","klick")',
            first_name="@SUM(A1)",
            external_key="-42",
            municipality=region.detmold,
        ),
        opened_on=dt.date(2025, 10, 5),
    )
    closed = CaseFactory(
        traeger=traeger,
        organisation=organisation,
        case_manager=case_manager,
        phase=Phase.CLOSED,
        closed_on=dt.date(2026, 1, 10),
    )
    theirs = CaseFactory(traeger=traeger, organisation=organisation, case_manager=colleague)
    return mine, closed, theirs


def sheet_of(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    return workbook, workbook.worksheets[0]


def test_the_case_export_is_a_proper_excel_table(client, case_manager, caseload):
    mine, _closed, _theirs = caseload
    client.force_login(case_manager)

    workbook, sheet = sheet_of(client.get(reverse("spreadsheets:export_cases")))

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{sheet.max_row}"
    assert sheet.max_row == 2  # header + my one open case
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width > 10
    assert workbook.properties.title and sheet.title
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(headers, sheet[2], strict=True))
    reference = next(cell for cell in sheet[2] if cell.value == mine.reference)
    assert reference.column == 1
    opened = sheet.cell(row=2, column=9)
    assert opened.is_date and opened.value.date() == dt.date(2025, 10, 5)
    assert opened.number_format == "DD.MM.YYYY"
    assert len(row) == 12


def test_formula_injection_is_neutralised(client, case_manager, caseload):
    client.force_login(case_manager)

    _workbook, sheet = sheet_of(client.get(reverse("spreadsheets:export_cases")))

    last, first, key = sheet.cell(2, 2), sheet.cell(2, 3), sheet.cell(2, 12)
    assert last.value.startswith("=HYPERLINK")
    assert first.value == "@SUM(A1)" and key.value == "-42"
    for cell in (last, first, key):
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_export_uses_the_filters_of_my_cases(client, case_manager, caseload):
    mine, closed, theirs = caseload
    client.force_login(case_manager)
    url = reverse("spreadsheets:export_cases")

    def references(query: dict) -> set[str]:
        _workbook, sheet = sheet_of(client.get(url, query))
        return {row[0].value for row in sheet.iter_rows(min_row=2)}

    assert references({}) == {mine.reference}
    assert references({"alle": "1"}) == {mine.reference, theirs.reference}
    assert references({"abgeschlossen": "1"}) == {mine.reference, closed.reference}
    assert references({"phase": Phase.CLOSED}) == {closed.reference}
    assert references({"q": mine.reference}) == {mine.reference}


def test_an_export_is_audited_with_the_row_count_only(client, case_manager, caseload):
    client.force_login(case_manager)

    client.get(reverse("spreadsheets:export_cases"), {"alle": "1"})
    client.get(reverse("spreadsheets:export_persons"))

    entries = AuditEntry.objects.filter(action="export").order_by("id")
    assert [(e.object_type, e.detail) for e in entries] == [
        ("case", "rows:2"),
        ("person", f"rows:{Person.objects.count()}"),
    ]
    assert entries[0].username == case_manager.username


def test_the_export_query_count_does_not_grow_with_rows(
    client, case_manager, caseload, traeger, organisation
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(case_manager)
    client.get(reverse("spreadsheets:export_persons"))  # warm up the session

    def counts() -> list[int]:
        found = []
        for name in ("spreadsheets:export_cases", "spreadsheets:export_persons"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            found.append(len(queries.captured_queries))
        return found

    before = counts()
    for _ in range(10):
        CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
    after = counts()

    assert after == before
    assert max(after) <= 15


def test_another_traeger_exports_none_of_our_cases(client, caseload):
    from tests.factories import OrganisationFactory, TraegerFactory

    other = TraegerFactory(slug="anderer-kreis")
    outsider = UserFactory(traeger=other, organisation=OrganisationFactory(traeger=other))
    client.force_login(outsider)

    for name in ("spreadsheets:export_cases", "spreadsheets:export_persons"):
        _workbook, sheet = sheet_of(client.get(reverse(name), {"alle": "1"}))
        assert sheet.max_row == 1


def test_roles_without_case_files_cannot_export(client, traeger, organisation):
    coordinator = UserFactory(traeger=traeger, organisation=organisation, roles=["coordination"])
    client.force_login(coordinator)

    assert client.get(reverse("spreadsheets:export_cases")).status_code == 403


def test_the_person_export_can_be_imported_again_unchanged(
    client, case_manager, region, traeger, organisation, django_capture_on_commit_callbacks
):
    from lotse.people import services as people_services

    person = people_services.person_create(
        actor=case_manager,
        last_name="Haddad",
        first_name="Amina",
        date_of_birth=dt.date(1990, 5, 17),
        sex="female",
        nationalities=["SY", "TR"],
        languages=["ar"],
        interpreter_needed=True,
        municipality=region.detmold,
        registered_on=dt.date(2025, 10, 1),
        target_group=region.refugees,
        external_key="A-1",
    )
    people_services.residence_status_add(
        actor=case_manager,
        person=person,
        status=region.gestattung,
        valid_from=dt.date(2025, 10, 1),
        valid_until=dt.date(2026, 6, 30),
    )
    client.force_login(case_manager)
    exported = client.get(reverse("spreadsheets:export_persons")).getvalue()

    job = uploaded(actor=case_manager, upload=upload("personen.xlsx", exported))

    assert job.report["issues"] == []
    assert set(job.mapping) >= {
        "external_key",
        "last_name",
        "first_name",
        "date_of_birth",
        "sex",
        "nationalities",
        "languages",
        "interpreter_needed",
        "municipality",
        "registered_on",
        "target_group",
        "residence_status",
        "status_valid_from",
        "status_valid_until",
    }
    assert (job.report["would_keep"], job.report["would_create"]) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(actor=case_manager, job=job)
    job.refresh_from_db()
    assert (job.status, job.unchanged_count) == (ImportJob.Status.FINISHED, 1)
    person.refresh_from_db()
    assert person.version == 1


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export(client, case_manager, caseload, tmp_path: Path):
    client.force_login(case_manager)
    source = tmp_path / "faelle.xlsx"
    source.write_bytes(client.get(reverse("spreadsheets:export_cases")).getvalue())

    subprocess.run(  # noqa: S603
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    lines = (tmp_path / "faelle.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].split(";")[0] != ""
    mine = caseload[0]
    assert mine.reference in lines[1]
    assert "05.10.2025" in lines[1]  # the date cell keeps its German format
    assert "=HYPERLINK" in lines[1]  # as text, not evaluated


def test_the_export_reads_only_the_columns_it_writes(client, case_manager, caseload):
    """The encrypted case summary and health notes are not even fetched (nor decrypted)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(case_manager)
    for name in ("spreadsheets:export_cases", "spreadsheets:export_persons"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), {"alle": "1"})
        assert sheet_of(response)[1].max_row >= 2
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        assert '"summary"' not in sql
        assert '"health_notes"' not in sql


def test_the_export_streams_from_a_file(client, case_manager, caseload):
    client.force_login(case_manager)
    response = client.get(reverse("spreadsheets:export_cases"))
    assert response.streaming
    assert response["Cache-Control"] == "no-store"
    assert 'filename="faelle-' in response["Content-Disposition"]


def test_the_person_export_writes_labels_and_the_current_residence_status(
    client, case_manager, region, traeger, organisation, monkeypatch
):
    from lotse.people.models import ResidenceStatusRecord
    from lotse.spreadsheets import exports

    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)  # statuses looked up across chunk borders
    persons = [
        PersonFactory(traeger=traeger, organisation=organisation, last_name=f"Adler{index}")
        for index in range(5)
    ]
    first, second = persons[0], persons[3]
    first.sex, first.nationalities, first.languages = "female", ["SY", "TR"], ["ar", "de"]
    first.interpreter_needed, first.municipality = True, region.detmold
    first.target_group = region.refugees
    first.save()
    for person, status, valid_from, valid_until in (
        (first, region.duldung, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (first, region.gestattung, dt.date(2025, 3, 1), dt.date(2026, 2, 28)),  # current
        (second, region.duldung, dt.date(2025, 1, 1), None),
    ):
        ResidenceStatusRecord.objects.create(
            traeger=traeger,
            person=person,
            status=status,
            valid_from=valid_from,
            valid_until=valid_until,
        )
    client.force_login(case_manager)

    _workbook, sheet = sheet_of(client.get(reverse("spreadsheets:export_persons")))

    assert sheet.max_column == 14
    rows = {
        row[1]: tuple(v.date() if isinstance(v, dt.datetime) else v for v in row)  # date cells
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert list(rows) == [f"Adler{index}" for index in range(5)]
    # sex, nationalities, languages, interpreter, municipality, target group as labels
    assert rows["Adler0"][4:9] == (
        "weiblich",
        "Syrien, Türkei",
        "Arabisch, Deutsch",
        "ja",
        "Detmold",
    )
    assert rows["Adler0"][10] == "Geflüchtete"
    # the current status: the newest "valid from", with its dates as date cells
    assert rows["Adler0"][11:] == (
        "Aufenthaltsgestattung",
        dt.date(2025, 3, 1),
        dt.date(2026, 2, 28),
    )
    assert rows["Adler3"][11:] == ("Duldung", dt.date(2025, 1, 1), None)
    assert rows["Adler1"][11:] == (None, None, None)
    assert (rows["Adler1"][3], rows["Adler1"][7]) == (dt.date(1990, 5, 17), "nein")


def test_the_case_export_writes_names_labels_and_the_programme(client, case_manager, caseload):
    mine, _closed, _theirs = caseload
    case_manager.first_name, case_manager.last_name = "Maria", "Muster"
    case_manager.save()
    client.force_login(case_manager)

    _workbook, sheet = sheet_of(client.get(reverse("spreadsheets:export_cases")))

    row = [cell.value for cell in sheet[2]]
    assert row[3].date() == mine.person.date_of_birth
    assert row[4:8] == ["Detmold", str(mine.programme), mine.get_phase_display(), "Maria Muster"]
