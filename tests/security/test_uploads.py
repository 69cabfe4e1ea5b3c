"""Every upload path is limited by type and size, through the pages and the API.

Upload paths (every ``FileField`` of the project): timeline attachments (page and API), the
signed consent scan (page), the caseload import (page and API). A refused upload stores no
object and no file; what is stored comes back only as a download (``attachment``, no sniffing).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from lotse.cases.models import TimelineEntry
from lotse.consent.models import Consent
from lotse.spreadsheets.models import ImportJob
from tests.access import endpoints  # noqa: F401 - merges the app tables before one is imported
from tests.access.apps.consent import _consent_form
from tests.access.world import World, build_world

pytestmark = pytest.mark.django_db

LIMIT = 4096
PDF = b"%PDF-1.4\n"
XLSX = b"PK\x03\x04"


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def world(settings: Any) -> World:
    settings.UPLOAD_MAX_BYTES = LIMIT
    return build_world()


def _signed_in(world: World) -> tuple[Client, APIClient]:
    client = Client()
    client.force_login(world.case_manager)
    api = APIClient()
    api.force_login(world.case_manager)
    return client, api


# Each bad file: (name, content). Wrong type, wrong type disguised as an allowed one, too large.
BAD_FILES = {
    "type": ("werkzeug.exe", b"MZ\x90\x00"),
    "html": ("seite.html", b"<script>alert(1)</script>"),
    "disguised": ("bescheid.pdf", b"MZ\x90\x00 not a pdf"),
    "size": ("bescheid.pdf", PDF + b"0" * (LIMIT + 1)),
}
BAD_IMPORTS = {
    "type": ("liste.exe", b"MZ\x90\x00"),
    "html": ("liste.html", b"<table><tr><td>x</td></tr></table>"),
    "size": ("liste.csv", b"Name;Vorname\n" + b"Muster;Max\n" * (LIMIT // 10)),
}


def _timeline_page(world: World, client: Client, api: APIClient, name: str, data: bytes) -> int:
    url = reverse("cases:timeline_add", kwargs={"pk": world.case.pk})
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(
        url, {"kind": "document", "title": "Bescheid", "attachment": upload}
    ).status_code


def _timeline_api(world: World, client: Client, api: APIClient, name: str, data: bytes) -> int:
    url = reverse("api:case-timeline", kwargs={"pk": world.case.pk})
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return api.post(
        url, {"kind": "document", "title": "Bescheid", "attachment": upload}, format="multipart"
    ).status_code


def _consent_page(world: World, client: Client, api: APIClient, name: str, data: bytes) -> int:
    url = reverse("consent:create", kwargs={"pk": world.person.pk})
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(url, {**_consent_form(world), "scan": upload}).status_code


UPLOADS: dict[str, tuple[Callable[..., int], Callable[[], int], int]] = {
    "timeline page": (_timeline_page, lambda: TimelineEntry.objects.count(), 422),
    "timeline api": (_timeline_api, lambda: TimelineEntry.objects.count(), 400),
    "consent scan page": (_consent_page, lambda: Consent.objects.count(), 422),
}


@pytest.mark.parametrize("path", UPLOADS)
@pytest.mark.parametrize("bad", BAD_FILES)
def test_a_bad_upload_is_refused_and_stores_nothing(world: World, path: str, bad: str) -> None:
    client, api = _signed_in(world)
    send, count, refused = UPLOADS[path]
    _consent_form(world)  # the recipient of the consent form exists before counting
    before, files_before = count(), _files(Path(settings.MEDIA_ROOT))
    name, data = BAD_FILES[bad]
    assert send(world, client, api, name, data) == refused
    assert count() == before
    assert _files(Path(settings.MEDIA_ROOT)) == files_before


@pytest.mark.parametrize("path", UPLOADS)
def test_a_good_upload_just_under_the_limit_is_stored(world: World, path: str) -> None:
    client, api = _signed_in(world)
    send, count, _ = UPLOADS[path]
    _consent_form(world)
    before = count()
    assert send(world, client, api, "bescheid.pdf", PDF + b"0" * (LIMIT - len(PDF))) in (
        201,
        302,
    )
    assert count() == before + 1


@pytest.mark.parametrize("bad", BAD_IMPORTS)
def test_a_bad_import_file_is_refused_on_the_page_and_in_the_api(world: World, bad: str) -> None:
    client, api = _signed_in(world)
    name, data = BAD_IMPORTS[bad]
    page = client.post(
        reverse("spreadsheets:imports"),
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
    )
    assert page.status_code == 422
    multipart = api.post(
        reverse("api:import-list"),
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
        format="multipart",
    )
    assert multipart.status_code == 400 and "file" in multipart.json()
    encoded = api.post(
        reverse("api:import-list"),
        {"file_name": name, "content_base64": base64.b64encode(data).decode()},
        format="json",
    )
    assert encoded.status_code == 400 and "file" in encoded.json()
    assert ImportJob.objects.count() == 0
    assert _files(Path(settings.MEDIA_ROOT) / "imports") == []


def test_a_stored_text_file_comes_back_as_a_download_never_as_a_page(world: World) -> None:
    client, api = _signed_in(world)
    markup = b"<html><script>alert(1)</script></html>"
    assert _timeline_page(world, client, api, "notiz.txt", markup) == 302
    entry = TimelineEntry.objects.filter(case=world.case, attachment_name="notiz.txt").get()
    for response in (
        client.get(reverse("cases:attachment", kwargs={"pk": world.case.pk, "entry_pk": entry.pk})),
        api.get(
            reverse(
                "api:timeline-entry-attachment",
                kwargs={"pk": world.case.pk, "entry_pk": entry.pk},
            )
        ),
    ):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert not response["Content-Type"].startswith("text/html")
        assert response["X-Content-Type-Options"] == "nosniff"
