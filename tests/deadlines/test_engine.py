"""One test per deadline rule of the shipped configurations, with the rules read from the files."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.deadlines.engine import (
    HolidayPeriod,
    NotApplicable,
    Note,
    SchoolCalendar,
    add_school_weeks,
    decide,
    is_person_rule,
)
from tests.deadlines.conftest import LIPPE_GOALS, RHEINE_GOALS, facts, lippe_calendar

D = dt.date
TODAY = D(2025, 9, 1)


def due(key: str, person=None, goals=LIPPE_GOALS, school=None):
    goal = goals[key]
    return decide(
        goal["deadline"],
        goal.get("applies_to"),
        person or facts(),
        school or lippe_calendar(),
        TODAY,
    )


def test_ankommensgespraech_within_two_weeks():
    decision = due("leitziel-iii", facts(registered=D(2025, 9, 1)))
    assert decision.applies
    assert decision.due_on == D(2025, 9, 15)
    assert decision.start_on == D(2025, 9, 1)


def test_counselling_for_job_seekers_within_six_weeks():
    adult = facts(born=D(1990, 5, 17), job_seeker=True)
    assert due("arbeit-i", adult).due_on == D(2025, 10, 13)


def test_counselling_does_not_apply_to_non_job_seekers():
    decision = due("arbeit-i", facts(born=D(1950, 1, 1), job_seeker=False))
    assert not decision.applies
    assert decision.not_applicable == NotApplicable.NOT_JOB_SEEKER


def test_language_test_within_six_weeks_for_adults():
    assert due("sprache-iii", facts(born=D(1990, 5, 17))).due_on == D(2025, 10, 13)
    assert due("sprache-iii", facts(born=D(2012, 1, 1))).not_applicable == NotApplicable.TOO_YOUNG


def test_a2_within_two_years():
    assert due("sprache-i", facts(registered=D(2025, 9, 1))).due_on == D(2027, 9, 1)


def test_a2_from_a_leap_day_ends_on_the_last_day_of_february():
    assert due("sprache-i", facts(registered=D(2024, 2, 29))).due_on == D(2026, 2, 28)


def test_childcare_offer_within_four_weeks_for_kita_age():
    toddler = facts(born=D(2022, 1, 10), registered=D(2025, 9, 1))
    assert due("kita-iii", toddler).due_on == D(2025, 9, 29)


@pytest.mark.parametrize(
    ("born", "reason"),
    [
        (D(2025, 3, 1), NotApplicable.TOO_YOUNG),  # 0 years on registration
        (D(2019, 8, 31), NotApplicable.TOO_OLD),  # turned 6 the day before
        (None, NotApplicable.BIRTH_DATE_MISSING),
    ],
)
def test_childcare_offer_age_limits(born, reason):
    decision = due("kita-iii", facts(born=born, registered=D(2025, 9, 1)))
    assert not decision.applies
    assert decision.not_applicable == reason


def test_school_place_within_four_school_weeks_without_holidays():
    child = facts(born=D(2017, 3, 1), registered=D(2025, 9, 1))
    assert due("schule-i", child).due_on == D(2025, 9, 29)


def test_school_weeks_skip_the_autumn_holidays():
    # Registered on the Friday before the NRW autumn holidays (13.–25.10.2025): the two holiday
    # weeks do not count, the four school weeks are 27.10.–21.11.
    child = facts(born=D(2017, 3, 1), registered=D(2025, 10, 10))
    assert due("schule-i", child).due_on == D(2025, 11, 21)


def test_school_weeks_registered_mid_week_before_the_holidays():
    # Thu and Fri of the registration week are school days: that week counts.
    child = facts(born=D(2017, 3, 1), registered=D(2025, 10, 8))
    assert due("schule-i", child).due_on == D(2025, 11, 19)


def test_school_weeks_registered_inside_the_holidays():
    # Registered on the first Monday of the autumn holidays: the 20 school days are 27.10.–21.11.
    child = facts(born=D(2017, 3, 1), registered=D(2025, 10, 13))
    assert due("schule-i", child).due_on == D(2025, 11, 21)


def test_school_weeks_over_christmas():
    child = facts(born=D(2017, 3, 1), registered=D(2025, 12, 10))
    # 11.–19.12.: 7 school days; holidays 22.12.2025–06.01.2026; 7.–9.1.: 3 days (10);
    # two more weeks: the 20th school day is Friday 23.1.
    assert due("schule-i", child).due_on == D(2026, 1, 23)


def test_a_partial_week_before_christmas_counts_partially():
    # Issue #10: registered Monday 30.11.2026. 1.–4.12. (4), 7.–18.12. (14), 21.–22.12. (16:
    # the holidays start on 23.12.), 7.–8.1.2027 (18), 11.–12.1. (20): due Tuesday 12.1.2027,
    # not 4.1. inside the holidays.
    child = facts(born=D(2019, 3, 1), registered=D(2026, 11, 30))
    assert due("schule-i", child).due_on == D(2027, 1, 12)


def test_a_public_holiday_is_no_school_day():
    # 3.10.2025 (Tag der Deutschen Einheit, a Friday) would be the 20th school day; it is not
    # one, so the period ends on Monday 6.10.
    child = facts(born=D(2017, 3, 1), registered=D(2025, 9, 5))
    assert due("schule-i", child).due_on == D(2025, 10, 6)


def _calendar_with(period_end: D) -> SchoolCalendar:
    return SchoolCalendar(
        periods=[
            HolidayPeriod(D(2025, 7, 14), D(2025, 8, 26)),
            HolidayPeriod(D(2025, 9, 29), period_end),
            HolidayPeriod(D(2025, 12, 22), D(2026, 1, 6)),
        ],
        state="NW",
    )


def test_school_days_around_holidays_and_a_public_holiday():
    start = D(2025, 9, 22)
    # 23.–26.9. (4); holidays Mon–Thu and the public holiday on Friday 3.10.: no school day;
    # 6.–24.10. (19); Monday 27.10. is the 20th.
    assert add_school_weeks(start, 4, _calendar_with(D(2025, 10, 2))) == D(2025, 10, 27)
    # Holidays Mon–Wed only: Thursday 2.10. is a school day (5), so Friday 24.10. is the 20th.
    assert add_school_weeks(start, 4, _calendar_with(D(2025, 10, 1))) == D(2025, 10, 24)


@pytest.mark.parametrize(
    ("born", "applies"),
    [(D(2019, 9, 1), True), (D(2019, 9, 2), False), (D(2008, 9, 2), True), (D(2008, 9, 1), False)],
)
def test_school_age_limits(born, applies):
    # School age is 6–16 completed years on the registration day (1.9.2025).
    decision = due("schule-i", facts(born=born, registered=D(2025, 9, 1)))
    assert decision.applies is applies


def test_school_weeks_without_configured_holidays_are_not_computed():
    child = facts(born=D(2017, 3, 1), registered=D(2028, 12, 15))  # beyond the configured data
    decision = due("schule-i", child)
    assert decision.applies
    assert decision.due_on is None
    assert decision.note == Note.HOLIDAYS_MISSING


def test_school_weeks_before_the_holiday_data_are_not_computed():
    # The bundled NRW data starts with the Christmas holidays 2019/20.
    child = facts(born=D(2013, 3, 1), registered=D(2019, 5, 2))
    assert due("schule-i", child).note == Note.HOLIDAYS_MISSING


def test_the_bundled_state_holidays_fill_years_the_configuration_lacks():
    # Kreis Lippe's configuration starts in summer 2024; the bundled NRW data has the autumn
    # holidays 2022 (4.–15.10.2022): registered Friday 30.9.2022; 3.10. and 1.11. (Allerheiligen)
    # are public holidays, so the 20 school days run from 17.10. to Monday 14.11.
    child = facts(born=D(2014, 3, 1), registered=D(2022, 9, 30))
    assert due("schule-i", child).due_on == D(2022, 11, 14)
    assert SchoolCalendar.from_config([], state="NW").covers(D(2022, 10, 1))
    assert not SchoolCalendar.from_config([], state="NW", bundled=False).covers(D(2022, 10, 1))
    assert not SchoolCalendar.from_config([], state="XX").covers(D(2022, 10, 1))


def test_gaps_name_the_stretches_without_holiday_data():
    school = SchoolCalendar(
        periods=[
            HolidayPeriod(D(2025, 7, 14), D(2025, 8, 26)),
            HolidayPeriod(D(2025, 10, 13), D(2025, 10, 25)),
        ]
    )
    assert school.gaps(D(2025, 1, 1), D(2025, 12, 31)) == [
        (D(2025, 1, 1), D(2025, 7, 13)),
        (D(2025, 10, 26), D(2025, 12, 31)),
    ]
    assert school.gaps(D(2025, 8, 1), D(2025, 9, 1)) == []


def test_a_missing_school_year_in_the_middle_is_detected():
    school = SchoolCalendar(
        periods=[
            HolidayPeriod(D(2025, 7, 14), D(2025, 8, 26)),
            HolidayPeriod(D(2025, 10, 13), D(2025, 10, 25)),
            HolidayPeriod(D(2026, 10, 17), D(2026, 10, 31)),  # a whole year missing before
        ]
    )
    child = facts(born=D(2017, 3, 1), registered=D(2026, 3, 2))
    assert due("schule-i", child, school=school).note == Note.HOLIDAYS_MISSING


def test_missing_registration_date_is_reported_not_guessed():
    decision = due("leitziel-iii", facts(registered=None))
    assert decision.applies
    assert (decision.due_on, decision.note) == (None, Note.EVENT_MISSING)


def test_rheine_integration_course_within_eight_weeks_of_the_entitlement():
    eligible = facts(
        registered=D(2025, 9, 1),
        integration_course_eligible=True,
        events={"course_entitlement": D(2025, 9, 10)},
    )
    assert due("gz-1", eligible, goals=RHEINE_GOALS).due_on == D(2025, 11, 5)
    not_eligible = facts(integration_course_eligible=False)
    decision = due("gz-1", not_eligible, goals=RHEINE_GOALS)
    assert decision.not_applicable == NotApplicable.NOT_COURSE_ELIGIBLE


def test_structure_level_rules_are_not_person_deadlines():
    assert not is_person_rule(LIPPE_GOALS["kita-iv"]["deadline"], None)  # recurring monitoring
    rheine_fixed = next(g for g in RHEINE_GOALS.values() if "by" in (g.get("deadline") or {}))
    assert not is_person_rule(rheine_fixed["deadline"], rheine_fixed.get("applies_to"))
    assert is_person_rule(
        LIPPE_GOALS["schule-i"]["deadline"], LIPPE_GOALS["schule-i"]["applies_to"]
    )


def test_target_group_and_status_conditions():
    rule = {"from": "registration", "within": 2, "unit": "weeks"}
    person = facts(
        target_groups=frozenset({"asylbewerber", "gefluechtete"}), residence_status="duldung"
    )
    assert decide(
        rule, {"target_groups": ["gefluechtete"]}, person, lippe_calendar(), TODAY
    ).applies
    assert (
        decide(
            rule, {"target_groups": ["eu-buerger"]}, person, lippe_calendar(), TODAY
        ).not_applicable
        == NotApplicable.TARGET_GROUP
    )
    assert (
        decide(
            rule, {"residence_statuses": ["blaue-karte"]}, person, lippe_calendar(), TODAY
        ).not_applicable
        == NotApplicable.RESIDENCE_STATUS
    )
