"""The Fristen pages: a person's deadlines, decisions, and the worklist (order, scope, queries)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.audit.models import AuditEntry
from lotse.deadlines import services
from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.directory.models import Goal
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    TraegerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _person(traeger, organisation, case_manager=None, *, days_ago: int, **fields):
    person = PersonFactory(
        traeger=traeger,
        organisation=organisation,
        registered_on=timezone.localdate() - dt.timedelta(days=days_ago),
        **fields,
    )
    if case_manager is not None:
        CaseFactory(
            traeger=traeger, organisation=organisation, person=person, case_manager=case_manager
        )
    services.deadlines_refresh_for_person(person)
    return person


def test_person_page_lists_goals_and_is_audited(client, case_manager, lippe_goals, family):
    mother, *_ = family
    client.force_login(case_manager)

    response = client.get(reverse("deadlines:person", args=[mother.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert lippe_goals["leitziel-iii"].title in content
    assert "15.09.2025" in content
    assert "Lina" in content  # the school child's deadlines are shown with the mother
    assert AuditEntry.objects.filter(
        action="view", object_type="deadline", person_id=mother.pk
    ).exists()


def test_person_page_is_linked_from_the_person(client, case_manager, lippe_goals, family):
    mother, *_ = family
    client.force_login(case_manager)
    response = client.get(reverse("people:detail", args=[mother.pk]))
    assert reverse("deadlines:person", args=[mother.pk]) in response.content.decode()


def test_mark_met_through_the_form(client, case_manager, lippe_goals, family):
    mother, *_ = family
    services.deadlines_refresh_for_person(mother)
    deadline = PersonGoalDeadline.objects.get(person=mother, goal=lippe_goals["leitziel-iii"])
    client.force_login(case_manager)
    url = reverse("deadlines:mark_met", args=[mother.pk, deadline.pk])

    assert client.get(url).status_code == 200
    invalid = client.post(url, {"version": deadline.version, "met_on": "2025-09-10"})
    assert invalid.status_code == 422
    response = client.post(
        url, {"version": deadline.version, "met_on": "2025-09-10", "evidence": "Gespräch geführt"}
    )

    assert response.status_code == 302
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MET, dt.date(2025, 9, 10))


def test_stale_form_is_a_conflict(client, case_manager, lippe_goals, family):
    mother, *_ = family
    services.deadlines_refresh_for_person(mother)
    deadline = PersonGoalDeadline.objects.get(person=mother, goal=lippe_goals["arbeit-i"])
    client.force_login(case_manager)
    url = reverse("deadlines:mark_not_applicable", args=[mother.pk, deadline.pk])
    assert client.post(url, {"version": deadline.version, "reason": "Rente"}).status_code == 302
    response = client.post(url, {"version": deadline.version, "reason": "anders"})
    assert response.status_code == 409
    deadline.refresh_from_db()
    assert deadline.not_applicable_reason == "Rente"


def test_a_deadline_of_another_person_is_not_found(client, case_manager, lippe_goals, family):
    mother, school_child, _ = family
    services.deadlines_refresh_for_person(mother)
    childs = PersonGoalDeadline.objects.filter(person=school_child).first()
    client.force_login(case_manager)
    url = reverse("deadlines:mark_met", args=[mother.pk, childs.pk])
    assert client.get(url).status_code == 404


def test_worklist_is_sorted_by_urgency(client, traeger, organisation, case_manager, lippe_goals):
    older = _person(traeger, organisation, case_manager, days_ago=30)  # 2 weeks: overdue 16 days
    newer = _person(traeger, organisation, case_manager, days_ago=10)  # 2 weeks: due in 4 days
    client.force_login(case_manager)

    response = client.get(reverse("deadlines:worklist"))

    rows = response.context["rows"]
    dues = [r.deadline.due_on for r in rows]
    assert dues == sorted(dues)
    assert rows[0].deadline.person == older
    assert rows[0].status == "missed"
    assert rows[0].overdue_days == 16
    assert {r.deadline.person for r in rows} == {older, newer}
    assert all(r.deadline.status == DeadlineStatus.OPEN for r in rows)


def test_worklist_filters_by_status_and_goal(
    client, traeger, organisation, case_manager, lippe_goals
):
    _person(traeger, organisation, case_manager, days_ago=30)
    client.force_login(case_manager)
    goal = lippe_goals["leitziel-iii"]

    missed = client.get(reverse("deadlines:worklist"), {"status": "missed"}).context["rows"]
    assert [r.deadline.goal for r in missed] == [goal]
    only_goal = client.get(reverse("deadlines:worklist"), {"ziel": goal.pk}).context["rows"]
    assert {r.deadline.goal for r in only_goal} == {goal}
    not_applicable = client.get(reverse("deadlines:worklist"), {"status": "not_applicable"})
    assert {r.deadline.goal.key for r in not_applicable.context["rows"]} == {"schule-i", "kita-iii"}


def test_worklist_scope(client, traeger, organisation, case_manager, team_lead, lippe_goals):
    colleague = UserFactory(
        traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT]
    )
    mine = _person(traeger, organisation, case_manager, days_ago=20)
    colleagues = _person(traeger, organisation, colleague, days_ago=20)
    other_org = OrganisationFactory(traeger=traeger)
    other_team = _person(
        traeger, other_org, UserFactory(traeger=traeger, organisation=other_org), days_ago=20
    )
    other_traeger = TraegerFactory()
    other_org_b = OrganisationFactory(traeger=other_traeger)
    elsewhere = _person(
        other_traeger,
        other_org_b,
        UserFactory(traeger=other_traeger, organisation=other_org_b),
        days_ago=20,
    )

    def persons(user, **query):
        client.force_login(user)
        page = client.get(reverse("deadlines:worklist"), query).context["rows"]
        return {r.deadline.person for r in page}

    assert persons(case_manager) == {mine}
    assert persons(case_manager, status="pending", alle="1") == {mine, colleagues}
    assert persons(team_lead) == {mine, colleagues}  # a team lead starts with the team's list
    assert other_team not in persons(team_lead, alle="1")
    assert elsewhere not in persons(team_lead, alle="1")


def test_worklist_of_a_case_manager_includes_the_children_of_their_clients(
    client, case_manager, lippe_goals, family
):
    mother, school_child, toddler = family
    services.deadlines_refresh_for_person(mother)
    client.force_login(case_manager)
    rows = client.get(reverse("deadlines:worklist"), {"status": "missed"}).context["rows"]
    assert {r.deadline.person for r in rows} == {mother, school_child, toddler}


def test_worklist_query_count_does_not_grow(
    client, traeger, organisation, case_manager, lippe_goals, django_assert_max_num_queries
):
    client.force_login(case_manager)
    _person(traeger, organisation, case_manager, days_ago=20)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("deadlines:worklist"))
    baseline = len(few.captured_queries)
    for days in range(10):
        _person(traeger, organisation, case_manager, days_ago=days)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("deadlines:worklist"))
    assert len(response.context["rows"]) == 25  # a full page


def test_person_page_query_count_does_not_grow(
    client, traeger, organisation, case_manager, lippe_goals, django_assert_max_num_queries
):
    person = _person(traeger, organisation, case_manager, days_ago=20)
    client.force_login(case_manager)
    client.get(reverse("deadlines:person", args=[person.pk]))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("deadlines:person", args=[person.pk]))
    baseline = len(few.captured_queries)
    for key in ["x1", "x2", "x3"]:
        Goal.objects.create(
            traeger=traeger,
            key=key,
            title=key,
            deadline_rule={"from": "registration", "within": 1, "unit": "weeks"},
        )
    client.get(reverse("deadlines:person", args=[person.pk]))
    with django_assert_max_num_queries(baseline):
        client.get(reverse("deadlines:person", args=[person.pk]))


def test_worklist_pages_with_a_cursor(client, traeger, organisation, case_manager, lippe_goals):
    for days in range(12):
        _person(traeger, organisation, case_manager, days_ago=days)
    client.force_login(case_manager)
    first = client.get(reverse("deadlines:worklist"))
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("deadlines:worklist"), {"nach": cursor})
    ids = [r.deadline.pk for r in first.context["rows"]] + [
        r.deadline.pk for r in second.context["rows"]
    ]
    assert len(ids) == len(set(ids))
    assert first.context["rows"][-1].deadline.due_on <= second.context["rows"][0].deadline.due_on


def test_worklist_names_the_responsible_case_manager_of_the_household(
    client, traeger, organisation, case_manager, team_lead, lippe_goals, family
):
    """Resolved for the page's rows: the person's own open case, else the household's."""
    mother, school_child, toddler = family
    colleague = UserFactory(
        traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT]
    )
    CaseFactory(
        traeger=traeger,
        organisation=organisation,
        person=toddler,
        case_manager=colleague,
        opened_on=dt.date(2020, 1, 1),  # older than the mother's, but the toddler's own
    )
    for person in family:
        services.deadlines_refresh_for_person(person)
    client.force_login(team_lead)
    response = client.get(reverse("deadlines:worklist"), {"status": "missed", "alle": "1"})
    names = {r.deadline.person: r.deadline.responsible_last for r in response.context["rows"]}
    assert names[mother] == case_manager.last_name
    assert names[school_child] == case_manager.last_name  # through the household
    assert names[toddler] == colleague.last_name


