"""``/api/v1/cases/{id}/…`` for the Erstgespräch, assessment, profile and interpreting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.cases.models import Phase, TimelineEntry
from lotse.intake.models import Assessment, InitialInterview, InterpreterUse
from tests.factories import (
    FieldOfActionFactory,
    OrganisationFactory,
    TimelineEntryFactory,
    TraegerFactory,
    UserFactory,
)
from tests.intake.conftest import complete_answers
from tests.tokens import bearer_for

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(user))
    return client


@pytest.fixture
def api(case_manager):
    return client_for(case_manager)


def api_url(name, case, *args):
    return reverse(f"api:{name}", args=[case.pk, *args])


def interview_body(**extra):
    body = {
        "version": 0,
        "held_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
        "location": "Regionalbüro",
        "answers": complete_answers(),
    }
    body.update(extra)
    return body


# -- Erstgespräch -----------------------------------------------------------------------------


def test_interview_before_it_exists_shows_the_current_guide(api, case, guide):
    response = api.get(api_url("case-initial-interview", case))
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["version"], data["guide_version"]) == ("none", 0, "1.0")
    question = data["sections"][0]["questions"][0]
    assert (question["key"], question["answer_type"], question["required"]) == (
        "freiwilligkeit",
        "yes_no",
        True,
    )
    assert AuditEntry.objects.filter(channel="api", detail="intake:interview").exists()


def test_interview_draft_complete_and_read_only(api, case, guide):
    response = api.put(api_url("case-initial-interview", case), interview_body(), format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["version"]) == ("draft", 1)

    response = api.put(
        api_url("case-initial-interview", case),
        interview_body(
            version=1,
            complete=True,
            interpreter={"language": "ar", "kind": "relative"},
        ),
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "completed"
    assert data["interpreter"]["discouraged"] is True
    assert TimelineEntry.objects.get(pk=data["timeline_entry"]).case_id == case.pk

    again = api.put(
        api_url("case-initial-interview", case), interview_body(version=2), format="json"
    )
    assert again.status_code == 400


def test_interview_validation_and_conflict(api, case, guide):
    body = interview_body(answers={"lebenssituation": {"kinder": "viele", "unbekannt": "x"}})
    response = api.put(api_url("case-initial-interview", case), body, format="json")
    assert response.status_code == 400
    assert {"lebenssituation__kinder", "lebenssituation__unbekannt"} <= set(response.json())

    response = api.put(
        api_url("case-initial-interview", case),
        interview_body(complete=True, answers={}),
        format="json",
    )
    assert response.status_code == 400
    assert "rahmen__freiwilligkeit" in response.json()
    assert not InitialInterview.objects.exists()

    api.put(api_url("case-initial-interview", case), interview_body(), format="json")
    stale = api.put(api_url("case-initial-interview", case), interview_body(), format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"


def test_interview_keeps_its_guide_version_after_a_guide_change(api, case, guide):
    api.put(api_url("case-initial-interview", case), interview_body(), format="json")
    guide.guide_version = "2.0"
    guide.sections = [{"key": "neu", "title": "Neu", "questions": [{"key": "x", "text": "X"}]}]
    guide.save()
    data = api.get(api_url("case-initial-interview", case)).json()
    assert data["guide_version"] == "1.0"
    assert [s["key"] for s in data["sections"]] == ["rahmen", "lebenssituation"]
    assert data["answers"]["rahmen"]["freiwilligkeit"] is True


# -- Assessment -------------------------------------------------------------------------------


def test_assessments_list_every_field_of_action(api, case, work_field, language_field):
    data = api.get(api_url("case-assessments", case)).json()
    assert [(row["field_of_action"], row["version"]) for row in data] == [
        (work_field.pk, 0),
        (language_field.pk, 0),
    ]


def test_assessment_put_history_and_conflict(api, case, work_field, jobcenter):
    target = api_url("case-assessment", case, work_field.pk)
    response = api.put(
        target,
        {
            "version": 0,
            "work_status": "training_seeker",
            "german_level": "B1",
            "german_test_date": "2026-09-01",
            "german_test_provider": "Goethe-Institut",
            "authorities": [jobcenter.pk],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["authorities"] == [jobcenter.pk]
    response = api.put(target, {"version": 1, "goals": "Ausbildung"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["version"], data["goals"], data["german_level"]) == (2, "Ausbildung", "B1")
    assert data["authorities"] == [jobcenter.pk]  # not sent: unchanged

    assert api.put(target, {"version": 1, "goals": "x"}, format="json").status_code == 409
    history = api.get(api_url("case-assessment-history", case, work_field.pk)).json()
    assert [row["version"] for row in history] == [2, 1]
    assert history[1]["data"]["goals"] == ""


def test_assessment_cefr_and_scoping_errors(api, case, work_field):
    target = api_url("case-assessment", case, work_field.pk)
    assert api.put(target, {"version": 0, "german_level": "B1"}, format="json").status_code == 400
    assert api.put(target, {"version": 0, "german_level": "X9"}, format="json").status_code == 400
    foreign_org = OrganisationFactory(traeger=TraegerFactory())
    response = api.put(target, {"version": 0, "authorities": [foreign_org.pk]}, format="json")
    assert response.status_code == 400
    foreign_field = FieldOfActionFactory(traeger=TraegerFactory())
    assert api.get(api_url("case-assessment", case, foreign_field.pk)).status_code == 404
    assert not Assessment.objects.exists()


# -- Profile ----------------------------------------------------------------------------------


def test_profile_get_put(api, case):
    case.person.registered_on = dt.date(2020, 5, 1)
    case.person.save()
    data = api.get(api_url("case-profile", case)).json()
    assert (data["version"], data["track"], data["arrival_category"]) == (0, None, "established")

    response = api.put(
        api_url("case-profile", case),
        {"version": 0, "track": "acceleration", "reason": "Studium, B2"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["team_share"] == {"acceleration": 1, "barriers": 0, "undecided": 0}
    stale = api.put(
        api_url("case-profile", case),
        {"version": 0, "track": "barriers", "reason": "x"},
        format="json",
    )
    assert stale.status_code == 409


# -- Interpreting -----------------------------------------------------------------------------


def test_interpreter_uses(api, case, ki):
    contact = TimelineEntryFactory(case=case, kind="contact", channel="phone")
    note = TimelineEntryFactory(case=case, kind="note")
    target = api_url("case-interpreter-uses", case)
    response = api.post(
        target,
        {
            "timeline_entry": contact.pk,
            "language": "uk",
            "kind": "professional",
            "organisation": ki.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["discouraged"] is False
    response = api.post(
        target, {"timeline_entry": note.pk, "language": "uk", "kind": "child"}, format="json"
    )
    assert response.status_code == 400
    assert "timeline_entry" in response.json()
    data = api.get(target).json()
    assert [(row["timeline_entry"], row["kind"]) for row in data] == [(contact.pk, "professional")]


# -- access and closed cases ------------------------------------------------------------------


ENDPOINTS = ["case-initial-interview", "case-assessments", "case-profile", "case-interpreter-uses"]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_other_team_gets_404_and_coordination_403(case, traeger, organisation, name):
    other_team = UserFactory(traeger=traeger, organisation=OrganisationFactory(traeger=traeger))
    assert client_for(other_team).get(api_url(name, case)).status_code == 404
    coordinator = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.COORDINATION])
    assert client_for(coordinator).get(api_url(name, case)).status_code == 403
    assert APIClient().get(api_url(name, case)).status_code == 401


def test_closed_case_refuses_writes(api, case, guide, work_field):
    case.phase = Phase.CLOSED
    case.save()
    assert (
        api.put(
            api_url("case-initial-interview", case), interview_body(), format="json"
        ).status_code
        == 400
    )
    assert (
        api.put(
            api_url("case-assessment", case, work_field.pk),
            {"version": 0, "goals": "x"},
            format="json",
        ).status_code
        == 400
    )
    assert api.get(api_url("case-profile", case)).status_code == 200
    assert not InitialInterview.objects.exists() and not InterpreterUse.objects.exists()
