"""The pages of a case conference, as the case manager, the Servicestelle and a partner use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.conferences.models import Conference, ConferenceState
from tests.factories import UserFactory, grant_consent


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_from_the_indication_to_the_invitation(
    assessed_case,
    case_manager,
    coordinator,
    traeger,
    detmold,
    lemgo,
    jobcenter,
    abh,
    conference_settings,
):
    cm = _client(case_manager)
    page = cm.get(reverse("conferences:case", args=[assessed_case.pk]))
    assert page.status_code == 200
    assert "Indikation prüfen" in page.content.decode()

    response = cm.post(
        reverse("conferences:case", args=[assessed_case.pk]),
        {
            "municipalities": [detmold.pk, lemgo.pk],
            "authorities": [abh.pk],
            "indicated": "1",
            "reason": "Umzug von Detmold nach Lemgo, Jobcenter und ABH beteiligt.",
        },
    )
    conference = Conference.objects.get(case=assessed_case)
    assert response.status_code == 302
    assert response["Location"] == reverse("conferences:detail", args=[conference.pk])

    response = cm.post(
        reverse("conferences:request", args=[conference.pk]),
        {
            "version": conference.version,
            "initiator": jobcenter.pk,
            "shared_categories": ["identity", "education_work"],
            "summary": "Familie mit zwei Kindern nach Umzug, Arbeitssuche und Aufenthalt offen.",
        },
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.state == ConferenceState.AGREED

    grant_consent(
        assessed_case.person,
        jobcenter,
        categories=("identity", "education_work"),
        purposes=("fallkonferenz",),
    )
    service = _client(coordinator)
    queue = service.get(reverse("conferences:queue"))
    assert assessed_case.reference in queue.content.decode()
    assert assessed_case.person.last_name not in queue.content.decode()
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=21))
    response = service.post(
        reverse("conferences:schedule", args=[conference.pk]),
        {
            "version": conference.version,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "location": "Kreishaus Detmold, Raum 2.14",
            "moderator": coordinator.pk,
        },
    )
    assert response.status_code == 302
    for organisation, name, email in [
        (jobcenter, "Kerstin Meier", "k.meier@jobcenter.example"),
        (abh, "Elena Petrović", "e.petrovic@abh.example"),
    ]:
        response = service.post(
            reverse("conferences:participant_add", args=[conference.pk]),
            {
                "organisation": organisation.pk,
                "name": name,
                "email": email,
                "role_in_case": "Fachstelle",
            },
        )
        assert response.status_code == 302
    detail = service.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "ohne Falldaten" in detail
    assert "Ausländerbehörde" in detail
    assert assessed_case.person.last_name not in detail

    partner = UserFactory(traeger=traeger, organisation=abh, roles=[Role.PARTNER])
    invitation = _client(partner).get(reverse("conferences:detail", args=[conference.pk]))
    text = invitation.content.decode()
    assert invitation.status_code == 200
    assert "ohne Falldaten eingeladen" in text
    assert assessed_case.person.last_name not in text
    response = _client(partner).post(reverse("conferences:confirm", args=[conference.pk]))
    assert response.status_code == 302
    assert conference.participants.get(organisation=abh).confirmed_at is not None


@pytest.mark.django_db
def test_a_date_too_soon_comes_back_with_the_warning(
    assessed_case, case_manager, coordinator, detmold, lemgo, jobcenter, conference_settings
):
    from tests.conferences.test_services import _called

    conference = _called(assessed_case, case_manager, [detmold, lemgo], jobcenter)
    soon = timezone.localtime(timezone.now() + dt.timedelta(days=3))
    response = _client(coordinator).post(
        reverse("conferences:schedule", args=[conference.pk]),
        {
            "version": conference.version,
            "starts_at": soon.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "location": "Raum 1",
            "moderator": coordinator.pk,
        },
    )
    assert response.status_code == 422
    assert "2 bis 4 Wochen" in response.content.decode()
    conference.refresh_from_db()
    assert conference.state == ConferenceState.AGREED


@pytest.mark.django_db
def test_the_queue_does_not_grow_in_queries_with_its_rows(
    assessed_case,
    case_manager,
    coordinator,
    detmold,
    lemgo,
    jobcenter,
    conference_settings,
    django_assert_max_num_queries,
):
    from tests.conferences.test_services import _indicate

    client = _client(coordinator)
    _indicate(assessed_case, case_manager, [detmold, lemgo])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse("conferences:queue"))
    for _ in range(4):
        _indicate(assessed_case, case_manager, [detmold, lemgo])
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = client.get(reverse("conferences:queue"))
    assert response.content.decode().count(assessed_case.reference) == 5
