"""The goals registry pages: tree for Lippe and Rheine, detail with history, access, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.deadlines.models import DeadlineStatus, PersonGoalDeadline
from lotse.directory.config import config_load
from lotse.directory.models import Body, FieldOfAction, Goal, Measure
from lotse.governance.models import AgendaItem, Decision, GoalChange, Meeting, Paper
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE, STADT_RHEINE
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _partner(traeger):
    organisation = OrganisationFactory(traeger=traeger, key="jobcenter-x", name="Jobcenter")
    return UserFactory(traeger=traeger, organisation=organisation, roles=[Role.PARTNER])


def _nodes(groups):
    """(code, [child codes]) of every node, depth first."""
    found = []
    stack = [node for group in groups for node in group.nodes]
    while stack:
        node = stack.pop(0)
        found.append((node.goal.code, [child.goal.code for child in node.children]))
        stack.extend(node.children)
    return found


def test_lippe_goals_tree_with_measures_and_field_filter(client):
    config_load(path=KREIS_LIPPE)
    lippe = Traeger.objects.get(slug="kreis-lippe")
    client.force_login(_partner(lippe))

    response = client.get(reverse("portal:goals"))

    assert response.status_code == 200
    groups = response.context["groups"]
    assert groups[0].field_of_action is None  # Leitziele across all fields come first
    assert "Leitziel I" in [node.goal.code for node in groups[0].nodes]
    nodes = dict(_nodes(groups))
    assert "Arbeit I" in nodes["Arbeit"]
    content = response.content.decode()
    assert "Beratungsangebote der BA oder des Jobcenters Lippe" in content
    measure = Measure.objects.get(traeger=lippe, key="arbeit-i-beratung-ba-jobcenter")
    assert f'href="/zusammenarbeit/massnahmen/{measure.pk}/"' in content

    arbeit = FieldOfAction.objects.get(traeger=lippe, key="arbeit")
    filtered = client.get(reverse("portal:goals"), {"handlungsfeld": arbeit.key})

    codes = [code for code, _children in _nodes(filtered.context["groups"])]
    assert "Arbeit I" in codes and "Leitziel I" not in codes
    assert {g.field_of_action for g in filtered.context["groups"]} == {arbeit}

    # A wrong year is shown at its field; the field of action still filters.
    wrong = client.get(reverse("portal:goals"), {"handlungsfeld": arbeit.key, "jahr": "x"})
    assert "jahr" in wrong.context["form"].errors
    assert {g.field_of_action for g in wrong.context["groups"]} == {arbeit}

    # Leitziel II lists the measure of Leitziel I that serves it too ("further goals").
    leitziel_ii = Goal.objects.get(traeger=lippe, key="leitziel-ii")
    detail = client.get(reverse("portal:goal", args=[leitziel_ii.pk])).content.decode()
    assert "Ausbau Zusammenarbeit Haupt- und Ehrenamt" in detail


def test_rheine_tiers_nest_down_to_the_activities(client):
    config_load(path=STADT_RHEINE)
    rheine = Traeger.objects.get(slug="stadt-rheine")
    client.force_login(_partner(rheine))

    response = client.get(reverse("portal:goals"))

    nodes = dict(_nodes(response.context["groups"]))
    assert "Rahmenziel 1.1" in nodes["Grundsatzziel 1"]
    ergebnis = Goal.objects.get(traeger=rheine, parent__code="Rahmenziel 1.1")
    assert ergebnis.tier == Goal.Tier.RESULT
    assert nodes["Rahmenziel 1.1"] == [ergebnis.code]
    assert "Abgestimmtes Meldeverfahren" in response.content.decode()


def _decision(traeger, goal, *, reference, published):
    body = Body.objects.create(
        traeger=traeger, key=f"sg-{reference}", name="Steuerungsgremium", kind="steering_committee"
    )
    meeting = Meeting.objects.create(
        traeger=traeger,
        body=body,
        title="Sitzung",
        starts_at=timezone.now(),
        ical_uid=f"{reference}@test",
    )
    paper = Paper.objects.create(
        traeger=traeger, reference=reference, title="Vorlage", body=body, problem="p", proposal="q"
    )
    item = AgendaItem.objects.create(traeger=traeger, meeting=meeting, title="TOP 1", paper=paper)
    return Decision.objects.create(
        traeger=traeger,
        paper=paper,
        item=item,
        outcome=Decision.Outcome.ADOPTED,
        decided_on=dt.date(2026, 11, 20),
        published_at=timezone.now() if published else None,
    )


def test_detail_shows_only_published_decisions_in_the_history(client, traeger):
    goal = Goal.objects.create(traeger=traeger, key="arbeit-i", code="Arbeit I", title="Beratung")
    measure = Measure.objects.create(
        traeger=traeger, key="m1", goal=goal, text="Lotsenprojekt", review_on=dt.date(2027, 3, 1)
    )
    published = _decision(traeger, goal, reference="SG-2026-01", published=True)
    hidden = _decision(traeger, goal, reference="SG-2026-02", published=False)
    GoalChange.objects.create(
        traeger=traeger,
        decision=published,
        kind=GoalChange.Kind.MEASURE_CREATED,
        measure=measure,
        summary="Neue Maßnahme Lotsenprojekt",
    )
    GoalChange.objects.create(
        traeger=traeger,
        decision=hidden,
        kind=GoalChange.Kind.GOAL_CHANGED,
        goal=goal,
        summary="Geheime Änderung",
    )
    client.force_login(_partner(traeger))

    response = client.get(reverse("portal:goal", args=[goal.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "SG-2026-01" in content and "Neue Maßnahme Lotsenprojekt" in content
    assert f'href="/zusammenarbeit/beschluesse/{published.pk}/"' in content
    assert "SG-2026-02" not in content and "Geheime Änderung" not in content
    assert "01.03.2027" in content  # the measure's review date


def test_other_traegers_goal_is_not_found(client, traeger):
    goal = Goal.objects.create(traeger=traeger, key="g", title="Ziel")
    stranger = UserFactory(roles=[Role.PARTNER])
    client.force_login(stranger)

    assert client.get(reverse("portal:goal", args=[goal.pk])).status_code == 404
    assert client.get(reverse("portal:goal", args=[goal.pk + 99999])).status_code == 404


def test_detail_compliance_table_per_municipality(client, traeger, organisation):
    goal = Goal.objects.create(
        traeger=traeger, key="g", code="Arbeit I", title="Ziel", deadline_rule={"within": 6}
    )
    for name, n in (("Detmold", 6), ("Lemgo", 2)):
        municipality = MunicipalityFactory(traeger=traeger, name=name)
        for _ in range(n):
            PersonGoalDeadline.objects.create(
                traeger=traeger,
                person=PersonFactory(
                    traeger=traeger, organisation=organisation, municipality=municipality
                ),
                goal=goal,
                status=DeadlineStatus.MET,
                start_on=dt.date(2026, 1, 1),
                due_on=dt.date(2026, 2, 1),
                met_on=dt.date(2026, 1, 11),
                computed_at=timezone.now(),
            )
    client.force_login(_partner(traeger))

    response = client.get(reverse("portal:goal", args=[goal.pk]), {"jahr": "2026"})

    content = response.content.decode()
    assert "Detmold" in content and "Lemgo" in content
    assert "&lt; 5" in content and "×" in content
    person = PersonGoalDeadline.objects.first().person
    assert person.last_name not in content
    assert client.get(reverse("portal:goal", args=[goal.pk]), {"jahr": "x"}).status_code == 200


def _goals_with_deadlines(traeger, organisation, count, start):
    field = FieldOfAction.objects.get_or_create(traeger=traeger, key="arbeit", name="Arbeit")[0]
    for number in range(start, start + count):
        goal = Goal.objects.create(
            traeger=traeger,
            key=f"g{number}",
            code=f"Z{number}",
            title="Ziel",
            field_of_action=field,
            deadline_rule={"within": 2},
        )
        Measure.objects.create(traeger=traeger, key=f"m{number}", goal=goal, text="Maßnahme")
        PersonGoalDeadline.objects.create(
            traeger=traeger,
            person=PersonFactory(
                traeger=traeger,
                organisation=organisation,
                municipality=MunicipalityFactory(traeger=traeger),
            ),
            goal=goal,
            status=DeadlineStatus.OPEN,
            due_on=dt.date(2026, 1, 1),
            computed_at=timezone.now(),
        )


def test_list_queries_do_not_grow_with_goals(client, traeger, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(_partner(traeger))
    _goals_with_deadlines(traeger, organisation, 2, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:goals"))
    _goals_with_deadlines(traeger, organisation, 6, 10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("portal:goals"))

    assert response.status_code == 200
    assert len(many) == len(few)


def test_detail_queries_do_not_grow_with_municipalities_or_history(client, traeger, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    goal = Goal.objects.create(traeger=traeger, key="g", title="Ziel", deadline_rule={"x": 1})

    def more(count, reference):
        for _ in range(count):
            Measure.objects.create(
                traeger=traeger, key=f"m-{reference}-{_}", goal=goal, text="Maßnahme"
            )
            PersonGoalDeadline.objects.create(
                traeger=traeger,
                person=PersonFactory(
                    traeger=traeger,
                    organisation=organisation,
                    municipality=MunicipalityFactory(traeger=traeger),
                ),
                goal=goal,
                status=DeadlineStatus.MET,
                start_on=dt.date(2026, 1, 1),
                met_on=dt.date(2026, 1, 3),
                due_on=dt.date(2026, 1, 5),
                computed_at=timezone.now(),
            )
        GoalChange.objects.create(
            traeger=traeger,
            decision=_decision(traeger, goal, reference=reference, published=True),
            kind=GoalChange.Kind.GOAL_CHANGED,
            goal=goal,
        )

    client.force_login(_partner(traeger))
    url = reverse("portal:goal", args=[goal.pk])
    more(1, "SG-1")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more(5, "SG-2")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(response.context["compliance"].municipalities) == 6
    assert len(response.context["history"]) == 2
    assert len(many) == len(few)
