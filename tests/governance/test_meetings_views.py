# ruff: noqa: F811
"""Pages of /gremienarbeit/: the Servicestelle's journey through a meeting, errors, scope."""

from __future__ import annotations

import datetime as dt

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from lotse.governance.models import ActionItem, AgendaItem, Document, Meeting, MeetingState
from tests.factories import OrganisationFactory, UserFactory
from tests.governance.test_meetings import circle, coordinator, jobcenter  # noqa: F401

pytestmark = pytest.mark.django_db


def _when(days: int) -> str:
    moment = timezone.localtime(timezone.now() + dt.timedelta(days=days))
    return moment.replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M")


def test_journey_of_a_meeting(
    client, coordinator, circle, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    assert client.get(reverse("governance:overview")).status_code == 200
    page = client.get(reverse("governance:body", args=[circle.pk]))
    assert "Anna Arbeit" in page.content.decode()

    response = client.post(
        reverse("governance:meeting_create", args=[circle.pk]),
        {"starts_at": _when(10), "location": "Kreishaus"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:meeting", args=[meeting.pk])
    client.post(reverse("governance:item_add", args=[meeting.pk]), {"title": "Bericht"})
    item = meeting.items.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("governance:meeting_invite", args=[meeting.pk]))
    assert len(mailoutbox) == 1
    ics = client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert vobject.readOne(ics.content.decode()).vevent.uid.value == meeting.ical_uid

    row = meeting.attendance.get()
    client.post(
        reverse("governance:attendance", args=[meeting.pk]), {f"status_{row.pk}": "present"}
    )
    client.post(reverse("governance:item_minutes", args=[item.pk]), {"minutes": "Gut."})
    client.post(
        reverse("governance:action_item_add", args=[item.pk]),
        {"text": "Angebote sammeln", "due_on": "2027-01-15"},
    )
    client.post(reverse("governance:meeting_held", args=[meeting.pk]))
    client.post(reverse("governance:meeting_approve", args=[meeting.pk]))
    meeting.refresh_from_db()
    row.refresh_from_db()
    item.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED
    assert (row.status, item.minutes) == ("present", "Gut.")
    assert ActionItem.objects.get().due_on == dt.date(2027, 1, 15)
    minutes = Document.objects.get(kind=Document.Kind.MINUTES)
    download = client.get(reverse("governance:document", args=[minutes.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # The next meeting carries the open action item; its page lists it with its origin.
    client.post(reverse("governance:meeting_create", args=[circle.pk]), {"starts_at": _when(40)})
    carried = AgendaItem.objects.get(kind=AgendaItem.Kind.ACTION_ITEMS)
    page = client.get(reverse("governance:item", args=[carried.pk])).content.decode()
    assert "Angebote sammeln" in page and meeting.title in page and "15.01.2027" in page


def test_bad_input_comes_back_at_the_field(client, coordinator, circle):
    client.force_login(coordinator)
    response = client.post(
        reverse("governance:meeting_create", args=[circle.pk]),
        {"starts_at": _when(3), "ends_at": _when(2)},
    )
    assert response.status_code == 422
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(
        reverse("governance:meeting_create", args=[circle.pk]), {"starts_at": "morgen"}
    )
    assert response.status_code == 422


def test_objects_of_another_traeger_are_not_found(client, circle):
    other_org = OrganisationFactory()
    stranger = UserFactory(
        traeger=other_org.traeger, organisation=other_org, roles=["coordination"]
    )
    client.force_login(stranger)
    assert client.get(reverse("governance:body", args=[circle.pk])).status_code == 404
    assert client.get(reverse("governance:overview")).status_code == 200
    assert circle.name not in client.get(reverse("governance:overview")).content.decode()


def test_overview_queries_do_not_grow_with_rows(
    client,
    coordinator,
    circle,
    django_assert_max_num_queries,
):
    from lotse.governance import meetings as services

    client.force_login(coordinator)

    def add(days: int) -> None:
        meeting = services.meeting_create(
            actor=coordinator, body=circle, starts_at=timezone.now() + dt.timedelta(days=days)
        )
        item = services.item_add(actor=coordinator, meeting=meeting, title="A")
        services.action_item_add(actor=coordinator, item=item, text="B")

    add(1)
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("governance:overview"))
    for days in range(2, 8):
        add(days)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("governance:overview"))


def test_member_edit_errors_stay_at_the_member(client, coordinator, circle):
    client.force_login(coordinator)
    member = circle.memberships.get()
    prefix = f"m{member.pk}"
    response = client.post(
        reverse("governance:member_change", args=[circle.pk, member.pk]),
        {
            f"{prefix}-organisation": member.organisation_id,
            f"{prefix}-label": "Jobcenter",
            f"{prefix}-contact": member.contact_id,
            f"{prefix}-deputy": member.contact_id,
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Die Vertretung muss eine andere Person sein." in page
    assert f'name="{prefix}-deputy"' in page
    member.refresh_from_db()
    assert member.deputy.name == "Bert Vertreter"
    # Adding a member in the app and removing it again.
    client.post(
        reverse("governance:member_add", args=[circle.pk]),
        {"organisation": member.organisation_id, "hierarchy_level": "Sachbearbeitung"},
    )
    added = circle.memberships.exclude(pk=member.pk).get()
    assert added.key.startswith("app-")
    client.post(reverse("governance:member_remove", args=[circle.pk, added.pk]))
    client.post(reverse("governance:member_remove", args=[circle.pk, member.pk]))
    assert list(circle.memberships.all()) == [member]


def test_open_action_items_are_paged(client, coordinator, circle):
    from lotse.governance import meetings as services

    client.force_login(coordinator)
    meeting = services.meeting_create(
        actor=coordinator, body=circle, starts_at=timezone.now() - dt.timedelta(days=3)
    )
    item = services.item_add(actor=coordinator, meeting=meeting, title="A")
    ActionItem.objects.bulk_create(
        ActionItem(traeger=circle.traeger, meeting=meeting, item=item, text=f"Punkt {n:02d}")
        for n in range(30)
    )
    first = client.get(reverse("governance:overview")).content.decode()
    assert "Punkt 00" in first and "Punkt 29" not in first
    assert "Nächste Seite" in first
    cursor = first.split('rel="next"')[0].rsplit("cursor=", 1)[1].split('"')[0]
    second = client.get(reverse("governance:overview"), {"cursor": cursor}).content.decode()
    assert "Punkt 29" in second and "Punkt 00" not in second
    assert client.get(reverse("governance:overview"), {"cursor": "kaputt"}).status_code == 200


def test_quality_circle_need_appears_in_the_queue(client, coordinator, traeger):
    from lotse.conferences.models import ConferenceSettings
    from lotse.directory.models import Body
    from lotse.governance import meetings as services
    from tests.factories import FieldOfActionFactory

    ConferenceSettings.objects.create(
        traeger=traeger, barrier_categories=[{"key": "sprache", "name": "Sprachbarrieren"}]
    )
    body = Body.objects.create(
        traeger=traeger, key="qz", name="Qualitätszirkel", kind=Body.Kind.QUALITY_CIRCLE
    )
    field = FieldOfActionFactory(traeger=traeger, name="Sprache")
    meeting = services.meeting_create(actor=coordinator, body=body, starts_at=timezone.now())
    item = services.item_add(actor=coordinator, meeting=meeting, title="Fallauswertung")
    client.force_login(coordinator)
    page = client.get(reverse("governance:item", args=[item.pk])).content.decode()
    assert "Optimierungsbedarf erfassen" in page
    response = client.post(
        reverse("governance:quality_need_add", args=[item.pk]),
        {"field_of_action": field.pk, "category": "sprache", "description": ""},
    )
    assert response.status_code == 422
    client.post(
        reverse("governance:quality_need_add", args=[item.pk]),
        {"field_of_action": field.pk, "category": "sprache", "description": "Keine Abendkurse"},
    )
    queue = client.get(reverse("conferences:optimisation_needs")).content.decode()
    assert "Keine Abendkurse" in queue
