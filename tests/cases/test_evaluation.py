"""Evaluation against the SMART goals of the agreement in force; counts at closing (issue 10)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from lotse.agreements.models import Agreement
from lotse.audit.models import AuditEntry
from lotse.cases.models import (
    AttainmentCount,
    CaseEvaluation,
    GoalAttainment,
    Phase,
    PhaseTransition,
    TimelineEntry,
)
from lotse.cases.selectors import attainment_totals, closing_summary
from lotse.cases.services import AttainmentInput, case_change_phase, case_evaluate, case_reopen
from tests.factories import (
    AgreementFactory,
    AgreementGoalFactory,
    CaseFactory,
    FieldOfActionFactory,
    TimelineEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def language(traeger):
    return FieldOfActionFactory(traeger=traeger, key="sprache", name="Sprache", sort_order=1)


@pytest.fixture
def work(traeger):
    return FieldOfActionFactory(traeger=traeger, key="arbeit", name="Arbeit", sort_order=2)


@pytest.fixture
def agreement(case, language, work):
    """The agreed Integrationsvereinbarung of the case: two SMART goals in two fields."""
    agreement = AgreementFactory(case=case)
    AgreementGoalFactory(
        agreement=agreement,
        position=1,
        field_of_action=language,
        what="Deutschkenntnisse auf Niveau A2 erreichen",
        indicator="Zertifikat A2 liegt vor",
        due_on=dt.date(2027, 6, 30),
    )
    AgreementGoalFactory(
        agreement=agreement,
        position=2,
        field_of_action=work,
        what="Beratung zur Arbeitssuche wahrnehmen",
        indicator="Erstberatung beim Jobcenter hat stattgefunden",
    )
    return agreement


@pytest.fixture
def goals(agreement):
    return list(agreement.goals.order_by("position"))


@pytest.fixture
def evaluating(case):
    case.participation_agreed_on = dt.date(2026, 10, 8)
    case.phase = Phase.EVALUATION
    case.save()
    return case


def _close(case, actor):
    return case_change_phase(
        actor=actor, case=case, to_phase=Phase.CLOSED, expected_version=case.version
    )


def test_the_final_evaluation_rates_each_goal_and_closing_counts_them(
    evaluating, agreement, goals, language, work, case_manager
):
    with pytest.raises(ValidationError) as error:
        _close(evaluating, case_manager)
    assert "to_phase" in error.value.message_dict
    TimelineEntryFactory(case=evaluating, kind=TimelineEntry.Kind.CONTACT)
    evaluation = case_evaluate(
        actor=case_manager,
        case=evaluating,
        ending_reason="goals_reached",
        effort_hours=Decimal("12.5"),
        attainments=[
            AttainmentInput(agreement_goal=goals[0], level="reached", note="A2 im Mai"),
            AttainmentInput(agreement_goal=goals[1], level="partly"),
            AttainmentInput(field_of_action=work, level="not_reached"),
        ],
    )
    assert evaluation.kind == CaseEvaluation.Kind.FINAL and evaluation.agreement == agreement
    assert evaluation.contacts_count == 1
    rows = list(evaluation.attainments.order_by("id"))
    assert [(a.agreement_goal, a.field_of_action, a.level) for a in rows] == [
        (goals[0], language, "reached"),
        (goals[1], work, "partly"),
        (None, work, "not_reached"),
    ]
    assert rows[0].goal == ""  # the goal's text stays encrypted on the goal, no plain copy
    assert not AttainmentCount.objects.exists()  # counted at closing, not before

    _close(evaluating, case_manager)
    evaluating.refresh_from_db()
    assert evaluating.phase == Phase.CLOSED
    counts = {
        (c.field_of_action_id, c.rated, c.level): (c.count, c.closed_on)
        for c in AttainmentCount.objects.filter(case=evaluating)
    }
    today = timezone.localdate()
    assert counts == {
        (language.pk, "goal", "reached"): (1, today),
        (work.pk, "goal", "partly"): (1, today),
        (work.pk, "field", "not_reached"): (1, today),
    }
    summary = closing_summary(evaluating)
    assert [(t.field_name, t.reached, t.partly, t.not_reached) for t in summary["goals"]] == [
        ("Sprache", 1, 0, 0),
        ("Arbeit", 0, 1, 0),
    ]
    assert [(t.field_name, t.not_reached) for t in summary["fields"]] == [("Arbeit", 1)]


def test_every_goal_of_the_agreement_in_force_is_rated_and_nothing_else(
    evaluating, goals, case_manager, traeger
):
    with pytest.raises(ValidationError) as error:
        case_evaluate(
            actor=case_manager,
            case=evaluating,
            ending_reason="goals_reached",
            attainments=[AttainmentInput(agreement_goal=goals[0], level="reached")],
        )
    assert error.value.message_dict == {
        f"goal_{goals[1].pk}_level": ["Bitte bewerten Sie jedes Ziel der Vereinbarung."]
    }
    foreign_goal = AgreementGoalFactory(agreement=AgreementFactory(case=CaseFactory()))
    superseded = AgreementGoalFactory(
        agreement=AgreementFactory(case=evaluating, number=0, status=Agreement.Status.SUPERSEDED),
        field_of_action=goals[0].field_of_action,
    )
    for stray in (foreign_goal, superseded):
        with pytest.raises(ValidationError) as error:
            case_evaluate(
                actor=case_manager,
                case=evaluating,
                ending_reason="goals_reached",
                attainments=[
                    AttainmentInput(agreement_goal=goals[0], level="reached"),
                    AttainmentInput(agreement_goal=goals[1], level="reached"),
                    AttainmentInput(agreement_goal=stray, level="reached"),
                ],
            )
        assert f"goal_{stray.pk}_level" in error.value.message_dict
    other_traeger_field = FieldOfActionFactory()
    with pytest.raises(ValidationError) as error:
        case_evaluate(
            actor=case_manager,
            case=evaluating,
            ending_reason="goals_reached",
            attainments=[
                AttainmentInput(agreement_goal=goals[0], level="reached"),
                AttainmentInput(agreement_goal=goals[1], level="maybe"),
                AttainmentInput(field_of_action=other_traeger_field, level="reached"),
            ],
        )
    assert set(error.value.message_dict) == {
        f"goal_{goals[1].pk}_level",
        f"field_{other_traeger_field.pk}_level",
    }
    with pytest.raises(ValidationError) as error:
        case_evaluate(
            actor=case_manager,
            case=evaluating,
            ending_reason="other",
            attainments=[
                AttainmentInput(agreement_goal=goals[0], level="reached"),
                AttainmentInput(agreement_goal=goals[1], level="reached"),
            ],
        )
    assert "ending_note" in error.value.message_dict
    assert not CaseEvaluation.objects.exists() and not GoalAttainment.objects.exists()


def test_without_an_agreement_the_fields_of_action_are_rated(evaluating, work, case_manager):
    with pytest.raises(ValidationError):
        case_evaluate(
            actor=case_manager, case=evaluating, ending_reason="moved_away", attainments=[]
        )
    evaluation = case_evaluate(
        actor=case_manager,
        case=evaluating,
        ending_reason="moved_away",
        attainments=[AttainmentInput(field_of_action=work, level="partly")],
    )
    assert evaluation.agreement is None
    assert [(a.field_of_action, a.level) for a in evaluation.attainments.all()] == [
        (work, "partly")
    ]


def test_interim_evaluations_are_kept_and_need_an_agreement(case, goals, case_manager):
    case.participation_agreed_on = dt.date(2026, 10, 8)
    case.phase = Phase.MONITORING
    case.save()
    ratings = [
        AttainmentInput(agreement_goal=goals[0], level="not_reached"),
        AttainmentInput(agreement_goal=goals[1], level="partly"),
    ]
    first = case_evaluate(actor=case_manager, case=case, attainments=ratings)
    second = case_evaluate(
        actor=case_manager, case=case, attainments=ratings, assessment="Kurs begonnen"
    )
    assert {first.kind, second.kind} == {CaseEvaluation.Kind.INTERIM}
    assert CaseEvaluation.objects.filter(case=case).count() == 2  # history, not overwritten
    assert second.ending_reason == "" and second.attainments.count() == 2
    assert AuditEntry.objects.filter(detail="evaluation:interim", object_id=str(case.pk)).count()
    # An interim evaluation does not allow closing: only the final one does.
    case.phase = Phase.EVALUATION
    case.save()
    with pytest.raises(ValidationError):
        _close(case, case_manager)

    Agreement.objects.filter(case=case).delete()
    case.phase = Phase.MONITORING
    case.save()
    with pytest.raises(ValidationError) as error:
        case_evaluate(actor=case_manager, case=case, attainments=ratings)
    assert "keine" in error.value.messages[0]


def test_reopening_removes_the_counts_and_closing_again_counts_once(
    evaluating, goals, case_manager, team_lead
):
    case_evaluate(
        actor=case_manager,
        case=evaluating,
        ending_reason="moved_away",
        attainments=[
            AttainmentInput(agreement_goal=goals[0], level="partly"),
            AttainmentInput(agreement_goal=goals[1], level="partly"),
        ],
    )
    _close(evaluating, case_manager)
    assert AttainmentCount.objects.filter(case=evaluating).count() == 2
    with pytest.raises(PermissionDenied):
        case_reopen(
            actor=case_manager,
            case=evaluating,
            expected_version=evaluating.version,
            to_phase=Phase.EVALUATION,
            reason="Rückkehr",
        )
    with pytest.raises(ValidationError):
        case_reopen(
            actor=team_lead,
            case=evaluating,
            expected_version=evaluating.version,
            to_phase=Phase.EVALUATION,
            reason=" ",
        )
    case_reopen(
        actor=team_lead,
        case=evaluating,
        expected_version=evaluating.version,
        to_phase=Phase.EVALUATION,
        reason="Rückkehr nach Lippe",
    )
    evaluating.refresh_from_db()
    assert evaluating.phase == Phase.EVALUATION and evaluating.closed_on is None
    assert PhaseTransition.objects.filter(case=evaluating, from_phase=Phase.CLOSED).exists()
    assert not AttainmentCount.objects.filter(case=evaluating).exists()
    _close(evaluating, case_manager)
    assert sorted(AttainmentCount.objects.values_list("level", "count")) == [
        ("partly", 1),
        ("partly", 1),
    ]


def test_attainment_totals_per_traeger_and_field_over_a_period(traeger, language, work):
    other_traeger_field = FieldOfActionFactory()

    def count(field, level, number, closed_on, rated="goal", traeger_id=traeger.pk):
        AttainmentCount.objects.create(
            traeger_id=traeger_id,
            field_of_action=field,
            rated=rated,
            level=level,
            count=number,
            closed_on=closed_on,
        )

    count(language, "reached", 2, dt.date(2026, 3, 1))
    count(language, "reached", 1, dt.date(2026, 3, 31))
    count(language, "not_reached", 1, dt.date(2026, 3, 15))
    count(work, "partly", 3, dt.date(2026, 3, 10))
    count(work, "reached", 5, dt.date(2026, 4, 1))  # after the period
    count(work, "reached", 7, dt.date(2026, 3, 10), rated="field")  # a field rating
    count(
        other_traeger_field,
        "reached",
        9,
        dt.date(2026, 3, 10),
        traeger_id=other_traeger_field.traeger_id,
    )

    totals = attainment_totals(
        traeger_id=traeger.pk, closed_from=dt.date(2026, 3, 1), closed_until=dt.date(2026, 3, 31)
    )
    assert [(t.field_name, t.reached, t.partly, t.not_reached, t.total) for t in totals] == [
        ("Sprache", 3, 0, 1, 4),
        ("Arbeit", 0, 3, 0, 3),
    ]
    fields = attainment_totals(
        traeger_id=traeger.pk,
        closed_from=dt.date(2026, 3, 1),
        closed_until=dt.date(2026, 3, 31),
        rated="field",
    )
    assert [(t.field_of_action_id, t.reached) for t in fields] == [(work.pk, 7)]


def test_the_counts_stay_when_the_case_is_erased(evaluating, goals, case_manager):
    case_evaluate(
        actor=case_manager,
        case=evaluating,
        ending_reason="goals_reached",
        attainments=[AttainmentInput(agreement_goal=g, level="reached") for g in goals],
    )
    _close(evaluating, case_manager)
    evaluating.delete()
    assert list(AttainmentCount.objects.values_list("case", "count")) == [(None, 1), (None, 1)]


# -- the page ------------------------------------------------------------------------------


def test_evaluation_page_shows_the_goals_and_refuses_bad_input(
    client, evaluating, goals, work, case_manager, team_lead
):
    client.force_login(case_manager)
    url = reverse("cases:evaluation", args=[evaluating.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Deutschkenntnisse auf Niveau A2 erreichen" in html
    assert "Zertifikat A2 liegt vor" in html and "30.06.2027" in html
    assert f'name="field_{work.pk}_level"' in html

    first, second = (f"goal_{g.pk}_level" for g in goals)
    bad = client.post(url, {"ending_reason": "", first: "reached"})
    assert bad.status_code == 422
    assert {"ending_reason", second} <= set(bad.context["form"].errors)
    assert not CaseEvaluation.objects.exists()
    # A service error comes back at the field: a note is needed for "other reason".
    other = client.post(url, {"ending_reason": "other", first: "reached", second: "partly"})
    assert other.status_code == 422
    assert "ending_note" in other.context["form"].errors
    assert not CaseEvaluation.objects.exists()

    good = client.post(
        url,
        {
            "ending_reason": "handed_over",
            "effort_hours": "8",
            first: "reached",
            f"goal_{goals[0].pk}_note": "Zertifikat vom Mai",
            second: "partly",
            f"field_{work.pk}_level": "reached",
        },
    )
    assert good.status_code == 302
    evaluation = CaseEvaluation.objects.get(case=evaluating)
    assert evaluation.attainments.count() == 3
    # Recording it again starts from what was recorded.
    again = client.get(url)
    assert again.context["form"].initial[first] == "reached"
    detail = client.get(reverse("cases:detail", args=[evaluating.pk])).content.decode()
    assert "Deutschkenntnisse auf Niveau A2 erreichen" in detail and "Zertifikat vom Mai" in detail
    assert client.get(reverse("cases:reopen", args=[evaluating.pk])).status_code == 403


def test_interim_page_without_an_agreement_says_so(client, case, case_manager):
    case.participation_agreed_on = dt.date(2026, 10, 8)
    case.phase = Phase.MONITORING
    case.save()
    client.force_login(case_manager)
    page = client.get(reverse("cases:evaluation", args=[case.pk]))
    assert page.status_code == 200
    assert "Keine Integrationsvereinbarung in Kraft" in page.content.decode()
    assert b'<form method="post" novalidate class="lotse-form' not in page.content
    refused = client.post(reverse("cases:evaluation", args=[case.pk]), {})
    assert refused.status_code == 422
    assert not CaseEvaluation.objects.exists()


# -- the data migration ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_legacy_attainments_are_linked_to_the_goal_whose_text_matches(
    case, agreement, goals, case_manager
):
    evaluation = CaseEvaluation.objects.create(
        traeger=case.traeger, case=case, ending_reason="goals_reached"
    )
    matching = GoalAttainment.objects.create(
        traeger=case.traeger,
        evaluation=evaluation,
        goal="  deutschkenntnisse auf  Niveau A2 erreichen ",
        level="reached",
    )
    free_text = GoalAttainment.objects.create(
        traeger=case.traeger, evaluation=evaluation, goal="Wohnung gefunden", level="partly"
    )
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        MigrationExecutor(connection).migrate([("cases", "0006_evaluation_goals")])
    finally:
        MigrationExecutor(connection).migrate(latest)
    matching.refresh_from_db()
    free_text.refresh_from_db()
    evaluation.refresh_from_db()
    assert matching.agreement_goal == goals[0]
    assert matching.field_of_action == goals[0].field_of_action and matching.goal == ""
    assert free_text.agreement_goal is None and free_text.goal == "Wohnung gefunden"
    assert evaluation.agreement == agreement
