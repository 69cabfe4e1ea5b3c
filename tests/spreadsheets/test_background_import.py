"""The import reads and checks the list in the worker: the request only stores the upload.

A crafted XLSX (a decompression bomb, a declared sheet of a million rows) is refused in the
request with a German message at the upload field, before anything is parsed or stored.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.spreadsheets import importing, reading, services
from lotse.spreadsheets.models import ImportJob
from tests.spreadsheets.conftest import HEADERS, good_rows, upload, uploaded, xlsx_bytes

pytestmark = pytest.mark.django_db


def _forbid_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parsed inside the request")

    monkeypatch.setattr(reading, "_read_xlsx", refuse)
    monkeypatch.setattr(reading, "_read_csv", refuse)
    monkeypatch.setattr(importing, "check_rows", refuse)


def _rewrite(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return buffer.getvalue()


def _bomb(unpacked_bytes: int) -> bytes:
    """A valid workbook with a part of zeros that deflates to almost nothing."""
    data = xlsx_bytes(good_rows())
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * unpacked_bytes)
    return buffer.getvalue()


def test_the_upload_request_stores_and_queues_without_parsing(
    client, case_manager, region, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(case_manager)
    with monkeypatch.context() as patched:
        _forbid_parsing(patched)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = client.post(
                reverse("spreadsheets:imports"),
                {"file": upload("liste.xlsx", xlsx_bytes(good_rows()))},
            )
        job = ImportJob.objects.get()
        assert response.status_code == 302
        assert job.status == ImportJob.Status.CHECKING and job.file and job.headers == []
        page = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
        assert "?was=checking" in page and 'hx-trigger="every 1s"' in page
        assert "Die Liste wird gelesen und geprüft" in page
        assert len(queued) == 1

    queued[0]()  # the worker

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert (job.total_rows, job.valid_rows) == (3, 3) and job.headers == HEADERS
    fragment = client.get(
        reverse("spreadsheets:import_detail", args=[job.pk]) + "?was=checking",
        headers={"HX-Request": "true"},
    )
    assert fragment["HX-Refresh"] == "true"  # the page reloads to show the dry run


def test_a_changed_mapping_is_checked_in_the_worker_too(
    case_manager, region, monkeypatch, django_capture_on_commit_callbacks
):
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))
    mapping = {"last_name": "Name", "first_name": "Vorname", "date_of_birth": "Geburtsdatum"}
    with monkeypatch.context() as patched:
        _forbid_parsing(patched)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            job = services.import_check(
                actor=case_manager, job=job, mapping=mapping, key_rule="derived"
            )
        assert job.status == ImportJob.Status.CHECKING

    for task in queued:
        task()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.key_rule == "derived"


def test_the_dry_run_writes_its_progress_rows_done_of_total(case_manager, region, monkeypatch):
    rows = [[f"K-{n}", f"Name{n}", "Vorname", "01.01.1990"] for n in range(25)]
    seen: list[tuple[str, int, int]] = []
    original = services._save_progress

    def spy(job_id: int, done: int) -> None:
        original(job_id, done)
        current = ImportJob.objects.get(pk=job_id)
        seen.append((current.status, current.processed_rows, current.total_rows))

    monkeypatch.setattr(importing, "CHECK_PROGRESS_EVERY", 10)
    monkeypatch.setattr(services, "_save_progress", spy)

    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(rows, HEADERS[:4])))

    assert seen == [("checking", 10, 25), ("checking", 20, 25)]
    assert job.status == ImportJob.Status.CHECKED and job.processed_rows == 0


def test_a_decompression_bomb_is_refused_at_the_upload_field(
    client, case_manager, region, settings
):
    settings.LOTSE_IMPORT_MAX_UNPACKED_MB = 1
    client.force_login(case_manager)
    bomb = _bomb(3 * 1024 * 1024)
    assert len(bomb) < 100_000

    response = client.post(reverse("spreadsheets:imports"), {"file": upload("l.xlsx", bomb)})

    body = response.content.decode()
    assert response.status_code == 422
    assert "Die Excel-Datei ist entpackt größer als 1 MB und wird nicht gelesen." in body
    assert 'aria-invalid="true"' in body
    assert ImportJob.objects.count() == 0


def test_a_sheet_declaring_a_million_rows_or_thousands_of_columns_is_refused(case_manager, region):
    from django.core.exceptions import ValidationError

    data = xlsx_bytes(good_rows())
    rows = _rewrite(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:N4"', b'<dimension ref="A1:N1048576"'),
    )
    columns = _rewrite(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:N4"', b'<dimension ref="A1:XFD4"'),
    )
    assert rows != data and columns != data

    for crafted, code in ((rows, "too_many_rows"), (columns, "too_many_columns")):
        with pytest.raises(ValidationError) as raised:
            services.import_upload(actor=case_manager, upload=upload("l.xlsx", crafted))
        assert raised.value.error_dict["file"][0].code == code
    assert ImportJob.objects.count() == 0


def test_the_reader_never_pads_rows_beyond_the_column_limit(monkeypatch):
    monkeypatch.setattr(reading, "MAX_COLUMNS", 3)
    monkeypatch.setattr(reading, "_check_dimension", lambda head: None)

    table = reading.read_table(xlsx_bytes(good_rows()))

    assert len(table.headers) == 3 and all(len(cells) == 3 for _n, cells in table.rows)


def test_the_api_refuses_a_bomb_with_400_at_the_file(case_manager, region, settings):
    settings.LOTSE_IMPORT_MAX_UNPACKED_MB = 1
    api = APIClient()
    api.force_authenticate(case_manager)

    response = api.post(
        reverse("api:import-list"),
        {"file": upload("l.xlsx", _bomb(2 * 1024 * 1024))},
        format="multipart",
    )

    assert response.status_code == 400 and "file" in response.json()
    assert ImportJob.objects.count() == 0
