"""Import pages and the import API: the flow a case manager walks through, and its scoping."""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.people.models import Person
from lotse.spreadsheets.models import ImportJob
from tests.factories import OrganisationFactory, TraegerFactory, UserFactory
from tests.spreadsheets.conftest import HEADERS, csv_bytes, good_rows, upload, uploaded, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_upload_map_confirm_progress_result(
    client, case_manager, region, django_capture_on_commit_callbacks
):
    client.force_login(case_manager)
    rows = good_rows()
    rows[1][7] = "Bielefeld"

    with django_capture_on_commit_callbacks(execute=True):  # the worker reads and checks
        response = client.post(
            reverse("spreadsheets:imports"), {"file": upload("liste.xlsx", xlsx_bytes(rows))}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("spreadsheets:import_detail", args=[job.pk])

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="dry-run-errors"' in body
    assert 'data-row="3" data-column="Wohnort/Gemeinde"' in body
    assert 'id="confirm-import"' in body
    assert Person.objects.count() == 0

    # A changed mapping is checked again; a mapping without names is refused with 422.
    bad = client.post(response["Location"], {"key_rule": "column", "external_key": "Name"})
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.content.decode()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirmed = client.post(reverse("spreadsheets:import_confirm", args=[job.pk]))
    assert confirmed.status_code == 302
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()

    for callback in callbacks:
        callback()
    done = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert 'data-count="created">2<' in done
    assert 'data-count="failed">1<' in done
    assert 'data-row="3"' in done
    assert Person.objects.count() == 2


def test_a_broken_upload_is_refused_with_422_and_stores_nothing(client, case_manager, region):
    client.force_login(case_manager)

    response = client.post(
        reverse("spreadsheets:imports"), {"file": upload("liste.xlsx", b"PK\x03\x04 kaputt")}
    )

    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_another_traegers_import_job_is_404(client, case_manager, region):
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))
    other = TraegerFactory(slug="anderswo")
    outsider = UserFactory(traeger=other, organisation=OrganisationFactory(traeger=other))
    client.force_login(outsider)
    api = APIClient()
    api.force_authenticate(outsider)

    assert client.get(reverse("spreadsheets:import_detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("spreadsheets:import_confirm", args=[job.pk])).status_code == 404
    assert api.get(reverse("api:import-detail", args=[job.pk])).status_code == 404
    assert api.post(reverse("api:import-confirm", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED


def test_the_api_uploads_checks_confirms_and_reports(
    case_manager, region, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(case_manager)
    rows = good_rows()
    rows[0][3] = "31.02.1990"

    with django_capture_on_commit_callbacks(execute=False) as checks:
        created = api.post(
            reverse("api:import-list"),
            {
                "file": upload("liste.csv", csv_bytes(rows)),
                "mapping": json.dumps(
                    {
                        "external_key": "Aktenzeichen/ID",
                        "last_name": "Name",
                        "first_name": "Vorname",
                        "date_of_birth": "Geburtsdatum",
                        "municipality": "Wohnort/Gemeinde",
                    }
                ),
            },
            format="multipart",
        )
    assert created.status_code == 202, created.json()
    assert created.json()["status"] == "checking" and created.json()["dry_run"] is None
    for check in checks:  # the worker reads the file and runs the dry run
        check()

    data = api.get(reverse("api:import-detail", args=[created.json()["id"]])).json()
    assert data["status"] == "checked"
    assert data["mapping"]["municipality"] == "Wohnort/Gemeinde"
    assert [(i["row"], i["column"], i["code"]) for i in data["dry_run"]["issues"]] == [
        (2, "Geburtsdatum", "invalid_date")
    ]
    assert data["dry_run"]["would_create"] == 2
    assert Person.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(reverse("api:import-confirm", args=[data["id"]]))
    assert confirmed.status_code == 202
    result = api.get(reverse("api:import-detail", args=[data["id"]])).json()
    assert result["status"] == "finished"
    assert result["file_deleted"] is True
    assert {k: result["result"][k] for k in ("created", "updated", "unchanged", "failed")} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "failed": 1,
    }
    assert Person.objects.count() == 2


def test_the_api_accepts_json_with_base64_and_refuses_broken_files(
    case_manager, region, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(case_manager)

    with django_capture_on_commit_callbacks(execute=True):
        good = api.post(
            reverse("api:import-list"),
            {
                "file_name": "l.csv",
                "content_base64": base64.b64encode(csv_bytes(good_rows())).decode(),
            },
            format="json",
        )
    broken = api.post(
        reverse("api:import-list"),
        {"file_name": "l.csv", "content_base64": base64.b64encode(b"").decode() or "AA=="},
        format="json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        no_names = api.post(
            reverse("api:import-list"),
            {
                "file_name": "l.csv",
                "content_base64": base64.b64encode(
                    csv_bytes([["1", "x"]], ["Nr", "Irgendwas"])
                ).decode(),
            },
            format="json",
        )

    assert good.status_code == 202
    assert api.get(reverse("api:import-detail", args=[good.json()["id"]])).json()["valid_rows"] == 3
    assert broken.status_code == 400 and "file" in broken.json()
    assert no_names.status_code == 202
    unmapped = api.get(reverse("api:import-detail", args=[no_names.json()["id"]])).json()
    assert unmapped["status"] == "uploaded" and unmapped["dry_run"] is None
    assert {"last_name", "first_name"} <= set(unmapped["mapping_errors"])
    assert ImportJob.objects.count() == 2


def test_headers_list_in_the_mapping_form(client, case_manager, region):
    client.force_login(case_manager)
    job = uploaded(actor=case_manager, upload=upload("l.xlsx", xlsx_bytes(good_rows())))

    body = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()

    for header in HEADERS:
        assert f'value="{header}"' in body
    assert 'value="Aktenzeichen/ID" selected' in body
