"""The goals registry of the portal: goals per field of action, their measures, their history
of changes by decision and their live compliance from the case level (aggregated only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.access import can_use_portal, not_found, traeger_id_of
from lotse.core.http import AuthenticatedRequest
from lotse.directory.models import FieldOfAction, Goal, Measure
from lotse.governance.models import GoalChange
from lotse.portal.compliance import (
    COLUMNS,
    GoalCompliance,
    compliance_for_goals,
    suppression_threshold,
)

#: The headings of the compliance columns (in the order of ``compliance.COLUMNS``).
COLUMN_LABELS = {
    "met_in_time": _("met within the deadline"),
    "met_late": _("met late"),
    "open": _("open (not yet due)"),
    "overdue": _("overdue"),
    "before_case": _("expired before the case began"),
}


class GoalFilterForm(forms.Form):
    handlungsfeld = forms.ChoiceField(label=_("field of action"), required=False)
    jahr = forms.IntegerField(
        label=_("year the deadline started"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Counts only deadlines counted from a date in this year."),
    )

    def __init__(self, *args: Any, fields_of_action: list[FieldOfAction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field = cast(forms.ChoiceField, self.fields["handlungsfeld"])
        choice_field.choices = [("", _("all fields of action"))] + [
            (f.key, f.name) for f in fields_of_action
        ]


@dataclass
class Node:
    goal: Goal
    children: list[Node] = field(default_factory=list)
    compliance: GoalCompliance | None = None


@dataclass
class Group:
    field_of_action: FieldOfAction | None
    nodes: list[Node] = field(default_factory=list)


def _require_portal(request: AuthenticatedRequest) -> None:
    if not can_use_portal(request.user):
        raise PermissionDenied


def _measures() -> QuerySet[Measure]:
    return Measure.objects.select_related("responsible_organisation").order_by("sort_order", "id")


def goal_tree(goals: list[Goal]) -> list[Group]:
    """Roots (goals without a parent among ``goals``) grouped by field of action, with children.

    Lippe's Leitziele (no field of action) come first as "across all fields"; Rheine's
    Grundsatzziel → Rahmenziel → Ergebnisziel hang below each other.
    """
    nodes = {goal.pk: Node(goal) for goal in goals}
    roots: list[Node] = []
    for goal in goals:
        parent = nodes.get(goal.parent_id) if goal.parent_id else None
        (parent.children if parent else roots).append(nodes[goal.pk])
    groups: dict[int | None, Group] = {}
    for node in roots:
        key = node.goal.field_of_action_id
        if key not in groups:
            groups[key] = Group(node.goal.field_of_action)
        groups[key].nodes.append(node)
    return sorted(
        groups.values(),
        key=lambda g: (
            g.field_of_action is not None,
            g.field_of_action.sort_order if g.field_of_action else 0,
            g.field_of_action.name if g.field_of_action else "",
        ),
    )


@login_required
def goals(request: AuthenticatedRequest) -> HttpResponse:
    _require_portal(request)
    traeger_id = traeger_id_of(request.user)
    fields_of_action = list(
        FieldOfAction.objects.filter(traeger_id=traeger_id).order_by("sort_order", "name")
    )
    form = GoalFilterForm(request.GET or None, fields_of_action=fields_of_action)
    selected: FieldOfAction | None = None
    year: int | None = None
    if form.is_bound:
        form.is_valid()  # each valid field filters; an invalid one shows its error
        key = form.cleaned_data.get("handlungsfeld")
        selected = next((f for f in fields_of_action if f.key == key), None)
        year = form.cleaned_data.get("jahr")
    queryset = (
        Goal.objects.filter(traeger_id=traeger_id)
        .select_related("field_of_action")
        .prefetch_related(Prefetch("measures", queryset=_measures()))
        .order_by("sort_order", "code", "id")
    )
    if selected is not None:
        queryset = queryset.filter(field_of_action=selected)
    goal_list = list(queryset)
    compliance = compliance_for_goals(
        traeger_id,
        [g.pk for g in goal_list if g.deadline_rule],
        today=timezone.localdate(),
        year=year,
        per_municipality=False,
    )
    tree = goal_tree(goal_list)
    stack = [node for group in tree for node in group.nodes]
    while stack:
        node = stack.pop()
        node.compliance = compliance.get(node.goal.pk)
        stack.extend(node.children)
    return render(
        request,
        "portal/goals.html",
        {
            "form": form,
            "groups": tree,
            "selected": selected,
            "year": year,
            "goal_count": len(goal_list),
            "threshold": suppression_threshold(),
        },
    )


@login_required
def goal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_portal(request)
    traeger_id = traeger_id_of(request.user)
    try:
        item = Goal.objects.select_related("field_of_action", "parent").get(
            traeger_id=traeger_id, pk=pk
        )
    except Goal.DoesNotExist:
        raise not_found() from None
    form = GoalFilterForm(request.GET or None, fields_of_action=[])
    year: int | None = None
    if form.is_bound:
        form.is_valid()
        year = form.cleaned_data.get("jahr")
    measures = list(_measures().filter(traeger_id=traeger_id, goal=item))
    # Measures of other goals that serve this one too (a table row such as "I – IV").
    shared = list(
        _measures()
        .filter(traeger_id=traeger_id, further_goals=item)
        .exclude(goal=item)
        .select_related("goal")
    )
    children = list(
        Goal.objects.filter(traeger_id=traeger_id, parent=item).order_by("sort_order", "code", "id")
    )
    # The history: changes of this goal or its measures by decisions published to the region.
    history = list(
        GoalChange.objects.filter(traeger_id=traeger_id)
        .filter(Q(goal=item) | Q(measure__goal=item))
        .filter(decision__published_at__isnull=False, decision__depublished_at__isnull=True)
        .select_related("decision__paper", "measure")
        .order_by("-decision__decided_on", "-created_at", "-id")
    )
    compliance = None
    if item.deadline_rule:
        compliance = compliance_for_goals(
            traeger_id, [item.pk], today=timezone.localdate(), year=year
        )[item.pk]
    return render(
        request,
        "portal/goal.html",
        {
            "goal": item,
            "measures": measures,
            "shared": shared,
            "children": children,
            "history": history,
            "compliance": compliance,
            "columns": [(name, COLUMN_LABELS[name]) for name in COLUMNS],
            "form": form,
            "year": year,
            "threshold": suppression_threshold(),
        },
    )
