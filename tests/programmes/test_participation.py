from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lotse.audit.models import AuditEntry
from lotse.cases.models import Case, Phase
from lotse.people.selectors import get_person_for_user
from lotse.programmes import selectors, services
from lotse.programmes.models import BudgetEntry, ModuleBudget, Participation
from tests.programmes.conftest import INTAKE


def _start(region, case=None):
    case = case or region.case()
    return services.participation_start(actor=region.coach, case=case, intake_date=INTAKE)


def test_opening_a_case_stores_the_check_and_uses_the_provider(region):
    person = get_person_for_user(region.coach, region.person().pk)

    participation = services.participation_open_case(
        actor=region.coach, person=person, programme=region.programme, intake_date=INTAKE
    )

    case = participation.case
    assert case.organisation == region.kreis
    assert case.case_manager == region.coach  # the holder of the provider's post
    assert case.opened_on == INTAKE
    check = participation.eligibility_check
    assert check.eligible and check.provider == region.kreis
    assert [c["key"] for c in check.criteria] == ["age", "status", "municipality"]


def test_an_ineligible_person_gets_no_case(region):
    person = get_person_for_user(region.coach, region.person(municipality=region.barntrup).pk)

    with pytest.raises(ValidationError) as error:
        services.participation_open_case(
            actor=region.coach, person=person, programme=region.programme, intake_date=INTAKE
        )

    assert "intake_date" in error.value.message_dict
    assert not Case.objects.filter(person=person).exists()


def test_the_other_provider_must_open_the_case(region):
    person = get_person_for_user(region.coach, region.person(municipality=region.detmold).pk)

    with pytest.raises(ValidationError) as error:
        services.participation_open_case(
            actor=region.coach, person=person, programme=region.programme, intake_date=INTAKE
        )

    assert "programme" in error.value.message_dict
    assert not Case.objects.filter(person=person).exists()


def test_one_open_participation_per_person_and_programme(region):
    person = region.person()
    _start(region, region.case(person))

    with pytest.raises(ValidationError):
        _start(region, region.case(person))


def test_closed_case_is_read_only(region):
    case = region.case(phase=Phase.CLOSED)

    with pytest.raises(ValidationError):
        _start(region, case)


def _assign(region, case, module=1, starts_on=INTAKE):
    return services.assignment_add(
        actor=region.coach, case=case, module=region.modules[module], starts_on=starts_on
    )


def test_coach_ratio_warning_from_the_21st_participant(region):
    outcomes = []
    for _ in range(21):
        case = region.case()
        _start(region, case)
        outcomes.append(_assign(region, case))

    assert outcomes[19].coach_load == 20 and not outcomes[19].over_ratio
    assert outcomes[20].coach_load == 21 and outcomes[20].over_ratio
    assert outcomes[20].assignment.coach == region.coach
    rows = selectors.overview(
        region.traeger.pk, programme=region.programme, day=timezone.localdate()
    ).coaches
    assert [(r.coach, r.participants, r.over_ratio) for r in rows] == [(region.coach, 21, True)]


def test_ended_assignments_and_other_modules_do_not_count_for_the_ratio(region):
    case = region.case()
    _start(region, case)
    outcome = _assign(region, case, module=2)
    assert outcome.ratio is None
    ended = region.case()
    _start(region, ended)
    services.assignment_add(
        actor=region.coach, case=ended, module=region.modules[1], starts_on=INTAKE, ends_on=INTAKE
    )

    assert selectors.coach_load(region.modules[1], region.coach.pk, timezone.localdate()) == 0


def test_assignment_validation(region):
    case = region.case()
    _start(region, case)
    with pytest.raises(ValidationError):  # before the intake date
        _assign(region, case, starts_on=INTAKE - dt.timedelta(days=1))
    _assign(region, case)
    with pytest.raises(ValidationError):  # overlapping the same Baustein
        _assign(region, case, starts_on=INTAKE + dt.timedelta(days=3))


def _cost(
    region, case, amount, *, actor=None, kind="commitment", reason="", commitment=None, module=1
):
    return services.budget_entry_add(
        actor=actor or region.coach,
        case=case,
        module=region.modules[module],
        kind=kind,
        cost_type="course_fee",
        amount_cents=amount,
        booked_on=dt.date(2026, 10, 15),
        purpose="Kursgebühr",
        commitment=commitment,
        override_reason=reason,
    )


@pytest.fixture
def teilhabe_case(region):
    case = region.case()
    _start(region, case)
    return case


def test_budget_warning_at_the_threshold(region, teilhabe_case):
    below = _cost(region, teilhabe_case, 89_999)
    assert not below.status.warning
    at = _cost(region, teilhabe_case, 1)
    assert at.status.warning and at.status.percent == 90 and not at.status.overrun


def test_the_threshold_is_configurable(region, teilhabe_case):
    ModuleBudget.objects.filter(module=region.modules[1]).update(warning_percent=50)

    assert _cost(region, teilhabe_case, 50_000).status.warning


def test_a_commitment_that_would_overrun_is_refused(region, teilhabe_case):
    _cost(region, teilhabe_case, 95_000)

    with pytest.raises(ValidationError) as error:
        _cost(region, teilhabe_case, 5_001)

    assert "amount" in error.value.message_dict
    assert BudgetEntry.objects.count() == 1
    _cost(region, teilhabe_case, 5_000)  # exactly the budget is allowed


def test_only_a_team_lead_overrides_and_it_is_audited(region, teilhabe_case):
    _cost(region, teilhabe_case, 100_000)
    with pytest.raises(ValidationError) as error:
        _cost(region, teilhabe_case, 100, reason="dringend")
    assert "override_reason" in error.value.message_dict

    outcome = _cost(
        region, teilhabe_case, 100, actor=region.team_lead, reason="Kurs sonst verloren"
    )

    assert outcome.status.overrun
    assert outcome.entry.overridden_by == region.team_lead
    override = AuditEntry.objects.get(action="override")
    assert "Kurs sonst verloren" in override.detail


def test_a_payment_settles_its_commitment(region, teilhabe_case):
    commitment = _cost(region, teilhabe_case, 60_000).entry

    outcome = _cost(region, teilhabe_case, 55_000, kind="payment", commitment=commitment)

    commitment.refresh_from_db()
    assert commitment.settled
    assert outcome.status.open_committed_cents == 0
    assert outcome.status.paid_cents == 55_000
    with pytest.raises(ValidationError):
        _cost(region, teilhabe_case, 1, kind="payment", commitment=commitment)


def test_no_budget_for_the_year_refuses(region, teilhabe_case):
    ModuleBudget.objects.filter(module=region.modules[2]).delete()

    with pytest.raises(ValidationError) as error:
        _cost(region, teilhabe_case, 100, module=2)

    assert "booked_on" in error.value.message_dict


def test_overview_aggregates(region, django_assert_max_num_queries):
    for n in range(3):
        case = region.case()
        _start(region, case)
        _assign(region, case)
        if n == 0:
            _assign(region, case, module=4)
            _cost(region, case, 1000, module=4)

    with django_assert_max_num_queries(6):
        data = selectors.overview(
            region.traeger.pk, programme=region.programme, day=timezone.localdate()
        )

    assert {row.module.number: row.participants for row in data.modules} == {1: 3, 2: 0, 3: 0, 4: 1}
    assert data.participations == 3
    budget4 = next(b for b in data.budgets if b.budget.module.number == 4)
    assert budget4.open_committed_cents == 1000
    assert Participation.objects.count() == 3
