"""Reading cases and their timeline, always through the access policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from lotse.cases.models import (
    AttainmentCount,
    Case,
    CaseEvaluation,
    FieldProcess,
    GoalAttainment,
    Phase,
    PhaseTransition,
    TimelineEntry,
)
from lotse.core.access import Action, case_scope_branches, not_found, restrict
from lotse.core.filters import CHOICE, FLAG, INT, TEXT, FilterField, ListFilter
from lotse.core.pagination import KeysetPage, keyset_page, keyset_union_page
from lotse.directory.models import CaseManagementPost, Municipality, Programme
from lotse.people import guards
from lotse.people.models import Person
from lotse.people.selectors import name_match

CASE_LIST_ORDER = ["-opened_on", "-id"]
TIMELINE_ORDER = ["-occurred_at", "-id"]


def case_queryset_for_user(user: Any, action: Action = Action.VIEW) -> QuerySet[Case]:
    queryset: QuerySet[Case] = restrict(Case.objects.all(), user, action)
    if action != Action.VIEW:  # the cases of a restricted person are read-only (Art. 18 GDPR)
        queryset = guards.exclude_restricted(queryset, "person_id")
    return queryset


@dataclass(frozen=True)
class CaseFilter:
    mine: bool = True
    phase: str = ""
    programme_id: int | None = None
    municipality_id: int | None = None
    search: str = ""
    include_closed: bool = False


def _phase_api_field() -> Any:
    from lotse.api.serializers.cases import phase_field

    # de: Nur Fälle in dieser Phase (auch „abgeschlossen“).
    return phase_field(required=False, help_text=_("Only cases in this phase (closed included)."))


#: The filters of "Meine Fälle": the page, the XLSX export and ``/api/v1/cases/``.
CASE_FILTERS = ListFilter(
    CaseFilter,
    [
        FilterField(
            "search",
            "q",
            _("Name or case number"),
            TEXT,
            api_param="q",
            # de: Name der Person, Namensvariante oder Aktenzeichen
            help_text=_("Name of the person, a name variant or the case number."),
        ),
        FilterField(
            "phase",
            "phase",
            _("phase"),
            CHOICE,
            api_param="phase",
            choices=lambda: list(Phase.choices),
            api_field=_phase_api_field,
        ),
        FilterField("programme_id", "programm", _("programme"), INT, api_param="programme"),
        FilterField(
            "municipality_id",
            "kommune",
            _("municipality"),
            INT,
            api_param="municipality",
            # de: Wohnort der Person
            help_text=_("The person's municipality of residence."),
        ),
        FilterField(
            "mine",
            "alle",
            _("Show the whole team's cases"),
            FLAG,
            api_param="mine",
            inverted=True,
            # de: Nur Fälle, die Sie selbst führen.
            help_text=_("Only the cases you are responsible for."),
        ),
        FilterField(
            "include_closed",
            "abgeschlossen",
            _("Include closed cases (when no phase is given)."),
            FLAG,
            api_param="include_closed",
            # de: Abgeschlossene Fälle einbeziehen (ohne „phase“).
            help_text=_("Include closed cases (when no phase is given)."),
        ),
    ],
)


def case_list_for_user(user: Any, *, filters: CaseFilter) -> QuerySet[Case]:
    queryset = case_queryset_for_user(user).select_related(*CASE_LIST_RELATED)
    return _filtered(queryset, user, filters)


#: The relations the case list shows (person, municipality, programme, case manager).
CASE_LIST_RELATED = ("person", "person__municipality", "programme", "case_manager")


def _filtered(queryset: QuerySet[Case], user: Any, filters: CaseFilter) -> QuerySet[Case]:
    if filters.mine:
        queryset = queryset.filter(case_manager=user)
    if filters.phase:
        queryset = queryset.filter(phase=filters.phase)
    elif not filters.include_closed:
        queryset = queryset.exclude(phase=Phase.CLOSED)
    if filters.programme_id:
        queryset = queryset.filter(programme_id=filters.programme_id)
    if filters.municipality_id:
        queryset = queryset.filter(person__municipality_id=filters.municipality_id)
    if filters.search.strip():
        by_name = name_match(filters.search, traeger_id=user.traeger_id, person="person__")
        by_reference = Q(reference__icontains=filters.search.strip())
        queryset = queryset.filter(by_reference | by_name if by_name is not None else by_reference)
    return queryset


def case_page_for_user(
    user: Any, *, filters: CaseFilter, cursor: str | None, size: int = 25
) -> KeysetPage:
    """One page of the case list (page and API), newest first.

    The team's list (not "mine", no search) on PostgreSQL is merged from one index range per
    post of the team (``case_post_opened_idx``: ``traeger, post, -opened_on, -id``) and the
    single cases (``core.access.case_scope_branches``), each cut after the cursor: a team
    lead's page reads 26 rows per post instead of sorting all the team's cases (issue 14).
    "Mine" reads the user's cases by ``traeger, case_manager``; a search is bounded by its
    matches; SQLite filters every page by the scope.
    """
    queryset = case_list_for_user(user, filters=filters)
    branches = None
    if not filters.mine and not filters.search.strip():
        branches = case_scope_branches(user)
    if branches is None or connections[queryset.db].vendor != "postgresql":
        return keyset_page(queryset, order=CASE_LIST_ORDER, cursor=cursor, size=size)
    return keyset_union_page(
        [_filtered(Case.objects.filter(branch), user, filters) for branch in branches],
        fetch=Case.objects.filter(traeger_id=user.traeger_id).select_related(*CASE_LIST_RELATED),
        order=CASE_LIST_ORDER,
        cursor=cursor,
        size=size,
    )


def get_case_for_user(user: Any, pk: Any, action: Action = Action.VIEW) -> Case:
    """Load one case the user may act on; anything else is a 404 (no existence leak)."""
    try:
        return (
            case_queryset_for_user(user, action)
            .select_related(
                "person",
                "person__municipality",
                "programme",
                "organisation",
                "post",
                "case_manager",
            )
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        if action != Action.VIEW:
            row = case_queryset_for_user(user).filter(pk=pk).values("person_id").first()
            if row is not None:
                guards.raise_if_restricted(row["person_id"])
        raise not_found() from None
    except (ValueError, TypeError):
        raise not_found() from None


def cases_of_person_for_user(user: Any, person: Person) -> list[Case]:
    return list(
        case_queryset_for_user(user)
        .filter(person=person)
        .select_related("programme", "case_manager")
        .order_by("-opened_on", "-id")
    )


def timeline_page(case: Case, *, cursor: str | None, size: int = 20) -> KeysetPage:
    queryset = TimelineEntry.objects.filter(traeger_id=case.traeger_id, case=case).select_related(
        "author"
    )
    return keyset_page(queryset, order=TIMELINE_ORDER, cursor=cursor, size=size)


def get_timeline_entry(case: Case, pk: Any) -> TimelineEntry:
    try:
        return TimelineEntry.objects.get(traeger_id=case.traeger_id, case=case, pk=pk)
    except (TimelineEntry.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def phase_history(case: Case) -> list[PhaseTransition]:
    return list(
        PhaseTransition.objects.filter(traeger_id=case.traeger_id, case=case).select_related(
            "changed_by"
        )
    )


def field_processes(case: Case) -> list[FieldProcess]:
    """The stages per field of action, the case's person first, then the household by name."""
    rows = list(
        FieldProcess.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("field_of_action", "person")
        .order_by("field_of_action__sort_order", "field_of_action__name")
    )
    order = {p.pk: index for index, p in enumerate(household_of_case(case))}
    return sorted(rows, key=lambda row: order.get(row.person_id, len(order)))


