"""The pages: person section, decisions, execution, overview and the retention periods."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lotse.people.models import Person
from lotse.retention.models import (
    ErasureRequest,
    LegalHold,
    RecordType,
    Restriction,
    RetentionRule,
    Tombstone,
)
from tests.retention.conftest import REASON

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_erasure_through_the_pages(
    rich_person, case_manager, team_lead, django_capture_on_commit_callbacks
):
    person = rich_person
    cm = _client(case_manager)
    section = reverse("retention:person", args=[person.pk])
    assert section in cm.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert cm.get(section).status_code == 200

    response = cm.post(reverse("retention:request", args=[person.pk]), {"erasure-reason": "kurz"})
    assert response.status_code == 422
    assert "aria-describedby" in response.content.decode()
    response = cm.post(reverse("retention:request", args=[person.pk]), {"erasure-reason": REASON})
    assert response.status_code == 302
    request = ErasureRequest.objects.get(person=person)
    # The case manager cannot decide or execute.
    decide = reverse("retention:decide", args=[request.pk])
    assert cm.post(decide, {"decision-decision": "approve"}).status_code == 403

    lead = _client(team_lead)
    assert "decision-decision" in lead.get(section).content.decode()
    assert lead.post(decide, {"decision-decision": "approve"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("retention:execute", args=[request.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("retention:overview")
    tombstone = Tombstone.objects.get(former_person_id=person.pk)

    assert lead.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert cm.get(section).status_code == 404
    overview = lead.get(reverse("retention:overview")).content.decode()
    assert tombstone.pseudonym in overview
    assert "Zebrowski" not in overview


def test_four_eyes_in_the_pages(rich_person, team_lead):
    lead = _client(team_lead)
    lead.post(reverse("retention:request", args=[rich_person.pk]), {"erasure-reason": REASON})
    request = ErasureRequest.objects.get(person=rich_person)
    response = lead.post(
        reverse("retention:decide", args=[request.pk]), {"decision-decision": "approve"}
    )
    assert response.status_code == 422
    assert "Four-eyes" in response.content.decode() or "Vier-Augen" in response.content.decode()
    request.refresh_from_db()
    assert request.state == ErasureRequest.State.REQUESTED


def test_restriction_and_hold_through_the_pages(rich_person, case_manager, team_lead):
    cm, lead = _client(case_manager), _client(team_lead)
    why = "Die Person bestreitet die Richtigkeit der Angaben zum Aufenthalt"
    assert (
        cm.post(
            reverse("retention:restrict", args=[rich_person.pk]), {"restriction-reason": why}
        ).status_code
        == 302
    )
    restriction = Restriction.objects.get(person=rich_person, lifted_at__isnull=True)
    lift = reverse("retention:lift_restriction", args=[restriction.pk])
    assert cm.post(lift).status_code == 403
    assert lead.post(lift).status_code == 302
    assert not Restriction.objects.filter(person=rich_person, lifted_at__isnull=True).exists()

    hold_url = reverse("retention:hold", args=[rich_person.pk])
    assert cm.post(hold_url, {"hold-reason": why}).status_code == 403
    assert lead.post(hold_url, {"hold-reason": "kurz"}).status_code == 422
    assert lead.post(hold_url, {"hold-reason": why}).status_code == 302
    hold = LegalHold.objects.get(person=rich_person)
    assert lead.post(reverse("retention:lift_hold", args=[hold.pk])).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == team_lead


def test_overview_and_rules_access(case_manager, team_lead, admin_user, traeger):
    assert _client(case_manager).get(reverse("retention:overview")).status_code == 403
    assert _client(team_lead).get(reverse("retention:overview")).status_code == 200
    assert _client(team_lead).get(reverse("retention:rules")).status_code == 403
    admin = _client(admin_user)
    page = admin.get(reverse("retention:overview")).content.decode()
    assert reverse("retention:rules") in page
    data = {f"{t}_months": 36 for t in RecordType} | {f"{t}_active": "on" for t in RecordType}
    assert admin.post(reverse("retention:rules"), {**data, "person_months": 0}).status_code == 422
    assert (
        admin.post(reverse("retention:rules"), {**data, "closed_case_months": 48}).status_code
        == 302
    )
    rule = RetentionRule.objects.get(traeger=traeger, record_type=RecordType.CLOSED_CASE)
    assert rule.period_months == 48 and rule.active
    assert Person.objects.count() == 0
