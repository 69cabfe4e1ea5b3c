from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.cases import phases
from lotse.cases.models import Phase, PhaseTransition
from lotse.cases.services import case_change_phase
from lotse.core.locking import EditConflict


def test_forward_steps_follow_dgcc_order():
    assert phases.next_phase(Phase.INTAKE) == Phase.ASSESSMENT
    assert phases.next_phase(Phase.EVALUATION) == Phase.CLOSED
    assert phases.next_phase(Phase.CLOSED) is None


def test_back_steps_need_reason_and_closed_has_no_steps():
    steps = {s.to_phase: s for s in phases.allowed_steps(Phase.MONITORING)}
    assert steps[Phase.EVALUATION].needs_reason is False
    assert steps[Phase.SERVICE_PLANNING].needs_reason is True
    assert Phase.CLOSED not in steps
    assert phases.allowed_steps(Phase.CLOSED) == []


@pytest.mark.django_db
def test_leaving_klaerung_requires_voluntary_agreement(case, case_manager):
    with pytest.raises(ValidationError) as error:
        case_change_phase(
            actor=case_manager, case=case, to_phase=Phase.ASSESSMENT, expected_version=case.version
        )
    assert "to_phase" in error.value.message_dict
    case.refresh_from_db()
    assert case.phase == Phase.INTAKE


@pytest.mark.django_db
def test_back_step_without_reason_is_refused_and_with_reason_journaled(case, case_manager):
    import datetime as dt

    case.participation_offered_on = dt.date(2026, 10, 5)
    case.participation_agreed_on = dt.date(2026, 10, 12)
    case.phase = Phase.MONITORING
    case.save()
    with pytest.raises(ValidationError) as error:
        case_change_phase(
            actor=case_manager,
            case=case,
            to_phase=Phase.SERVICE_PLANNING,
            expected_version=case.version,
        )
    assert "reason" in error.value.message_dict
    case_change_phase(
        actor=case_manager,
        case=case,
        to_phase=Phase.SERVICE_PLANNING,
        expected_version=case.version,
        reason="Neue Ziele nach Umzug",
    )
    case.refresh_from_db()
    assert case.phase == Phase.SERVICE_PLANNING
    transition = PhaseTransition.objects.get(case=case)
    assert transition.reason == "Neue Ziele nach Umzug"
    assert transition.from_phase == Phase.MONITORING


@pytest.mark.django_db
def test_stale_version_is_a_conflict_and_changes_nothing(case, case_manager):
    import datetime as dt

    case.participation_agreed_on = dt.date(2026, 10, 12)
    case.save()
    stale = case.version
    case_change_phase(
        actor=case_manager, case=case, to_phase=Phase.ASSESSMENT, expected_version=stale
    )
    with pytest.raises(EditConflict):
        case_change_phase(
            actor=case_manager, case=case, to_phase=Phase.SERVICE_PLANNING, expected_version=stale
        )
    case.refresh_from_db()
    assert case.phase == Phase.ASSESSMENT
