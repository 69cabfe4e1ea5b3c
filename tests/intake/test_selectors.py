"""Derived profile facts: Neuzuwanderer/Altfall and the team's 70/30 share."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.cases.models import Phase
from lotse.intake.models import CaseProfile, Track
from lotse.intake.selectors import ArrivalCategory, arrival_category, team_track_share
from lotse.teams.scope import team_scope
from tests.factories import CaseFactory, OrganisationFactory, TraegerFactory, UserFactory

NEW, OLD = ArrivalCategory.NEW, ArrivalCategory.ESTABLISHED


@pytest.mark.parametrize(
    ("registered_on", "today", "expected"),
    [
        (dt.date(2025, 10, 1), dt.date(2025, 10, 1), NEW),
        (dt.date(2025, 10, 1), dt.date(2026, 9, 30), NEW),
        (dt.date(2025, 10, 1), dt.date(2026, 10, 1), NEW),  # exactly one year: not *more*
        (dt.date(2025, 10, 1), dt.date(2026, 10, 2), OLD),
        (dt.date(2020, 1, 1), dt.date(2026, 10, 2), OLD),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), NEW),  # § 188 (2) BGB
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), OLD),
        (None, dt.date(2026, 10, 2), None),
    ],
)
def test_arrival_category_at_the_one_year_boundary(registered_on, today, expected):
    assert arrival_category(registered_on, today) == expected


def test_arrival_category_defaults_to_today():
    assert arrival_category(dt.date(2000, 1, 1)) == OLD


def _profile(case, track):
    CaseProfile.objects.create(
        traeger=case.traeger, case=case, track=track, reason="r", decided_on=dt.date(2026, 10, 1)
    )


@pytest.mark.django_db
def test_team_share_counts_open_cases_of_the_team_only(
    traeger, organisation, case_manager, django_assert_num_queries
):
    for track in [Track.ACCELERATION] * 7 + [Track.BARRIERS] * 3:
        _profile(CaseFactory(traeger=traeger, organisation=organisation), track)
    CaseFactory(traeger=traeger, organisation=organisation)  # not decided yet
    closed = CaseFactory(traeger=traeger, organisation=organisation, phase=Phase.CLOSED)
    _profile(closed, Track.BARRIERS)
    other_team = CaseFactory(traeger=traeger, organisation=OrganisationFactory(traeger=traeger))
    _profile(other_team, Track.BARRIERS)
    foreign = CaseFactory(traeger=TraegerFactory())
    _profile(foreign, Track.BARRIERS)

    # The role cache and the case team's scope are loaded once per request.
    case_manager.has_role("case_management")
    team_scope(case_manager)
    with django_assert_num_queries(1):
        share = team_track_share(case_manager)

    assert (share.acceleration, share.barriers, share.undecided) == (7, 3, 1)
    assert (share.acceleration_percent, share.barriers_percent) == (70, 30)
    assert share.total == 11


@pytest.mark.django_db
def test_team_share_is_empty_without_case_work_role(traeger, organisation):
    share = team_track_share(UserFactory(traeger=traeger, organisation=organisation, roles=[]))
    assert share.total == 0
    assert share.acceleration_percent is None
