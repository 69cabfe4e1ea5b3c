"""Deadlines met by referrals (issue 10, "Deadlines follow the work").

* A referral to job or qualification counselling (offer kinds counselling, recognition,
  coaching, work) meets ``beratungsangebot-arbeit`` (Arbeit I) on the day it was requested —
  the goal asks for a counselling *offer* within six weeks; only goals of the offer's field of
  action (or of no field) are met, so a language counselling does not meet Arbeit I.
* A school referral accepted or started (the enrolment) meets ``schulbesuch`` (Schule I).
* A Kita referral accepted (a place offered) or started meets ``betreuungsangebot`` (Kita III).

Each concerns the one person referred (never the household); the evidence links the referral.
Called inside the referral services' transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.deadlines.services import Milestone, milestone_reached
from lotse.offers.models import OfferKind, Referral, ReferralState

#: Offer kinds whose referral counts as a job or qualification counselling offer.
WORK_COUNSELLING_KINDS = frozenset(
    {OfferKind.COUNSELLING, OfferKind.RECOGNITION, OfferKind.COACHING, OfferKind.WORK}
)

_TAKEN = (ReferralState.ACCEPTED, ReferralState.STARTED)


def _event(referral: Referral) -> tuple[str, dt.date] | None:
    """The milestone this referral reaches in its current state, with the day, or None."""
    kind = referral.offer.kind
    if kind in WORK_COUNSELLING_KINDS and referral.state != ReferralState.DECLINED:
        return Milestone.WORK_COUNSELLING, referral.requested_on
    if kind in (OfferKind.SCHOOL, OfferKind.KITA) and referral.state in _TAKEN:
        day = referral.accepted_on or referral.started_on or referral.requested_on
        milestone = (
            Milestone.SCHOOL_ENROLMENT if kind == OfferKind.SCHOOL else Milestone.CHILDCARE_OFFER
        )
        return milestone, day
    return None


def referral_milestones(*, actor: Any, referral: Referral, request: Any = None) -> None:
    event = _event(referral)
    if event is None:
        return
    milestone, day = event
    evidence = _("Referral to “%(offer)s” (%(state)s) on %(date)s") % {
        "offer": referral.offer.title,
        "state": referral.get_state_display(),
        "date": day.strftime("%d.%m.%Y"),
    }
    milestone_reached(
        actor=actor,
        person=referral.person,
        milestone=milestone,
        on=day,
        evidence=evidence,
        evidence_url=reverse("offers:referral", kwargs={"pk": referral.pk}),
        household=False,
        field_of_action=referral.offer.field_of_action
        if milestone == Milestone.WORK_COUNSELLING
        else None,
        request=request,
    )
