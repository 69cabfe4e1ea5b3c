"""Reading participations, Bausteine, budgets and ABH referrals.

Objects of a case are reached only through the case, which is loaded with
``cases.selectors.get_case_for_user`` (so a foreign or forbidden object is a 404). The
overview reads aggregates of the user's Träger only, never names of clients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from lotse.accounts.models import User
from lotse.cases.models import Case, Phase
from lotse.cases.selectors import get_case_for_user
from lotse.consent.flags import Dependent, dependents_from
from lotse.consent.models import Consent, Transfer
from lotse.consent.selectors import current_consents
from lotse.core.access import Action, not_found, traeger_id_of
from lotse.directory.models import (
    CaseManagementPost,
    Organisation,
    Programme,
    ProgrammeModule,
)
from lotse.programmes.models import (
    AbhReferral,
    BudgetEntry,
    ModuleAssignment,
    ModuleBudget,
    Participation,
)


def participation_programmes(traeger_id: int) -> QuerySet[Programme]:
    return Programme.objects.filter(
        traeger_id=traeger_id, kind=Programme.Kind.PARTICIPATION_MANAGEMENT
    ).order_by("sort_order", "name")


def get_programme(traeger_id: int, pk: Any) -> Programme | None:
    try:
        return participation_programmes(traeger_id).get(pk=pk)
    except (Programme.DoesNotExist, ValueError, TypeError):
        return None


def participation_of(case: Case) -> Participation | None:
    return (
        Participation.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("programme", "provider", "eligibility_check")
        .first()
    )


def get_participation_for_user(
    user: Any, case_pk: Any, action: Action = Action.VIEW
) -> tuple[Case, Participation]:
    """The case and its participation; no access or no participation → 404."""
    case = get_case_for_user(user, case_pk, action)
    participation = participation_of(case)
    if participation is None:
        raise not_found()
    return case, participation


def assignments_of(participation: Participation) -> list[ModuleAssignment]:
    return list(
        ModuleAssignment.objects.filter(
            traeger_id=participation.traeger_id, participation=participation
        ).select_related("module", "coach")
    )


def get_assignment(participation: Participation, pk: Any) -> ModuleAssignment:
    try:
        return ModuleAssignment.objects.select_related("module", "coach").get(
            traeger_id=participation.traeger_id, participation=participation, pk=pk
        )
    except (ModuleAssignment.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def budget_entries_of(participation: Participation) -> list[BudgetEntry]:
    return list(
        BudgetEntry.objects.filter(traeger_id=participation.traeger_id, participation=participation)
        .select_related("budget", "budget__module", "commitment")
        .order_by("booked_on", "id")
    )


def open_commitments_of(participation: Participation) -> QuerySet[BudgetEntry]:
    return BudgetEntry.objects.filter(
        traeger_id=participation.traeger_id,
        participation=participation,
        kind=BudgetEntry.Kind.COMMITMENT,
        settled=False,
    ).select_related("budget__module")


def modules_of(programme: Programme) -> QuerySet[ProgrammeModule]:
    return ProgrammeModule.objects.filter(
        traeger_id=programme.traeger_id, programme=programme
    ).order_by("number")


def get_referral_for_user(
    user: Any, case_pk: Any, referral_pk: Any, action: Action = Action.VIEW
) -> AbhReferral:
    case = get_case_for_user(user, case_pk, action)
    try:
        referral = AbhReferral.objects.select_related(
            "authority", "forwarded_by", "consent", "transfer"
        ).get(traeger_id=case.traeger_id, case=case, pk=referral_pk)
    except (AbhReferral.DoesNotExist, ValueError, TypeError):
        raise not_found() from None
    referral.case = case
    return referral


def referrals_of(case: Case) -> list[AbhReferral]:
    return list(
        AbhReferral.objects.filter(traeger_id=case.traeger_id, case=case).select_related(
            "authority"
        )
    )


def authorities(traeger_id: int) -> QuerySet[Organisation]:
    """Organisations that can receive a referral: Ausländer- and Einbürgerungsbehörden only."""
    return Organisation.objects.filter(
        traeger_id=traeger_id,
        kind__in=[Organisation.Kind.IMMIGRATION_OFFICE, Organisation.Kind.NATURALISATION_OFFICE],
    ).order_by("name")


def forwarding_consents(case: Case) -> QuerySet[Consent]:
    """Consents of the case's person in force now that name an immigration authority."""
    return (
        current_consents(case.person)
        .filter(recipients__in=authorities(case.traeger_id))
        .distinct()
        .prefetch_related("recipients")
        .order_by("-valid_from", "-id")
    )


def provider_post(programme: Programme, organisation: Organisation) -> CaseManagementPost | None:
    """The provider's post for the programme (its holder is the coach), lowest caseload first."""
    return (
        CaseManagementPost.objects.filter(
            traeger_id=programme.traeger_id, programme=programme, organisation=organisation
        )
        .annotate(open_cases=Count("cases", filter=~Q(cases__phase=Phase.CLOSED)))
        .select_related("holder")
        .order_by("open_cases", "sort_order", "id")
        .first()
    )


# --- Budgets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetStatus:
    budget: ModuleBudget
    open_committed_cents: int
    paid_cents: int

    @property
    def amount_cents(self) -> int:
        return self.budget.amount_cents

    @property
    def used_cents(self) -> int:
        return self.open_committed_cents + self.paid_cents

    @property
    def available_cents(self) -> int:
        return self.amount_cents - self.used_cents

    @property
    def percent(self) -> int:
        if self.amount_cents <= 0:
            return 100 if self.used_cents else 0
        return self.used_cents * 100 // self.amount_cents

    @property
    def warning(self) -> bool:
        """At or above the warning threshold (e.g. 90 % committed + spent)."""
        return self.used_cents * 100 >= self.budget.warning_percent * self.amount_cents

    @property
    def overrun(self) -> bool:
        return self.used_cents > self.amount_cents


