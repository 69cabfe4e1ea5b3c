from __future__ import annotations

import datetime as dt

import pytest

from lotse.audit.models import AuditEntry
from lotse.people.selectors import get_person_for_user
from lotse.programmes import services
from lotse.programmes.eligibility import age_on, check_eligibility
from tests.programmes.conftest import INTAKE


def _check(region, person, day=INTAKE):
    loaded = get_person_for_user(region.coach, person.pk)
    return check_eligibility(person=loaded, programme=region.programme, intake_date=day)


def _met(result, key):
    return next(c.met for c in result.criteria if c.key == key)


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (dt.date(2008, 10, 2), False),  # 17: the 18th birthday is the day after the intake
        (dt.date(2008, 10, 1), True),  # 18 on the intake date itself
        (dt.date(1998, 10, 2), True),  # 27, the 28th birthday is tomorrow
        (dt.date(1998, 10, 1), False),  # 28 on the intake date
    ],
)
def test_age_boundaries_on_the_intake_date_are_inclusive(region, born, eligible):
    result = _check(region, region.person(born=born))

    assert _met(result, "age") is eligible
    assert result.eligible is eligible


def test_age_counts_completed_years_and_leap_day_birthdays():
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


def test_unknown_date_of_birth_is_not_met_but_unknown(region):
    result = _check(region, region.person(born=None))

    assert _met(result, "age") is None
    assert not result.eligible


@pytest.mark.parametrize(
    ("status", "eligible"),
    [("duldung", True), ("gestattung", True), ("aufenthaltserlaubnis", False)],
)
def test_status_comes_from_the_programme_configuration(region, status, eligible):
    result = _check(region, region.person(status=status))

    assert _met(result, "status") is eligible


def test_status_valid_on_the_intake_date_counts_not_a_later_one(region):
    from lotse.people.models import ResidenceStatusRecord

    person = region.person(status="duldung")
    ResidenceStatusRecord.objects.create(
        traeger=region.traeger,
        person=person,
        status=region.aufenthaltserlaubnis,
        valid_from=dt.date(2026, 11, 1),
    )

    assert _met(_check(region, person), "status") is True
    assert _met(_check(region, person, dt.date(2026, 11, 2)), "status") is False


def test_changing_the_configuration_changes_the_result(region):
    region.programme.eligible_statuses.add(region.aufenthaltserlaubnis)

    assert _check(region, region.person(status="aufenthaltserlaubnis")).eligible


def test_barntrup_is_not_covered_and_the_reason_names_the_opt_out(region):
    result = _check(region, region.person(municipality=region.barntrup))

    assert _met(result, "municipality") is False
    assert result.provider is None
    reason = next(c.reason for c in result.criteria if c.key == "municipality")
    assert region.programme.coverage_note in reason


@pytest.mark.parametrize(("town", "provider"), [("lemgo", "kreis"), ("detmold", "netzwerk")])
def test_provider_by_municipality(region, town, provider):
    result = _check(region, region.person(municipality=getattr(region, town)))

    assert result.provider == getattr(region, provider)


def test_every_criterion_is_reported_even_when_the_first_fails(region):
    result = _check(
        region,
        region.person(
            born=dt.date(1960, 1, 1), municipality=region.barntrup, status="aufenthaltserlaubnis"
        ),
    )

    assert [(c.key, c.met) for c in result.criteria] == [
        ("age", False),
        ("status", False),
        ("municipality", False),
    ]
    assert all(c.reason for c in result.criteria)


def test_the_check_through_the_service_is_audited(region):
    person = get_person_for_user(region.coach, region.person().pk)

    services.eligibility_check(
        actor=region.coach, person=person, programme=region.programme, intake_date=INTAKE
    )

    entry = AuditEntry.objects.get(object_type="person", object_id=str(person.pk))
    assert entry.action == "view"
    assert "residence_status" in entry.categories
