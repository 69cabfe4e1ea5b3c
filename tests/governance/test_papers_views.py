"""The pages of the papers' path and the portal's published decisions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.conferences.models import OptimisationNeed
from lotse.directory.models import Measure
from lotse.governance.models import Decision, Paper, PaperState

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_from_assigned_need_to_published_decision_through_the_pages(
    coordinator,
    partner,
    ak_arbeit,
    arbeit_i,
    assigned_needs,
    circle_meeting,
    steering_meeting,
    django_assert_max_num_queries,
):
    client = _client(coordinator)
    need = assigned_needs[0]
    form = client.get(reverse("governance:paper_create") + f"?bedarf={need.pk}")
    assert form.status_code == 200
    response = client.post(
        reverse("governance:paper_create"),
        {
            "body": ak_arbeit.pk,
            "needs": [n.pk for n in assigned_needs],
            "title": "Sprachkurse mit Kinderbetreuung",
            "problem": "Eltern brechen Kurse ab.",
            "proposal": "Kurse mit Betreuung.",
            "goal": arbeit_i.pk,
        },
    )
    assert response.status_code == 302
    paper = Paper.objects.get()
    url = reverse("governance:paper", args=[paper.pk])
    assert (
        client.post(
            reverse("governance:paper_consult", args=[paper.pk]),
            {"beratung-meeting": circle_meeting.pk},
        ).status_code
        == 302
    )
    consultation = paper.consultations.get()
    assert (
        client.post(
            reverse("governance:consultation_result", args=[paper.pk, consultation.pk]),
            {"ergebnis-result": "Befürwortet."},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("governance:paper_submit", args=[paper.pk]),
            {"vorlage-meeting": steering_meeting.pk},
        ).status_code
        == 302
    )
    today = timezone.localdate().isoformat()
    bad = client.post(
        reverse("governance:paper_decide", args=[paper.pk]),
        {
            "beschluss-outcome": "adopted",
            "beschluss-unanimous": "on",
            "beschluss-votes_no": "2",
            "beschluss-decided_on": today,
        },
    )
    assert bad.status_code == 422
    assert "keine Gegenstimmen" in bad.content.decode()
    assert (
        client.post(
            reverse("governance:paper_decide", args=[paper.pk]),
            {
                "beschluss-outcome": "adopted",
                "beschluss-votes_yes": "8",
                "beschluss-votes_no": "1",
                "beschluss-decided_on": today,
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("governance:decision_measure", args=[paper.pk]),
            {"massnahme-goal": arbeit_i.pk, "massnahme-text": "Kurse mit Betreuung."},
        ).status_code
        == 302
    )
    paper.refresh_from_db()
    assert paper.state == PaperState.DECIDED
    measure = Measure.objects.get(origin="decision")
    assert measure.goal == arbeit_i
    page = client.get(url).content.decode()
    assert "noch nicht veröffentlicht" in page

    decision = Decision.objects.get()
    portal = _client(partner)
    assert portal.get(reverse("portal:decision", args=[decision.pk])).status_code == 404
    decision.published_at = timezone.now()
    decision.save()
    shown = portal.get(reverse("portal:decision", args=[decision.pk])).content.decode()
    assert "Kurse mit Betreuung." in shown and "8 Ja, 1 Nein" in shown
    assert "Fallkonferenz" not in shown or need.conference is None
    assert portal.get(reverse("portal:measure", args=[measure.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert portal.get(reverse("portal:decisions")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("governance:papers")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("governance:measures")).status_code == 200
    assert set(OptimisationNeed.objects.values_list("status", flat=True)) == {"done"}


def test_the_queue_is_filtered_by_body_and_the_need_is_assigned_to_a_body(
    coordinator, ak_arbeit, assigned_needs
):
    client = _client(coordinator)
    other = OptimisationNeed.objects.create(
        traeger=ak_arbeit.traeger,
        field_of_action=assigned_needs[0].field_of_action,
        category="x",
        description="Noch offen und ungeordnet",
        status=OptimisationNeed.Status.TRIAGED,
    )
    page = client.get(
        reverse("conferences:optimisation_needs") + f"?gremium={ak_arbeit.pk}"
    ).content.decode()
    assert "Sprachkurse mit Kinderbetreuung fehlen." in page
    assert "Noch offen und ungeordnet" not in page
    response = client.post(
        reverse("conferences:optimisation_need", args=[other.pk]),
        {"status": "assigned", "body": ak_arbeit.pk},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.status, other.body) == ("assigned", ak_arbeit)


def test_a_report_is_presented_on_a_review_item(coordinator, arbeit_i, ak_arbeit):
    from lotse.governance.models import AgendaItem, MeasureReport
    from tests.governance.conftest import make_meeting

    meeting = make_meeting(ak_arbeit, 3, "Bericht")
    item = AgendaItem.objects.create(
        traeger=meeting.traeger, meeting=meeting, title="Berichte", kind=AgendaItem.Kind.REVIEW
    )
    measure = Measure.objects.filter(goal=arbeit_i).first()
    client = _client(coordinator)
    url = reverse("governance:measure", args=[measure.pk])
    assert "Berichte" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "status": "delayed",
            "progress": "Träger fehlt noch.",
            "reported_on": timezone.localdate().isoformat(),
            "item": item.pk,
        },
    )
    assert response.status_code == 302
    assert MeasureReport.objects.get(measure=measure).item == item
    measure.refresh_from_db()
    assert measure.status == "delayed"
    bad = client.post(url, {"status": "delayed", "progress": "", "reported_on": "gestern"})
    assert bad.status_code == 422
