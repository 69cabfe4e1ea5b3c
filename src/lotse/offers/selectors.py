"""Reading offers and referrals.

Offers: the catalogue of the user's Träger (``access.can_read_catalogue``). Referrals are part
of the case file: they are reached only through cases the user may act on
(``cases.selectors.case_queryset_for_user``), so another team's or Träger's referral is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from lotse.cases.models import Case
from lotse.cases.selectors import case_queryset_for_user
from lotse.consent.flags import Dependent, dependents_from
from lotse.consent.models import Transfer
from lotse.core.access import Action, can, not_found
from lotse.core.pagination import KeysetPage, keyset_page
from lotse.offers.access import can_edit_catalogue, can_read_catalogue
from lotse.offers.models import (
    OPEN_STATES,
    PLACE_TAKING_STATES,
    AccessPath,
    Offer,
    Referral,
    ReferralEvent,
    ReferralState,
)

OFFER_LIST_ORDER = ["title", "id"]
#: Overdue follow-ups first (the longest overdue first), then the others, newest first.
WORKLIST_ORDER = ["overdue_rank", "overdue_since", "-requested_on", "-id"]
OVERDUE_ORDER = ["follow_up_on", "id"]
#: The sort key of the referrals that are not overdue (after every real date).
_NOT_OVERDUE = dt.date(9999, 12, 31)


def with_place_counts(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    """Annotate ``occupied`` (accepted or started) and ``waiting`` in the same query."""
    return queryset.annotate(
        occupied=Count("referrals", filter=Q(referrals__state__in=PLACE_TAKING_STATES)),
        waiting=Count("referrals", filter=Q(referrals__state=ReferralState.WAITING)),
    )


def with_conditions(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    """Everything ``eligibility.check`` reads, prefetched (a fixed number of queries)."""
    return queryset.prefetch_related(
        "municipalities",
        Prefetch(
            "access_paths",
            queryset=AccessPath.objects.prefetch_related("statuses", "target_groups"),
        ),
    )


def offer_queryset_for_user(user: Any) -> QuerySet[Offer]:
    if not can_read_catalogue(user):
        return Offer.objects.none()
    return Offer.objects.filter(traeger_id=user.traeger_id)


@dataclass(frozen=True)
class OfferFilter:
    search: str = ""
    kind: str = ""
    field_of_action_id: int | None = None
    municipality_id: int | None = None
    include_inactive: bool = False


def offer_list_for_user(user: Any, *, filters: OfferFilter) -> QuerySet[Offer]:
    queryset = offer_queryset_for_user(user).select_related("provider", "field_of_action")
    if not filters.include_inactive:
        queryset = queryset.filter(active=True)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.field_of_action_id:
        queryset = queryset.filter(field_of_action_id=filters.field_of_action_id)
    if filters.municipality_id:
        served = Offer.municipalities.through.objects.filter(  # type: ignore[attr-defined]
            municipality_id=filters.municipality_id
        ).values("offer_id")
        everywhere = Offer.municipalities.through.objects.values("offer_id")  # type: ignore[attr-defined]
        queryset = queryset.filter(Q(pk__in=served) | ~Q(pk__in=everywhere))
    needle = filters.search.strip()
    if needle:
        queryset = queryset.filter(
            Q(title__icontains=needle)
            | Q(provider_name__icontains=needle)
            | Q(provider__name__icontains=needle)
            | Q(description__icontains=needle)
        )
    return with_place_counts(with_conditions(queryset))


def offer_page_for_user(
    user: Any, *, filters: OfferFilter, cursor: str | None, size: int = 50
) -> KeysetPage:
    return keyset_page(
        offer_list_for_user(user, filters=filters), order=OFFER_LIST_ORDER, cursor=cursor, size=size
    )


def get_offer_for_user(user: Any, pk: Any, *, edit: bool = False) -> Offer:
    """One offer of the user's Träger; with ``edit`` only for those who maintain the catalogue."""
    if edit and not can_edit_catalogue(user):
        raise not_found()
    try:
        return with_place_counts(
            with_conditions(
                offer_queryset_for_user(user).select_related("provider", "field_of_action")
            )
        ).get(pk=pk)
    except (Offer.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def get_access_path(offer: Offer, pk: Any) -> AccessPath:
    try:
        return AccessPath.objects.get(traeger_id=offer.traeger_id, offer=offer, pk=pk)
    except (AccessPath.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def active_offers_for_referral(user: Any) -> QuerySet[Offer]:
    return offer_queryset_for_user(user).filter(active=True).order_by("title", "id")


# -- referrals ----------------------------------------------------------------------------------


def referral_queryset_for_user(user: Any, action: Action = Action.VIEW) -> QuerySet[Referral]:
    """Referrals of the cases ``user`` may act on (the case policy decides)."""
    if not can(user, action):
        return Referral.objects.none()
    cases = case_queryset_for_user(user, action)
    return Referral.objects.filter(traeger_id=user.traeger_id, case__in=cases.values("pk"))


def get_referral_for_user(user: Any, pk: Any, action: Action = Action.VIEW) -> Referral:
    try:
        return (
            referral_queryset_for_user(user, action)
            .select_related(
                "offer",
                "offer__provider",
                "case",
                "case__person",
                "case__case_manager",
                "person",
                "created_by",
            )
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def referrals_of_case(case: Case) -> list[Referral]:
    return list(
        Referral.objects.filter(traeger_id=case.traeger_id, case=case)
        .select_related("offer", "offer__provider", "person")
        .order_by("-requested_on", "-id")
    )


def referral_events(referral: Referral) -> list[ReferralEvent]:
    return list(
        ReferralEvent.objects.filter(
            traeger_id=referral.traeger_id, referral=referral
        ).select_related("recorded_by")
    )


@dataclass(frozen=True)
class ReferralFilter:
    mine: bool = True
    overdue: bool = False


def overdue_q(today: dt.date) -> Q:
    """Follow-up date passed and the referral still open (not completed, dropped or declined)."""
    return Q(follow_up_on__lt=today, state__in=OPEN_STATES)


def referral_worklist_for_user(
    user: Any, *, filters: ReferralFilter, today: dt.date | None = None
) -> QuerySet[Referral]:
    today = today or timezone.localdate()
    queryset = referral_queryset_for_user(user).select_related(
        "offer", "case", "case__person", "case__case_manager", "person"
    )
    if filters.mine:
        queryset = queryset.filter(case__case_manager=user)
    if filters.overdue:
        queryset = queryset.filter(overdue_q(today))
    else:
        queryset = queryset.filter(state__in=OPEN_STATES)
    return queryset


def with_overdue_first(queryset: QuerySet[Referral], today: dt.date) -> QuerySet[Referral]:
    """Annotate the keys of :data:`WORKLIST_ORDER`: ``overdue_rank`` (0 overdue, 1 not) and
    ``overdue_since`` (the follow-up date of an overdue referral)."""
    overdue = overdue_q(today)
    return queryset.annotate(
        overdue_rank=CaseWhen(
            When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        overdue_since=CaseWhen(
            When(overdue, then=F("follow_up_on")),
            default=Value(_NOT_OVERDUE),
            output_field=DateField(),
        ),
    )


def referral_worklist_page(
    user: Any,
    *,
    filters: ReferralFilter,
    cursor: str | None,
    size: int = 25,
    today: dt.date | None = None,
) -> KeysetPage:
    """Open referrals: the overdue follow-ups first (the longest overdue first), then the
    others, newest first; with the overdue filter only those, by follow-up date."""
    today = today or timezone.localdate()
    queryset = referral_worklist_for_user(user, filters=filters, today=today)
    if filters.overdue:
        order = OVERDUE_ORDER
    else:
        order = WORKLIST_ORDER
        queryset = with_overdue_first(queryset, today)
    return keyset_page(
        queryset,
        order=order,
        cursor=cursor,
        size=size,
    )


def waiting_list(offer: Offer) -> list[Referral]:
    """The offer's waiting list in order (longest waiting first). Only for counting and
    positions: callers show case details only for referrals the user may see."""
    return list(
        Referral.objects.filter(
            traeger_id=offer.traeger_id, offer=offer, state=ReferralState.WAITING
        ).order_by("waiting_since", "id")
    )


def waiting_position(referral: Referral) -> int | None:
    if referral.state != ReferralState.WAITING:
        return None
    ahead = Referral.objects.filter(
        traeger_id=referral.traeger_id, offer_id=referral.offer_id, state=ReferralState.WAITING
    ).filter(
        Q(waiting_since__lt=referral.waiting_since)
        | Q(waiting_since=referral.waiting_since, id__lt=referral.pk)
    )
    return ahead.count() + 1


def occupied_places(offer: Offer) -> int:
    return Referral.objects.filter(
        traeger_id=offer.traeger_id, offer=offer, state__in=PLACE_TAKING_STATES
    ).count()


def open_referrals_relying_on(transfers: list[Transfer]) -> list[Dependent]:
    """Open referrals carried by ``transfers`` (the consent-end flags of ``consent.flags``)."""
    ids = [t.subject_id for t in transfers if t.subject_id is not None]
    rows = Referral.objects.filter(pk__in=ids, state__in=OPEN_STATES).values_list("pk", "case_id")
    return dependents_from(transfers, dict(rows), "referral")
