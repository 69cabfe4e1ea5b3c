from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase, TimelineEntry
from tests.factories import CaseFactory, TimelineEntryFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% Bescheid\n"


def timeline(pk: int) -> str:
    return reverse("api:case-timeline", kwargs={"pk": pk})


def entry_url(case_pk: int, entry_pk: int) -> str:
    return reverse("api:timeline-entry-detail", kwargs={"pk": case_pk, "entry_pk": entry_pk})


def test_timeline_pages_newest_first(api, agreed_case):
    start = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    for hour in range(7):
        TimelineEntryFactory(
            case=agreed_case, title=f"Eintrag {hour}", occurred_at=start + dt.timedelta(hours=hour)
        )

    pages = [api.get(timeline(agreed_case.pk), {"page_size": 3}).json()]
    while pages[-1]["next"]:
        pages.append(api.get(pages[-1]["next"]).json())

    titles = [row["title"] for page in pages for row in page["results"]]
    assert titles == [f"Eintrag {hour}" for hour in range(6, -1, -1)]
    assert len(pages) == 3
    entry = AuditEntry.objects.filter(action="list", object_type="case", channel="api").first()
    assert entry is not None and entry.object_id == str(agreed_case.pk)


def test_add_note_as_json(api, agreed_case, case_manager):
    response = api.post(
        timeline(agreed_case.pk),
        {"kind": "contact", "title": "Telefonat", "channel": "phone", "text": "Termin vereinbart"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    entry = TimelineEntry.objects.get(pk=response.json()["id"])
    assert (entry.case, entry.author, entry.channel) == (agreed_case, case_manager, "phone")
    assert response.json()["attachment_url"] is None


def test_add_document_with_attachment_as_multipart(api, agreed_case):
    upload = SimpleUploadedFile("bescheid.pdf", PDF, content_type="application/pdf")

    response = api.post(
        timeline(agreed_case.pk),
        {"kind": "document", "title": "Bescheid", "attachment": upload},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["attachment_name"], body["attachment_size"]) == ("bescheid.pdf", len(PDF))
    download = api.get(body["attachment_url"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert AuditEntry.objects.filter(
        action="download", object_id=str(body["id"]), channel="api"
    ).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "document", "title": "Bescheid"}, "attachment"),
        ({"kind": "contact", "title": "Telefonat"}, "channel"),
        ({"kind": "note", "title": "   "}, "title"),
        ({"kind": "phase", "title": "Phase"}, "kind"),
        (
            {
                "kind": "appointment",
                "title": "Termin",
                "occurred_at": "2026-11-02T10:00:00+01:00",
                "ends_at": "2026-11-02T09:00:00+01:00",
            },
            "ends_at",
        ),
        # Before 1893 Berlin's offset has seconds, which no ISO 8601 reader accepts back.
        (
            {"kind": "note", "title": "Notiz", "occurred_at": "0265-10-26T03:48:00+01:00"},
            "occurred_at",
        ),
    ],
)
def test_add_entry_validation_errors_name_the_field(api, agreed_case, payload, field):
    response = api.post(timeline(agreed_case.pk), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not TimelineEntry.objects.exists()


def test_a_disguised_file_is_refused(api, agreed_case):
    upload = SimpleUploadedFile(
        "bescheid.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )

    response = api.post(
        timeline(agreed_case.pk),
        {"kind": "document", "title": "Bescheid", "attachment": upload},
        format="multipart",
    )

    assert response.status_code == 400
    assert "attachment" in response.json()


def test_no_entries_on_a_closed_case(api, traeger, organisation, case_manager):
    closed = CaseFactory(
        traeger=traeger, organisation=organisation, case_manager=case_manager, phase=Phase.CLOSED
    )

    response = api.post(timeline(closed.pk), {"kind": "note", "title": "x"}, format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_retrieve_entry_and_audit(api, agreed_case):
    entry = TimelineEntryFactory(case=agreed_case)

    response = api.get(entry_url(agreed_case.pk, entry.pk))

    assert response.status_code == 200
    assert response.json()["title"] == "Gesprächsnotiz"
    audit = AuditEntry.objects.get(action="view", object_type="timeline_entry")
    assert (audit.object_id, audit.channel) == (str(entry.pk), "api")


def test_an_entry_is_only_found_under_its_own_case(api, agreed_case, traeger, organisation):
    other_case = CaseFactory(traeger=traeger, organisation=organisation)
    entry = TimelineEntryFactory(case=other_case)

    assert api.get(entry_url(agreed_case.pk, entry.pk)).status_code == 404
    assert api.get(entry_url(other_case.pk, entry.pk)).status_code == 200


def test_an_entry_without_file_has_no_download(api, agreed_case):
    entry = TimelineEntryFactory(case=agreed_case)
    url = reverse(
        "api:timeline-entry-attachment", kwargs={"pk": agreed_case.pk, "entry_pk": entry.pk}
    )

    assert api.get(url).status_code == 404
