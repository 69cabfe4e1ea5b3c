from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lotse.cases.models import CaseEvaluation, Phase, PhaseTransition, TimelineEntry
from lotse.cases.services import AttainmentInput, case_change_phase, case_evaluate, case_reopen
from tests.factories import FieldOfActionFactory, TimelineEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluating(case):
    case.participation_agreed_on = dt.date(2026, 10, 8)
    case.phase = Phase.EVALUATION
    case.save()
    return case


def test_closing_needs_an_evaluation(evaluating, case_manager):
    with pytest.raises(ValidationError) as error:
        case_change_phase(
            actor=case_manager,
            case=evaluating,
            to_phase=Phase.CLOSED,
            expected_version=evaluating.version,
        )
    assert "to_phase" in error.value.message_dict
    TimelineEntryFactory(case=evaluating, kind=TimelineEntry.Kind.CONTACT)
    case_evaluate(
        actor=case_manager,
        case=evaluating,
        ending_reason="goals_reached",
        effort_hours=Decimal("12.5"),
        attainments=[AttainmentInput(goal="B1 erreicht", level="reached")],
    )
    case_change_phase(
        actor=case_manager,
        case=evaluating,
        to_phase=Phase.CLOSED,
        expected_version=evaluating.version,
    )
    evaluating.refresh_from_db()
    assert evaluating.phase == Phase.CLOSED and evaluating.closed_on is not None
    evaluation = CaseEvaluation.objects.get(case=evaluating)
    assert evaluation.contacts_count == 1
    assert [a.level for a in evaluation.attainments.all()] == ["reached"]


def test_evaluation_only_in_phase_evaluation_and_validated(case, case_manager, evaluating):
    other_traeger_field = FieldOfActionFactory()
    with pytest.raises(ValidationError):
        case_evaluate(
            actor=case_manager,
            case=evaluating,
            ending_reason="other",
            attainments=[AttainmentInput(goal="x", level="reached")],
        )
    with pytest.raises(ValidationError):
        case_evaluate(
            actor=case_manager, case=evaluating, ending_reason="goals_reached", attainments=[]
        )
    with pytest.raises(ValidationError):
        case_evaluate(
            actor=case_manager,
            case=evaluating,
            ending_reason="goals_reached",
            attainments=[
                AttainmentInput(goal="x", level="reached", field_of_action=other_traeger_field)
            ],
        )
    assert not CaseEvaluation.objects.exists()


def test_reopen_only_team_lead_with_reason(evaluating, case_manager, team_lead):
    case_evaluate(
        actor=case_manager,
        case=evaluating,
        ending_reason="moved_away",
        attainments=[AttainmentInput(goal="Wohnung", level="partly")],
    )
    case_change_phase(
        actor=case_manager,
        case=evaluating,
        to_phase=Phase.CLOSED,
        expected_version=evaluating.version,
    )
    with pytest.raises(PermissionDenied):
        case_reopen(
            actor=case_manager,
            case=evaluating,
            expected_version=evaluating.version,
            to_phase=Phase.MONITORING,
            reason="Rückkehr",
        )
    with pytest.raises(ValidationError):
        case_reopen(
            actor=team_lead,
            case=evaluating,
            expected_version=evaluating.version,
            to_phase=Phase.MONITORING,
            reason=" ",
        )
    case_reopen(
        actor=team_lead,
        case=evaluating,
        expected_version=evaluating.version,
        to_phase=Phase.MONITORING,
        reason="Rückkehr nach Lippe",
    )
    evaluating.refresh_from_db()
    assert evaluating.phase == Phase.MONITORING and evaluating.closed_on is None
    assert PhaseTransition.objects.filter(case=evaluating, from_phase=Phase.CLOSED).exists()


def test_evaluation_page_flow(client, evaluating, case_manager, team_lead):
    field = FieldOfActionFactory(traeger=evaluating.traeger, name="Arbeit")
    client.force_login(case_manager)
    url = reverse("cases:evaluation", args=[evaluating.pk])
    assert client.get(url).status_code == 200
    management = {
        "ziel-TOTAL_FORMS": "1",
        "ziel-INITIAL_FORMS": "0",
        "ziel-MIN_NUM_FORMS": "1",
        "ziel-MAX_NUM_FORMS": "1000",
    }
    bad = client.post(
        url, {**management, "ending_reason": "", "ziel-0-goal": "Job", "ziel-0-level": ""}
    )
    assert bad.status_code == 422
    assert "ending_reason" in bad.context["form"].errors
    assert "level" in bad.context["formset"].forms[0].errors
    good = client.post(
        url,
        {
            **management,
            "ending_reason": "handed_over",
            "effort_hours": "8",
            "ziel-0-goal": "Arbeitsaufnahme",
            "ziel-0-field_of_action": field.pk,
            "ziel-0-level": "reached",
        },
    )
    assert good.status_code == 302
    assert CaseEvaluation.objects.get(case=evaluating).attainments.get().field_of_action == field
    detail = client.get(reverse("cases:detail", args=[evaluating.pk]))
    assert "Arbeitsaufnahme" in detail.content.decode()
    assert client.get(reverse("cases:reopen", args=[evaluating.pk])).status_code == 403
    client.force_login(team_lead)
    assert (
        client.post(
            reverse("cases:reopen", args=[evaluating.pk]),
            {"version": evaluating.version, "to_phase": "monitoring", "reason": "x"},
        ).status_code
        == 422
    )