def _with_usage(queryset: QuerySet[ModuleBudget]) -> QuerySet[ModuleBudget]:
    return queryset.annotate(
        open_committed=Coalesce(
            Sum(
                "entries__amount_cents",
                filter=Q(entries__kind=BudgetEntry.Kind.COMMITMENT, entries__settled=False),
            ),
            0,
        ),
        paid=Coalesce(
            Sum("entries__amount_cents", filter=Q(entries__kind=BudgetEntry.Kind.PAYMENT)), 0
        ),
    )


def _status(budget: ModuleBudget) -> BudgetStatus:
    return BudgetStatus(
        budget=budget,
        open_committed_cents=int(budget.open_committed),  # type: ignore[attr-defined]
        paid_cents=int(budget.paid),  # type: ignore[attr-defined]
    )


def budget_status(budget: ModuleBudget) -> BudgetStatus:
    fresh = _with_usage(ModuleBudget.objects.filter(pk=budget.pk)).select_related("module").get()
    return _status(fresh)


def budget_for(module: ProgrammeModule, year: int) -> ModuleBudget | None:
    return ModuleBudget.objects.filter(
        traeger_id=module.traeger_id, module=module, year=year
    ).first()


def budget_statuses(traeger_id: int, *, programme: Programme, year: int) -> list[BudgetStatus]:
    """One query for all Bausteine of the programme in ``year``."""
    queryset = _with_usage(
        ModuleBudget.objects.filter(traeger_id=traeger_id, module__programme=programme, year=year)
    ).select_related("module")
    return [_status(budget) for budget in queryset.order_by("module__number")]


def budget_statuses_for_user(user: Any) -> list[BudgetStatus]:
    """Every Baustein budget of the user's Träger with its use (one query)."""
    queryset = _with_usage(ModuleBudget.objects.filter(traeger_id=traeger_id_of(user)))
    return [
        _status(budget)
        for budget in queryset.select_related("module", "module__programme").order_by(
            "-year", "module__programme__sort_order", "module__number"
        )
    ]


# --- Coaching ratio and overview ----------------------------------------------------------


def _active_on(day: dt.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def active_assignments(traeger_id: int, day: dt.date) -> QuerySet[ModuleAssignment]:
    return (
        ModuleAssignment.objects.filter(traeger_id=traeger_id)
        .filter(_active_on(day))
        .exclude(participation__case__phase=Phase.CLOSED)
    )


def coach_load(module: ProgrammeModule, coach_id: int, day: dt.date) -> int:
    """Participants of ``module`` the coach looks after on ``day`` (each participant once)."""
    return (
        active_assignments(module.traeger_id, day)
        .filter(module=module, coach_id=coach_id)
        .values("participation")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class CoachRow:
    module: ProgrammeModule
    coach: User | None
    participants: int
    ratio: int

    @property
    def over_ratio(self) -> bool:
        return self.participants > self.ratio


@dataclass(frozen=True)
class ModuleRow:
    module: ProgrammeModule
    participants: int


@dataclass(frozen=True)
class Overview:
    programme: Programme
    day: dt.date
    modules: list[ModuleRow]
    coaches: list[CoachRow]
    budgets: list[BudgetStatus]
    participations: int


def overview(traeger_id: int, *, programme: Programme, day: dt.date) -> Overview:
    """Aggregates for the Teilhabemanagement overview: a fixed number of queries."""
    modules = list(modules_of(programme))
    base = active_assignments(traeger_id, day).filter(module__programme=programme)
    per_module = dict(
        base.values("module")
        .annotate(n=Count("participation", distinct=True))
        .values_list("module", "n")
    )
    ratio_modules = {m.pk: m for m in modules if m.participants_per_coach}
    per_coach = list(
        base.filter(module_id__in=list(ratio_modules))
        .values("module", "coach")
        .annotate(n=Count("participation", distinct=True))
        .order_by("module", "-n", "coach")
    )
    coach_ids = {row["coach"] for row in per_coach if row["coach"]}
    coaches = {
        u.pk: u for u in User.objects.filter(pk__in=coach_ids).select_related("organisation")
    }
    participations = (
        Participation.objects.filter(traeger_id=traeger_id, programme=programme)
        .exclude(case__phase=Phase.CLOSED)
        .count()
    )
    return Overview(
        programme=programme,
        day=day,
        modules=[ModuleRow(m, per_module.get(m.pk, 0)) for m in modules],
        coaches=[
            CoachRow(
                module=ratio_modules[row["module"]],
                coach=coaches.get(row["coach"]),
                participants=row["n"],
                ratio=int(ratio_modules[row["module"]].participants_per_coach or 0),
            )
            for row in per_coach
        ],
        budgets=budget_statuses(traeger_id, programme=programme, year=day.year),
        participations=participations,
    )


def open_abh_referrals_relying_on(transfers: list[Transfer]) -> list[Dependent]:
    """Forwarded referrals not yet closed, carried by ``transfers`` (consent-end flags)."""
    ids = [t.subject_id for t in transfers if t.subject_id is not None]
    rows = AbhReferral.objects.filter(
        pk__in=ids, state__in=[AbhReferral.State.FORWARDED, AbhReferral.State.ANSWERED]
    ).values_list("pk", "case_id")
    return dependents_from(transfers, dict(rows), "abhreferral")