def household_of_case(case: Case) -> list[Person]:
    """The persons a case covers: its person first, then the household members by age.

    A case covers the household (issue 10, "Families"): referrals, assessments and stages may
    be about any of these persons. The members are in the case team's scope through the case,
    which the caller has loaded through the access policy.
    """
    person = case.person
    if person.household_id is None:
        return [person]
    members = [
        member
        for member in Person.objects.filter(
            traeger_id=case.traeger_id, household_id=person.household_id
        ).order_by("date_of_birth", "last_name", "first_name", "pk")
        if member.pk != person.pk
    ]
    return [person, *members]


def household_member_of_case(case: Case, person_id: Any) -> Person | None:
    """The person ``person_id`` if the case covers them (see ``household_of_case``), else None."""
    for member in household_of_case(case):
        if str(member.pk) == str(person_id):
            return member
    return None


@dataclass(frozen=True)
class AssignmentSuggestion:
    post: CaseManagementPost | None
    organisation_id: int | None
    case_manager_id: int | None
    caseload: int
    target_caseload: int | None

    @property
    def over_capacity(self) -> bool:
        return self.target_caseload is not None and self.caseload >= self.target_caseload


def post_caseload(post: CaseManagementPost) -> int:
    return (
        Case.objects.filter(traeger_id=post.traeger_id, post=post)
        .exclude(phase=Phase.CLOSED)
        .count()
    )


