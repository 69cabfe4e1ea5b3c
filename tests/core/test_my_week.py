"""Meine Woche: the case manager's merged list of what is due, by urgency, in few queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.assignments.models import Task, TaskStatus
from lotse.cases.models import Phase, TimelineEntry
from lotse.consent.models import DependentFlag
from lotse.core.week import WEEK_ROWS, Kind, Urgency, my_week_for_user
from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.directory.models import Goal
from lotse.offers.models import Offer, OfferKind, Referral, ReferralState
from lotse.people.models import ResidenceStatusRecord
from tests.factories import (
    CaseFactory,
    CaseManagementPostFactory,
    OrganisationFactory,
    ResidenceStatusTypeFactory,
    UserFactory,
    grant_consent,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def world(traeger, organisation):
    goal = Goal.objects.create(traeger=traeger, key="kita", code="Kita III", title="Kita-Platz")
    offer = Offer.objects.create(
        traeger=traeger, key="sprachcafe", kind=OfferKind.LANGUAGE_SUPPORT, title="Sprachcafé"
    )
    status = ResidenceStatusTypeFactory(traeger=traeger, key="duldung")
    partner = OrganisationFactory(traeger=traeger, key="jobcenter", name="Jobcenter Lippe")
    return {"goal": goal, "offer": offer, "status": status, "partner": partner}


def _add_work(world, traeger, organisation, case_manager, *, when: dt.date, count: int = 1):
    """``count`` clients of ``case_manager``, each with one item of every kind dated ``when``."""
    zone = timezone.get_current_timezone()
    for _ in range(count):
        case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
        person = case.person
        PersonGoalDeadline.objects.create(
            traeger=traeger,
            person=person,
            goal=world["goal"],
            status=DeadlineStatus.OPEN,
            due_on=when,
            computed_at=timezone.now(),
        )
        Task.objects.create(
            traeger=traeger,
            case=case,
            title="Anmeldung prüfen",
            owner_user=case_manager,
            due_on=when,
        )
        Referral.objects.create(
            traeger=traeger,
            case=case,
            offer=world["offer"],
            requested_on=when - dt.timedelta(days=30),
            follow_up_on=when,
        )
        if when >= TODAY:
            TimelineEntry.objects.create(
                traeger=traeger,
                case=case,
                kind=TimelineEntry.Kind.APPOINTMENT,
                title="Termin im Regionalbüro",
                occurred_at=timezone.make_aware(dt.datetime.combine(when, dt.time(10, 0)), zone),
            )
            grant_consent(
                person,
                world["partner"],
                valid_from=TODAY - dt.timedelta(days=300),
                valid_until=when,
            )
        ResidenceStatusRecord.objects.create(
            traeger=traeger,
            person=person,
            status=world["status"],
            valid_from=when - dt.timedelta(days=180),
            valid_until=when,
        )
        consent = grant_consent(person, world["partner"], valid_from=TODAY - dt.timedelta(days=400))
        DependentFlag.objects.create(
            traeger=traeger,
            person=person,
            case=case,
            consent=consent,
            object_type="task",
            object_id=1,
            recipient=world["partner"],
            reason=DependentFlag.Reason.EXPIRED,
            created_at=timezone.make_aware(dt.datetime.combine(min(when, TODAY), dt.time(9)), zone),
        )


def _groups(week):
    return {group.urgency: group for group in week.groups}


def test_items_of_every_kind_are_grouped_by_urgency(world, traeger, organisation, case_manager):
    _add_work(world, traeger, organisation, case_manager, when=days(-2))
    _add_work(world, traeger, organisation, case_manager, when=TODAY)
    _add_work(world, traeger, organisation, case_manager, when=days(3))
    _add_work(world, traeger, organisation, case_manager, when=days(20))

    week = my_week_for_user(case_manager, today=TODAY)
    groups = _groups(week)

    assert [g.urgency for g in week.groups] == [Urgency.OVERDUE, Urgency.TODAY, Urgency.WEEK]
    overdue = {row.kind: row.count for row in groups[Urgency.OVERDUE].per_kind}
    assert overdue == {
        Kind.DEADLINE: 1,
        Kind.TASK: 1,
        Kind.FOLLOW_UP: 1,
        Kind.RESIDENCE: 1,  # a title that ended two days ago
        Kind.FLAG: 1,
    }
    today = {row.kind: row.count for row in groups[Urgency.TODAY].per_kind}
    # Today: every kind, and the flags of the later clients were written today too.
    assert today == {
        Kind.DEADLINE: 1,
        Kind.TASK: 1,
        Kind.FOLLOW_UP: 1,
        Kind.APPOINTMENT: 1,
        Kind.CONSENT: 1,
        Kind.RESIDENCE: 1,
        Kind.FLAG: 3,
    }
    in_week = {row.kind: row.count for row in groups[Urgency.WEEK].per_kind}
    assert in_week == {
        Kind.DEADLINE: 1,
        Kind.TASK: 1,
        Kind.FOLLOW_UP: 1,
        Kind.APPOINTMENT: 1,
        Kind.CONSENT: 1,
        Kind.RESIDENCE: 1,
    }
    later = {row.kind: row.count for row in week.later.per_kind}
    assert later == {
        Kind.DEADLINE: 1,
        Kind.TASK: 1,
        Kind.FOLLOW_UP: 1,
        Kind.CONSENT: 1,  # within the 30 days of notice
        Kind.RESIDENCE: 1,
    }
    assert week.later.rows == []
    # Sorted by date in each group; every row links to where it is done.
    rows = groups[Urgency.WEEK].rows
    assert [r.on for r in rows] == sorted(r.on for r in rows)
    deadline = next(r for r in groups[Urgency.OVERDUE].rows if r.kind == Kind.DEADLINE)
    assert deadline.url.endswith(f"/fristen/{deadline.pk}/erfuellt/")
    task = next(r for r in rows if r.kind == Kind.TASK)
    assert task.url == reverse("assignments:detail", args=[task.pk])
    follow_up = next(r for r in rows if r.kind == Kind.FOLLOW_UP)
    assert follow_up.url == reverse("offers:referral", args=[follow_up.pk])
    appointment = next(r for r in rows if r.kind == Kind.APPOINTMENT)
    assert f"#eintrag-{appointment.pk}" in appointment.url and appointment.at.hour == 10
    consent = next(r for r in rows if r.kind == Kind.CONSENT)
    assert consent.url == reverse("consent:detail", args=[consent.pk])


def test_old_overdue_items_and_deadlines_before_the_case_are_not_listed(
    world, traeger, organisation, case_manager, settings
):
    settings.LOTSE_OVERDUE_HORIZON_DAYS = 30
    _add_work(world, traeger, organisation, case_manager, when=days(-400))
    case = CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
    PersonGoalDeadline.objects.create(
        traeger=traeger,
        person=case.person,
        goal=world["goal"],
        status=DeadlineStatus.BEFORE_CASE,
        due_on=days(-1),
        computed_at=timezone.now(),
    )

    week = my_week_for_user(case_manager, today=TODAY)

    groups = _groups(week)
    # The flag was written on day -400 too: counted as old. Nothing old is listed.
    assert groups[Urgency.OVERDUE].count == 0 and groups[Urgency.OVERDUE].rows == []
    assert {row.kind: row.count for row in week.older} == {
        Kind.DEADLINE: 1,
        Kind.TASK: 1,
        Kind.FOLLOW_UP: 1,
        Kind.FLAG: 1,
    }  # the residence title ended before the horizon: not even counted


def test_a_colleague_outside_the_team_never_sees_the_items(
    world, traeger, organisation, case_manager
):
    _add_work(world, traeger, organisation, case_manager, when=days(1), count=2)
    other_org = OrganisationFactory(traeger=traeger, key="verein", name="Verein")
    stranger = UserFactory(traeger=traeger, organisation=other_org, roles=[Role.CASE_MANAGEMENT])
    other_post = CaseManagementPostFactory(
        traeger=traeger, organisation=organisation, holder=UserFactory(traeger=traeger)
    )
    outsider = UserFactory(traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT])
    # The outsider holds another post only (not the default team's).
    from lotse.directory.models import CaseManagementPost
    from lotse.teams.models import Substitution

    Substitution.objects.filter(substitute=outsider).delete()
    CaseManagementPost.objects.filter(pk=other_post.pk).update(holder=outsider)
    outsider.__dict__.pop("_lotse_team_scope", None)
    # Even a case of a client of the team booked to the outsider is not theirs to see.
    CaseFactory(traeger=traeger, organisation=organisation, case_manager=outsider)

    for user in (stranger, outsider):
        week = my_week_for_user(user, today=TODAY)
        assert week.due_count == 0 and week.later.count == 0


def test_closed_and_done_items_do_not_count(world, traeger, organisation, case_manager):
    _add_work(world, traeger, organisation, case_manager, when=days(1))
    Task.objects.update(status=TaskStatus.DONE)
    Referral.objects.update(state=ReferralState.COMPLETED)
    DependentFlag.objects.update(resolved_at=timezone.now())
    week = my_week_for_user(case_manager, today=TODAY)
    kinds = {row.kind for group in week.groups for row in group.per_kind}
    assert Kind.TASK not in kinds and Kind.FOLLOW_UP not in kinds and Kind.FLAG not in kinds


def test_rows_per_group_are_limited_and_the_page_needs_few_queries(
    world, traeger, organisation, case_manager, client, django_assert_max_num_queries
):
    client.force_login(case_manager)
    _add_work(world, traeger, organisation, case_manager, when=days(-1), count=2)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("start")).status_code == 200
    _add_work(world, traeger, organisation, case_manager, when=days(-1), count=25)
    _add_work(world, traeger, organisation, case_manager, when=days(2), count=25)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("start"))
    groups = _groups(response.context["week"])
    assert groups[Urgency.OVERDUE].count == 27 * 5
    assert len(groups[Urgency.OVERDUE].rows) == WEEK_ROWS
    html = response.content.decode()
    assert "Meine Woche" in html and "Überfällig (135)" in html
    assert html.index('data-week-group="overdue"') < html.index('data-week-group="today"')
    assert html.index('data-week-group="today"') < html.index('data-week-group="week"')


def test_closed_cases_bring_no_items(world, traeger, organisation, case_manager):
    _add_work(world, traeger, organisation, case_manager, when=days(1))
    from lotse.cases.models import Case

    Case.objects.update(phase=Phase.CLOSED)
    week = my_week_for_user(case_manager, today=TODAY)
    kinds = {row.kind for group in week.groups for row in group.per_kind}
    assert kinds <= {Kind.FLAG}  # a notice about a consent stays until it is dealt with


def test_task_and_appointment_titles_read_in_plaintext_though_stored_encrypted(
    world, traeger, organisation, case_manager
):
    """The titles are encrypted at rest (issue 11); the UNION returns them as stored."""
    _add_work(world, traeger, organisation, case_manager, when=TODAY)

    week = my_week_for_user(case_manager, today=TODAY)

    titles = {
        row.kind: row.title
        for group in week.groups
        for row in group.rows
        if row.kind in {Kind.TASK, Kind.APPOINTMENT}
    }
    assert titles == {Kind.TASK: "Anmeldung prüfen", Kind.APPOINTMENT: "Termin im Regionalbüro"}
