"""Reading agreements, always through the case scope of ``core.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from lotse.agreements.models import Agreement, AgreementGoal
from lotse.cases.models import Case
from lotse.cases.selectors import get_case_for_user
from lotse.core.access import Action, not_found


def _goals(traeger_id: int) -> Prefetch:
    return Prefetch(
        "goals",
        queryset=AgreementGoal.objects.filter(traeger_id=traeger_id).select_related(
            "field_of_action", "responsible_organisation"
        ),
    )


def agreements_of_case(case: Case, *, with_goals: bool = False) -> QuerySet[Agreement]:
    """Every version of the case's agreement, newest first (the case is already authorised)."""
    queryset = Agreement.objects.filter(traeger_id=case.traeger_id, case=case).select_related(
        "agreed_by", "created_by"
    )
    if with_goals:
        queryset = queryset.prefetch_related(_goals(case.traeger_id))
    return queryset.order_by("-number")


def agreement_overview(case: Case) -> tuple[Agreement | None, Agreement | None, list[Agreement]]:
    """(current agreed version, open draft, all versions) in two queries."""
    versions = list(agreements_of_case(case, with_goals=True))
    agreed = next((a for a in versions if a.status == Agreement.Status.AGREED), None)
    draft = next((a for a in versions if a.status == Agreement.Status.DRAFT), None)
    return agreed, draft, versions


def get_agreement_for_user(
    user: Any, case_pk: Any, number: Any, action: Action = Action.VIEW
) -> Agreement:
    """One version of a case's agreement; outside the user's case scope it does not exist."""
    case = get_case_for_user(user, case_pk, action)
    return get_agreement_of_case(case, number)


def get_agreement_of_case(case: Case, number: Any) -> Agreement:
    try:
        agreement = agreements_of_case(case, with_goals=True).filter(number=int(number)).get()
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise not_found() from None
    agreement.case = case
    return agreement


def get_draft_for_user(user: Any, case_pk: Any) -> Agreement:
    """The open draft of a case the user may change (404 without one)."""
    case = get_case_for_user(user, case_pk, Action.CHANGE)
    draft = agreements_of_case(case, with_goals=True).filter(status=Agreement.Status.DRAFT).first()
    if draft is None:
        raise not_found()
    draft.case = case
    return draft


def latest_agreed(case: Case) -> Agreement | None:
    agreement = (
        agreements_of_case(case, with_goals=True).filter(status=Agreement.Status.AGREED).first()
    )
    if agreement is not None:
        agreement.case = case
    return agreement
