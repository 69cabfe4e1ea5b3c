"""Which posts and cases a user works on today: the input of the need-to-know policy.

Computed once per request and user (cached on the user object) with one small query; ``lotse.core.access`` turns it into queryset filters. A case is seen by its case team:

- the holder of the case's post, the post's team lead and the post's substitutes during their
  period (all of these by ``post_ids``);
- members added to that one case, and users with an open break-the-glass access to it (by
  ``case_ids``; their persons by ``person_ids``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class TeamScope:
    post_ids: frozenset[int]
    lead_post_ids: frozenset[int]
    case_ids: frozenset[int]
    person_ids: frozenset[int]
    computed_for: dt.date

    @property
    def empty(self) -> bool:
        return not (self.post_ids or self.case_ids)


_CACHE_ATTRIBUTE = "_lotse_team_scope"


def team_scope(user: Any) -> TeamScope:
    """The user's team scope today (cached on ``user`` for the rest of the request)."""
    today = timezone.localdate()
    cached: TeamScope | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None and cached.computed_for == today:
        return cached
    scope = _compute(user, today)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_team_scope(user: Any) -> None:
    """Drop the cached scope (after a change of the user's own team rows in this request)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _compute(user: Any, today: dt.date) -> TeamScope:
    """One query: the posts (held, led, substituted today) and the single cases (membership,
    open emergency access) of the user, as one UNION ALL."""
    from django.db.models import F, IntegerField, Value

    from lotse.directory.models import CaseManagementPost
    from lotse.teams.models import BreakGlassAccess, CaseMembership

    traeger_id = user.traeger_id
    posts = (
        CaseManagementPost.objects.filter(traeger_id=traeger_id)
        .filter(
            Q(holder_id=user.pk)
            | Q(team_lead_id=user.pk)
            | Q(
                substitutions__substitute_id=user.pk,
                substitutions__starts_on__lte=today,
                substitutions__ends_on__gte=today,
                substitutions__ended_early_at__isnull=True,
            )
        )
        .annotate(
            kind=Value(0, output_field=IntegerField()),
            first=F("id"),
            second=F("team_lead_id"),
        )
        .values_list("kind", "first", "second")
        .order_by()
    )
    memberships = (
        CaseMembership.objects.filter(
            traeger_id=traeger_id, user_id=user.pk, removed_at__isnull=True
        )
        .annotate(
            kind=Value(1, output_field=IntegerField()),
            first=F("case_id"),
            second=F("case__person_id"),
        )
        .values_list("kind", "first", "second")
        .order_by()
    )
    emergencies = (
        BreakGlassAccess.objects.filter(
            traeger_id=traeger_id, user_id=user.pk, expires_at__gt=timezone.now()
        )
        .annotate(
            kind=Value(1, output_field=IntegerField()),
            first=F("case_id"),
            second=F("case__person_id"),
        )
        .values_list("kind", "first", "second")
        .order_by()
    )
    post_ids: set[int] = set()
    lead_post_ids: set[int] = set()
    case_ids: set[int] = set()
    person_ids: set[int] = set()
    for kind, first, second in posts.union(memberships, emergencies, all=True):
        if kind == 0:
            post_ids.add(first)
            if second == user.pk:
                lead_post_ids.add(first)
        else:
            case_ids.add(first)
            person_ids.add(second)
    return TeamScope(
        post_ids=frozenset(post_ids),
        lead_post_ids=frozenset(lead_post_ids),
        case_ids=frozenset(case_ids),
        person_ids=frozenset(person_ids),
        computed_for=today,
    )