def test_worklist_next_page_keeps_the_filters(
    client, traeger, organisation, case_manager, lippe_goals
):
    for days in range(12):
        _person(traeger, organisation, case_manager, days_ago=days)
    client.force_login(case_manager)
    first = client.get(reverse("deadlines:worklist"), {"status": "pending", "alle": "1"})
    cursor = first.context["page"].next_cursor
    html = first.content.decode()
    assert f"?status=pending&amp;alle=1&amp;nach={cursor}" in html
    second = client.get(
        reverse("deadlines:worklist"), {"status": "pending", "alle": "1", "nach": cursor}
    )
    assert second.context["page"].has_previous
    assert "?status=pending&amp;alle=1" in second.content.decode()  # "first page" drops the cursor


def test_worklist_bad_filter_value_says_so(client, case_manager, lippe_goals):
    client.force_login(case_manager)
    response = client.get(reverse("deadlines:worklist"), {"status": "erledigt", "ziel": "x"})
    assert response.status_code == 200
    assert set(response.context["filter_errors"]) == {"status", "ziel"}
    assert response.context["filters"].status == "pending"


def test_team_worklist_takes_few_queries_whatever_the_team_size(
    client, traeger, organisation, case_manager, lippe_goals, django_assert_max_num_queries
):
    """The team view ("alle") reads the scope as one union inside the worklist query."""
    client.force_login(case_manager)
    _person(traeger, organisation, case_manager, days_ago=20)
    client.get(reverse("deadlines:worklist"), {"alle": "1"})  # warm up the session
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("deadlines:worklist"), {"alle": "1"})
    baseline = len(few.captured_queries)
    for days in range(10):
        _person(traeger, organisation, case_manager, days_ago=days)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("deadlines:worklist"), {"alle": "1"})
    assert len(response.context["rows"]) == 25
