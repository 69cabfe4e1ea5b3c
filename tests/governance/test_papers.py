"""From need to decision to measure: the state rules and their German messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.conferences.models import OptimisationNeed
from lotse.directory.models import Measure
from lotse.governance import papers, trace
from lotse.governance.models import AgendaItem, Consultation, Decision, GoalChange, PaperState
from tests.governance.conftest import make_meeting

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


def _paper(coordinator, ak_arbeit, needs, goal=None):
    return papers.paper_create(
        actor=coordinator,
        body=ak_arbeit,
        title="Sprachkurse mit Kinderbetreuung",
        problem="Eltern brechen Kurse ab.",
        proposal="Kurse mit Kinderbetreuung an drei Standorten.",
        needs=needs,
        goal=goal,
        responsible="VHS",
    )


def _submitted(coordinator, ak_arbeit, needs, circle_meeting, steering_meeting, goal=None):
    paper = _paper(coordinator, ak_arbeit, needs, goal)
    consultation = papers.paper_put_on_meeting(
        actor=coordinator, paper=paper, meeting=circle_meeting
    )
    papers.consultation_record_result(
        actor=coordinator, consultation=consultation, result="Einvernehmlich befürwortet."
    )
    papers.paper_submit(actor=coordinator, paper=paper, meeting=steering_meeting)
    paper.refresh_from_db()
    return paper


def test_references_count_per_traeger_and_year(coordinator, ak_arbeit, assigned_needs):
    first = _paper(coordinator, ak_arbeit, assigned_needs[:1])
    second = _paper(coordinator, ak_arbeit, assigned_needs[1:])
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"BV {year}/001", f"BV {year}/002")
    # The needs stay assigned while the paper is on its way.
    assert {n.status for n in first.needs.all()} == {OptimisationNeed.Status.ASSIGNED}


def test_a_paper_needs_assigned_needs_and_a_working_body(
    coordinator, ak_arbeit, steering, assigned_needs
):
    open_need = assigned_needs[0]
    open_need.status = OptimisationNeed.Status.OPEN
    open_need.save()
    with pytest.raises(ValidationError) as error:
        _paper(coordinator, steering, [open_need])
    assert {"body", "needs"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        _paper(coordinator, ak_arbeit, [])
    assert "needs" in error.value.message_dict


def test_only_the_servicestelle_drafts(partner, ak_arbeit, assigned_needs):
    with pytest.raises(PermissionDenied):
        _paper(partner, ak_arbeit, assigned_needs)


def test_the_whole_path_creates_a_measure_with_its_trace(
    coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting, arbeit_i
):
    paper = _submitted(
        coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting, arbeit_i
    )
    assert paper.state == PaperState.SUBMITTED
    items = AgendaItem.objects.filter(paper=paper).order_by("id")
    assert [i.kind for i in items] == [AgendaItem.Kind.PAPER] * 2
    assert [c.role for c in Consultation.objects.filter(paper=paper).order_by("id")] == [
        "consultation",
        "decision",
    ]
    decision = papers.paper_decide(
        actor=coordinator,
        paper=paper,
        outcome=Decision.Outcome.ADOPTED,
        decided_on=TODAY(),
        votes_yes=9,
        votes_no=1,
        votes_abstain=2,
    )
    paper.refresh_from_db()
    assert paper.state == PaperState.DECIDED
    assert {n.status for n in paper.needs.all()} == {OptimisationNeed.Status.DONE}
    measure = papers.decision_create_measure(
        actor=coordinator,
        decision=decision,
        goal=arbeit_i,
        text=paper.proposal,
        due_on=TODAY() + dt.timedelta(days=365),
        review_on=TODAY() + dt.timedelta(days=90),
    )
    assert (measure.origin, measure.status, measure.goal) == (
        Measure.Origin.DECISION,
        Measure.Status.PLANNED,
        arbeit_i,
    )
    change = GoalChange.objects.get(measure=measure)
    assert change.kind == GoalChange.Kind.MEASURE_CREATED
    assert change.before is None and change.after["text"] == paper.proposal

    back = trace.measure_trace(measure)
    assert [t.paper for t in back] == [paper]
    assert {n.description for n in back[0].needs} == {n.description for n in assigned_needs}
    assert trace.measure_trace(measure, published_only=True) == []
    forward = trace.need_forward_trace(assigned_needs[0])
    assert forward[0].measures == [measure] and forward[0].decisions == [decision]

    changed = papers.decision_change_measure(
        actor=coordinator, decision=decision, measure=measure, financing="Landesmittel"
    )
    last = GoalChange.objects.filter(measure=changed).order_by("-id").first()
    assert (last.before["financing"], last.after["financing"]) == ("", "Landesmittel")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "adopted", "unanimous": True, "votes_no": 1}, "votes_no"),
        ({"outcome": "adopted", "votes_yes": 2, "votes_no": 3}, "votes_yes"),
        ({"outcome": "adopted"}, "votes_yes"),
        ({"outcome": "rejected", "votes_yes": 5, "votes_no": 1}, "votes_no"),
        ({"outcome": "deferred", "unanimous": True}, "unanimous"),
        ({"outcome": "adopted", "votes_yes": -1, "votes_no": 0}, "votes_yes"),
    ],
)
def test_votes_are_checked(
    coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting, fields, field
):
    paper = _submitted(coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting)
    with pytest.raises(ValidationError) as error:
        papers.paper_decide(actor=coordinator, paper=paper, decided_on=TODAY(), **fields)
    assert field in error.value.message_dict
    assert not Decision.objects.filter(paper=paper).exists()


def test_deferred_stays_submitted_and_returned_goes_back(
    coordinator, ak_arbeit, steering, assigned_needs, circle_meeting, steering_meeting
):
    paper = _submitted(coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting)
    papers.paper_decide(actor=coordinator, paper=paper, outcome="deferred", decided_on=TODAY())
    paper.refresh_from_db()
    assert paper.state == PaperState.SUBMITTED
    with pytest.raises(ValidationError):  # waits for the next steering meeting
        papers.paper_decide(actor=coordinator, paper=paper, outcome="deferred", decided_on=TODAY())
    later = make_meeting(steering, 60, "Steuerungsgremium, Herbst")
    papers.paper_submit(actor=coordinator, paper=paper, meeting=later)
    papers.paper_decide(actor=coordinator, paper=paper, outcome="returned", decided_on=TODAY())
    paper.refresh_from_db()
    assert paper.state == PaperState.RETURNED
    assert {n.status for n in paper.needs.all()} == {OptimisationNeed.Status.ASSIGNED}


def test_meetings_must_fit(
    coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting
):
    paper = _paper(coordinator, ak_arbeit, assigned_needs)
    with pytest.raises(ValidationError) as error:
        papers.paper_put_on_meeting(actor=coordinator, paper=paper, meeting=steering_meeting)
    assert "meeting" in error.value.message_dict
    with pytest.raises(ValidationError):  # not consulted yet
        papers.paper_submit(actor=coordinator, paper=paper, meeting=steering_meeting)
    circle_meeting.state = "cancelled"
    circle_meeting.save()
    with pytest.raises(ValidationError):
        papers.paper_put_on_meeting(actor=coordinator, paper=paper, meeting=circle_meeting)


def test_a_progress_report_moves_the_measure(coordinator, arbeit_i):
    measure = Measure.objects.filter(goal=arbeit_i).first()
    with pytest.raises(ValidationError) as error:
        papers.measure_report(
            actor=coordinator,
            measure=measure,
            status="in_progress",
            progress="",
            next_review_on=TODAY() - dt.timedelta(days=1),
        )
    assert {"progress", "next_review_on"} <= set(error.value.message_dict)
    papers.measure_report(
        actor=coordinator,
        measure=measure,
        status="in_progress",
        progress="Zwei Standorte laufen.",
        next_review_on=TODAY() + dt.timedelta(days=90),
    )
    measure.refresh_from_db()
    assert (measure.status, measure.review_on) == ("in_progress", TODAY() + dt.timedelta(days=90))


def test_loading_the_configuration_keeps_decided_measures(
    coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting, arbeit_i
):
    from lotse.directory.config import config_load
    from tests.directory.conftest import KREIS_LIPPE

    paper = _submitted(coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting)
    decision = papers.paper_decide(
        actor=coordinator, paper=paper, outcome="adopted", decided_on=TODAY(), unanimous=True
    )
    created = papers.decision_create_measure(
        actor=coordinator, decision=decision, goal=arbeit_i, text="Neue Maßnahme"
    )
    configured = Measure.objects.filter(goal=arbeit_i, origin="configuration").first()
    papers.decision_change_measure(
        actor=coordinator, decision=decision, measure=configured, text="Per Beschluss geändert"
    )
    report = config_load(path=KREIS_LIPPE)
    assert report.sections["measures"].removed == 0
    assert Measure.objects.filter(pk=created.pk).exists()
    configured.refresh_from_db()
    assert configured.text == "Per Beschluss geändert"


def test_a_decision_creates_and_changes_goals_and_a_load_keeps_them(
    coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting, arbeit_i
):
    from lotse.directory.config import config_load
    from tests.directory.conftest import KREIS_LIPPE

    paper = _submitted(coordinator, ak_arbeit, assigned_needs, circle_meeting, steering_meeting)
    decision = papers.paper_decide(
        actor=coordinator, paper=paper, outcome="adopted", decided_on=TODAY(), unanimous=True
    )
    goal = papers.decision_create_goal(
        actor=coordinator, decision=decision, code="Arbeit V", title="Sprachkurse für Eltern"
    )
    papers.decision_create_measure(
        actor=coordinator, decision=decision, goal=goal, text="Kurse mit Betreuung"
    )
    papers.decision_change_goal(
        actor=coordinator, decision=decision, goal=arbeit_i, description="Neu gefasst"
    )
    kinds = sorted(GoalChange.objects.filter(decision=decision).values_list("kind", flat=True))
    assert kinds == ["goal_changed", "goal_created", "measure_created"]
    assert [t.paper for t in trace.goal_trace(goal)] == [paper]
    config_load(path=KREIS_LIPPE)
    goal.refresh_from_db()
    assert goal.measures.count() == 1