def suggest_assignment(
    *, programme: Programme, municipality: Municipality | None
) -> AssignmentSuggestion:
    """Suggest the post for the person's Sozialraum ("one face per municipality").

    Among several posts of the programme in that Sozialraum the one with the lowest open caseload
    is chosen. Without a Sozialraum match, the programme's post with the lowest caseload.
    """
    posts = CaseManagementPost.objects.filter(traeger_id=programme.traeger_id, programme=programme)
    if municipality is not None and municipality.sozialraum_id:
        local = posts.filter(sozialraum_id=municipality.sozialraum_id)
        if local.exists():
            posts = local
    ranked = (
        posts.annotate(open_cases=Count("cases", filter=~Q(cases__phase=Phase.CLOSED)))
        .select_related("organisation")
        .order_by("open_cases", "sort_order", "id")
    )
    post = ranked.first()
    if post is None:
        return AssignmentSuggestion(None, None, None, 0, None)
    return AssignmentSuggestion(
        post=post,
        organisation_id=post.organisation_id,
        case_manager_id=post.holder_id,
        caseload=post.open_cases,  # type: ignore[attr-defined]
        target_caseload=post.target_caseload,
    )


def _evaluations(case: Case) -> QuerySet[CaseEvaluation]:
    return (
        CaseEvaluation.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("evaluated_by", "agreement")
        .prefetch_related(
            Prefetch(
                "attainments",
                queryset=GoalAttainment.objects.filter(traeger_id=case.traeger_id).select_related(
                    "field_of_action", "agreement_goal"
                ),
            )
        )
    )


def evaluation_of(case: Case) -> CaseEvaluation | None:
    """The final evaluation of the case (the precondition for closing), if recorded."""
    return _evaluations(case).filter(kind=CaseEvaluation.Kind.FINAL).first()


def interim_evaluations_of(case: Case) -> list[CaseEvaluation]:
    """The interim evaluations of the case, newest first (the history for the next review)."""
    return list(
        _evaluations(case).filter(kind=CaseEvaluation.Kind.INTERIM).order_by("-evaluated_at", "-id")
    )


@dataclass(frozen=True)
class AttainmentTotal:
    """Goal attainment of the cases closed in a period, for one field of action."""

    field_of_action_id: int | None
    field_name: str
    rated: str
    reached: int
    partly: int
    not_reached: int

    @property
    def total(self) -> int:
        return self.reached + self.partly + self.not_reached


def _totals(counts: QuerySet[AttainmentCount], rated: str) -> list[AttainmentTotal]:
    level = GoalAttainment.Level
    rows = (
        counts.filter(rated=rated)
        .values("field_of_action_id", "field_of_action__name", "field_of_action__sort_order")
        .annotate(
            reached=Sum("count", filter=Q(level=level.REACHED), default=0),
            partly=Sum("count", filter=Q(level=level.PARTLY), default=0),
            not_reached=Sum("count", filter=Q(level=level.NOT_REACHED), default=0),
        )
        .order_by("field_of_action__sort_order", "field_of_action__name")
    )
    return [
        AttainmentTotal(
            field_of_action_id=row["field_of_action_id"],
            field_name=row["field_of_action__name"] or "",
            rated=rated,
            reached=row["reached"],
            partly=row["partly"],
            not_reached=row["not_reached"],
        )
        for row in rows
    ]


def attainment_totals(
    *,
    traeger_id: int,
    closed_from: dt.date,
    closed_until: dt.date,
    rated: str = AttainmentCount.Rated.GOAL,
) -> list[AttainmentTotal]:
    """Attainments at closing per field of action, summed over cases closed in [from, until].

    Aggregate statistics without any personal data (counts from ``AttainmentCount``), one
    query on the index (traeger, closed_on, field_of_action); ``rated`` picks the SMART goals
    or the ratings of whole fields of action.
    """
    counts = AttainmentCount.objects.filter(
        traeger_id=traeger_id, closed_on__gte=closed_from, closed_on__lte=closed_until
    )
    return _totals(counts, rated)


def closing_summary(case: Case) -> dict[str, list[AttainmentTotal]]:
    """What closing this case counted for monitoring, per field: SMART goals, whole fields."""
    counts = AttainmentCount.objects.filter(traeger_id=case.traeger_id, case=case)
    return {
        "goals": _totals(counts, AttainmentCount.Rated.GOAL),
        "fields": _totals(counts, AttainmentCount.Rated.FIELD),
    }
