"""The trace both ways: measure/goal → change → decision → paper → needs → conferences, and back.

Conferences appear only anonymised ("Fallkonferenz vom <date>" and the need's field of action):
no case reference, no names. Everything here is structural and may be shown in the portal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lotse.conferences.models import OptimisationNeed
from lotse.directory.models import Goal, Measure
from lotse.governance.models import Decision, GoalChange, Paper


@dataclass
class NeedTrace:
    """An optimisation need as the trace shows it: where it was named, never for whom."""

    pk: int
    field_of_action: str
    description: str
    origin: str
    status: str


@dataclass
class DecisionTrace:
    decision: Decision
    paper: Paper
    changes: list[GoalChange] = field(default_factory=list)
    needs: list[NeedTrace] = field(default_factory=list)


def anonymised_origin(need: OptimisationNeed) -> str:
    """ "Fallkonferenz vom 03.11.2026" or the body that named it (no case reference)."""
    conference = need.conference
    if conference is not None:
        when: Any = conference.starts_at or need.created_at
        day = when.date() if isinstance(when, dt.datetime) else when
        return _("Case conference of %(date)s") % {"date": day.strftime("%d.%m.%Y")}
    if need.source_body is not None:
        return _("Named in %(body)s") % {"body": need.source_body.name}
    return _("Named by the Servicestelle")


def need_trace(need: OptimisationNeed) -> NeedTrace:
    return NeedTrace(
        pk=need.pk,
        field_of_action=str(need.field_of_action),
        description=need.description,
        origin=anonymised_origin(need),
        status=need.get_status_display(),
    )


def _needs_prefetch() -> Prefetch:
    return Prefetch(
        "paper__needs",
        queryset=OptimisationNeed.objects.select_related(
            "field_of_action", "conference", "source_body"
        ).order_by("id"),
    )


def decision_trace(decision: Decision) -> DecisionTrace:
    """A decision with its paper, the needs behind it and the changes it made."""
    changes = list(decision.changes.select_related("goal", "measure").order_by("created_at", "id"))
    needs = decision.paper.needs.select_related(
        "field_of_action", "conference", "source_body"
    ).order_by("id")
    return DecisionTrace(
        decision=decision,
        paper=decision.paper,
        changes=changes,
        needs=[need_trace(n) for n in needs],
    )


def measure_trace(measure: Measure, *, published_only: bool = False) -> list[DecisionTrace]:
    """The decisions that created or changed the measure, with their papers and needs."""
    return _changes_trace(
        GoalChange.objects.filter(traeger_id=measure.traeger_id, measure=measure), published_only
    )


def goal_trace(goal: Goal, *, published_only: bool = False) -> list[DecisionTrace]:
    return _changes_trace(
        GoalChange.objects.filter(traeger_id=goal.traeger_id, goal=goal), published_only
    )


def _changes_trace(changes: Any, published_only: bool) -> list[DecisionTrace]:
    if published_only:
        changes = changes.filter(decision__published_at__isnull=False)
    rows = (
        changes.select_related(
            "decision__paper", "decision__item__meeting__body", "goal", "measure"
        )
        .prefetch_related(
            Prefetch(
                "decision__paper__needs",
                queryset=OptimisationNeed.objects.select_related(
                    "field_of_action", "conference", "source_body"
                ).order_by("id"),
            )
        )
        .order_by("created_at", "id")
    )
    found: dict[int, DecisionTrace] = {}
    for change in rows:
        decision = change.decision
        entry = found.get(decision.pk)
        if entry is None:
            entry = found[decision.pk] = DecisionTrace(
                decision=decision,
                paper=decision.paper,
                needs=[need_trace(n) for n in decision.paper.needs.all()],
            )
        entry.changes.append(change)
    return list(found.values())


@dataclass
class PaperTrace:
    paper: Paper
    decisions: list[Decision]
    measures: list[Measure]


def need_forward_trace(need: OptimisationNeed) -> list[PaperTrace]:
    """From a need (and the needs merged into it) to its papers, decisions and measures."""
    papers = (
        Paper.objects.filter(
            traeger_id=need.traeger_id,
            needs__in=[need.pk, *need.merged.values_list("pk", flat=True)],
        )
        .distinct()
        .select_related("body", "goal")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("item__meeting__body").prefetch_related(
                    Prefetch("changes", queryset=GoalChange.objects.select_related("measure__goal"))
                ),
            )
        )
        .order_by("created_at", "id")
    )
    result: list[PaperTrace] = []
    for paper in papers:
        decisions = list(paper.decisions.all())
        measures: list[Measure] = []
        for decision in decisions:
            for change in decision.changes.all():
                if change.measure is not None and change.measure not in measures:
                    measures.append(change.measure)
        result.append(PaperTrace(paper=paper, decisions=decisions, measures=measures))
    return result
