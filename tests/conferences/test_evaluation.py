"""The anonymous Evaluationsbogen: one per participant, stored without them, averaged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from lotse.conferences import services
from lotse.conferences.models import EvaluationSheet, Participant
from lotse.conferences.selectors import evaluation_summary
from tests.conferences.test_services import _called, _in_three_weeks
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(assessed_case, case_manager, coordinator, detmold, lemgo, jobcenter, conference_settings):
    conference = _called(assessed_case, case_manager, [detmold, lemgo], jobcenter)
    services.conference_schedule(
        actor=coordinator,
        conference=conference,
        expected_version=conference.version,
        starts_at=_in_three_weeks(),
        duration_minutes=90,
        location="Raum 1",
        video_link="",
        moderator=coordinator,
    )
    other = OrganisationFactory(traeger=assessed_case.traeger, key="jugendamt-x")
    people = [
        services.participant_add(
            actor=coordinator,
            conference=conference,
            organisation=organisation,
            name=name,
            email=email,
            role_in_case="Beratung",
        )
        for organisation, name, email in [
            (jobcenter, "Kerstin Meier", "k.meier@jobcenter.example"),
            (other, "Jan Vogt", "vogt@jugendamt.example"),
            (other, "Ina Abwesend", "ina@jugendamt.example"),
        ]
    ]
    present = {people[0].pk, people[1].pk}
    services.conference_record(
        actor=coordinator,
        conference=conference,
        minutes={},
        planned={},
        attended=present,
        confidentiality=present,
    )
    services.conference_conclude(
        actor=coordinator, conference=conference, expected_version=conference.version
    )
    return conference


def test_a_sheet_is_stored_without_the_participant_and_counted_once(held, coordinator):
    kerstin = held.participants.get(name="Kerstin Meier")
    sheet = services.evaluation_submit(
        actor=coordinator,
        participant=kerstin,
        answers={"moderation": 5, "time": 3, "benefit": None},
        comment="Mehr Zeit für die Fallrekonstruktion.",
    )
    assert sheet.answers == {"moderation": 5, "time": 3}
    field_names = {f.name for f in EvaluationSheet._meta.get_fields()}
    assert not field_names & {"participant", "user", "created_by", "created_at"}
    kerstin.refresh_from_db()
    assert kerstin.evaluation_submitted
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM conferences_evaluationsheet WHERE id = %s", [sheet.pk])
        assert "Fallrekonstruktion" not in cursor.fetchone()[0]
    with pytest.raises(ValidationError) as error:
        services.evaluation_submit(actor=coordinator, participant=kerstin, answers={"time": 4})
    assert "bereits erfasst" in error.value.message_dict["participant"][0]
    assert EvaluationSheet.objects.count() == 1


def test_absent_participants_empty_sheets_and_values_outside_the_scale_are_refused(
    held, coordinator
):
    absent = held.participants.get(name="Ina Abwesend")
    with pytest.raises(ValidationError):
        services.evaluation_submit(actor=coordinator, participant=absent, answers={"time": 4})
    jan = held.participants.get(name="Jan Vogt")
    for answers in ({"time": 6}, {"erfunden": 3}, {}):
        with pytest.raises(ValidationError):
            services.evaluation_submit(actor=coordinator, participant=jan, answers=answers)
    assert not EvaluationSheet.objects.exists()
    assert not Participant.objects.get(pk=jan.pk).evaluation_submitted


def test_the_servicestelle_enters_sheets_and_sees_averages_per_conference_and_quarter(
    held, coordinator, case_manager
):
    client = Client()
    client.force_login(coordinator)
    url = reverse("conferences:evaluation_add", args=[held.pk])
    for name, value in [("Kerstin Meier", "5"), ("Jan Vogt", "2")]:
        person = held.participants.get(name=name)
        response = client.post(
            url, {"participant": person.pk, "q_moderation": value, "q_time": "4"}
        )
        assert response.status_code == 302
    again = client.post(url, {"participant": person.pk, "q_time": "4"})
    assert again.status_code == 422  # the choice no longer offers Jan Vogt
    per_conference, per_quarter = evaluation_summary(coordinator)
    assert [(r.sheets, r.means[1], r.means[2]) for r in per_conference] == [(2, 3.5, 4.0)]
    assert per_conference[0].means[0] is None
    assert per_quarter[0].sheets == 2
    page = client.get(reverse("conferences:evaluations")).content.decode()
    assert "3,5" in page and held.case.reference in page
    assert "Kerstin" not in page
    assert evaluation_summary(case_manager) == ([], [])
