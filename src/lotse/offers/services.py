"""Writing offers and referrals. One transaction per service, audit entry inside it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lotse.audit.services import audit_log
from lotse.cases.models import Case, Phase
from lotse.cases.selectors import household_member_of_case
from lotse.consent.gate import pass_transfer
from lotse.consent.models import Category, Flow
from lotse.core import dates
from lotse.core.access import Action, require
from lotse.core.locking import save_versioned
from lotse.directory.models import Municipality, ResidenceStatusType, TargetGroup
from lotse.offers import eligibility, milestones, transitions
from lotse.offers.access import require_catalogue_editor
from lotse.offers.models import (
    PLACE_TAKING_STATES,
    AccessPath,
    Offer,
    Referral,
    ReferralEvent,
    ReferralState,
)
from lotse.offers.selectors import occupied_places, with_conditions
from lotse.people.models import Person

OFFER_FIELDS = [
    "kind",
    "title",
    "provider",
    "provider_name",
    "field_of_action",
    "description",
    "schedule",
    "next_start_on",
    "location",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "capacity",
    "min_age",
    "max_age",
    "active",
]

#: The configured purpose (``purposes:`` of the region file) a referral to an offer serves.
REFERRAL_PURPOSE = "zusteuerung-angebote"

_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _not_ours() -> str:
    # de: Dieser Eintrag gehört nicht zu Ihrem Träger.
    return _("This entry does not belong to your Träger.")


def _check_age_range(min_age: int | None, max_age: int | None) -> dict[str, str]:
    if min_age is not None and max_age is not None and max_age < min_age:
        # de: Das Höchstalter liegt unter dem Mindestalter.
        return {"max_age": _("The maximum age is below the minimum age.")}
    return {}


def _validate_offer(offer: Offer, municipalities: Iterable[Municipality]) -> None:
    errors: dict[str, str] = {}
    for name in ("provider", "field_of_action"):
        obj = getattr(offer, name, None)
        if obj is not None and obj.traeger_id != offer.traeger_id:
            errors[name] = _not_ours()
    if any(m.traeger_id != offer.traeger_id for m in municipalities):
        errors["municipalities"] = _not_ours()
    if not offer.title.strip():
        # de: Bitte geben Sie einen Titel an.
        errors["title"] = _("Please enter a title.")
    if offer.kind not in dict(Offer._meta.get_field("kind").choices or []):
        # de: Unbekannte Art.
        errors["kind"] = _("Unknown kind.")
    errors.update(_check_age_range(offer.min_age, offer.max_age))
    if errors:
        raise ValidationError(errors)


def _unique_key(traeger_id: int, title: str) -> str:
    base = slugify(title)[:90] or "angebot"
    key, number = base, 2
    while Offer.objects.filter(traeger_id=traeger_id, key=key).exists():
        key, number = f"{base}-{number}", number + 1
    return key


@transaction.atomic
def offer_create(
    *,
    actor: Any,
    municipalities: Iterable[Municipality] = (),
    key: str = "",
    request: Any = None,
    **fields: Any,
) -> Offer:
    require_catalogue_editor(actor)
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")
    municipalities = list(municipalities)
    offer = Offer(traeger_id=actor.traeger_id, **fields)
    _validate_offer(offer, municipalities)
    offer.key = key or _unique_key(actor.traeger_id, offer.title)
    offer.save()
    offer.municipalities.set(municipalities)
    audit_log(user=actor, action="create", object_type="offer", object_id=offer.pk, request=request)
    return offer


@transaction.atomic
def offer_update(
    *,
    actor: Any,
    offer: Offer,
    expected_version: int,
    municipalities: Iterable[Municipality] | None = None,
    request: Any = None,
    **fields: Any,
) -> Offer:
    require_catalogue_editor(actor)
    if offer.traeger_id != actor.traeger_id:
        raise ValidationError(_not_ours())
    changed = []
    for name in OFFER_FIELDS:
        if name in fields and getattr(offer, name) != fields[name]:
            setattr(offer, name, fields[name])
            changed.append(name)
    new_municipalities = list(municipalities) if municipalities is not None else None
    _validate_offer(offer, new_municipalities or [])
    save_versioned(offer, expected_version=expected_version, fields=OFFER_FIELDS)
    if new_municipalities is not None:
        offer.municipalities.set(new_municipalities)
        changed.append("municipalities")
    audit_log(
        user=actor,
        action="update",
        object_type="offer",
        object_id=offer.pk,
        request=request,
        detail=",".join(changed),
    )
    return offer


def normalise_nationalities(values: Iterable[str]) -> list[str]:
    codes = sorted({str(value).strip().upper() for value in values if str(value).strip()})
    bad = [code for code in codes if not _COUNTRY.match(code)]
    if bad:
        raise ValidationError(
            {
                # de: Bitte zweistellige Ländercodes nach ISO 3166 angeben (z. B. SY, IQ): {codes}
                "nationalities": _(
                    "Please use two-letter ISO 3166 country codes (e.g. SY, IQ): {codes}"
                ).format(codes=", ".join(bad))
            }
        )
    return codes


@transaction.atomic
def access_path_add(
    *,
    actor: Any,
    offer: Offer,
    label: str,
    statuses: Iterable[ResidenceStatusType] = (),
    target_groups: Iterable[TargetGroup] = (),
    nationalities: Iterable[str] = (),
    min_age: int | None = None,
    max_age: int | None = None,
    note: str = "",
    request: Any = None,
) -> AccessPath:
    require_catalogue_editor(actor)
    statuses, target_groups = list(statuses), list(target_groups)
    errors: dict[str, str] = {}
    if offer.traeger_id != actor.traeger_id:
        errors["offer"] = _not_ours()
    if any(s.traeger_id != offer.traeger_id for s in statuses):
        errors["statuses"] = _not_ours()
    if any(g.traeger_id != offer.traeger_id for g in target_groups):
        errors["target_groups"] = _not_ours()
    if not label.strip():
        # de: Bitte geben Sie eine Bezeichnung an.
        errors["label"] = _("Please enter a label.")
    errors.update(_check_age_range(min_age, max_age))
    if errors:
        raise ValidationError(errors)
    codes = normalise_nationalities(nationalities)
    last = offer.access_paths.order_by("-sort_order").values_list("sort_order", flat=True).first()
    path = AccessPath.objects.create(
        traeger_id=offer.traeger_id,
        offer=offer,
        label=label.strip(),
        nationalities=codes,
        min_age=min_age,
        max_age=max_age,
        note=note,
        sort_order=(last or 0) + 1,
    )
    path.statuses.set(statuses)
    path.target_groups.set(target_groups)
    audit_log(
        user=actor,
        action="update",
        object_type="offer",
        object_id=offer.pk,
        request=request,
        detail=f"access_path:add:{path.pk}",
    )
    return path


@transaction.atomic
def access_path_delete(*, actor: Any, path: AccessPath, request: Any = None) -> None:
    require_catalogue_editor(actor)
    if path.traeger_id != actor.traeger_id:
        raise ValidationError(_not_ours())
    offer_id, path_id = path.offer_id, path.pk
    path.delete()
    audit_log(
        user=actor,
        action="update",
        object_type="offer",
        object_id=offer_id,
        request=request,
        detail=f"access_path:delete:{path_id}",
    )


# -- referrals ----------------------------------------------------------------------------------


def _refuse_closed(case: Case) -> None:
    if case.phase == Phase.CLOSED:
        # de: Der Fall ist abgeschlossen und kann nicht mehr geändert werden.
        raise ValidationError(_("The case is closed and can no longer be changed."))


def _check_date(name: str, value: dt.date, *, not_before: dt.date | None = None) -> None:
    if value > timezone.localdate():
        # de: Das Datum liegt in der Zukunft.
        raise ValidationError({name: _("The date lies in the future.")})
    if not_before is not None and value < not_before:
        # de: Das Datum liegt vor dem vorigen Schritt ({date}).
        raise ValidationError(
            {
                name: _("The date lies before the previous step ({date}).").format(
                    date=not_before.strftime("%d.%m.%Y")
                )
            }
        )


def check_eligibility(
    *, case: Case, offer: Offer, on: dt.date | None = None, person: Person | None = None
) -> eligibility.Eligibility:
    """The eligibility of ``person`` (default the case's person) for ``offer`` on ``on``
    (default today): a child referred from a parent's case is checked by the child's age."""
    day = on or timezone.localdate()
    if not hasattr(offer, "_prefetched_objects_cache"):
        offer = with_conditions(Offer.objects.filter(pk=offer.pk)).get()
    return eligibility.check(offer, eligibility.client_facts(person or case.person, day))


def _referred_person(case: Case, person: Person | None) -> Person:
    """The person a referral from ``case`` is for: the case's person or a household member."""
    if person is None or person.pk == case.person_id:
        return case.person
    if household_member_of_case(case, person.pk) is None:
        raise ValidationError(
            {
                # de: Diese Person gehört nicht zum Haushalt der Person des Falls.
                "person": _("This person does not belong to the household of the case's person.")
            }
        )
    return person


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    case: Case,
    offer: Offer,
    person: Person | None = None,
    requested_on: dt.date | None = None,
    follow_up_on: dt.date | None = None,
    note: str = "",
    override_reason: str = "",
    shared_categories: list[str] | None = None,
    request: Any = None,
) -> Referral:
    """Steer ``person`` (default the case's person, or a member of the household: a case covers
    the household) into ``offer``.

    When the offer's provider is an organisation outside the case team, the referral passes the
    chosen data categories (default: identity) of the referred person to it: through the gate
    (``consent.gate``) with the purpose ``zusteuerung-angebote`` — a consent in force for that
    person must name the provider — and
    journaled with the flow ``referral``. An offer without a listed provider organisation passes
    nothing through Lotse.

    The eligibility rules are checked on the request date. A client who does not meet them can
    still be referred — providers admit exceptions — but only with a reason, which is stored
    together with the conditions that failed (accountability, Art. 5 (2) GDPR).
    """
    require(actor, Action.CHANGE)
    _refuse_closed(case)
    if case.traeger_id != actor.traeger_id or offer.traeger_id != case.traeger_id:
        raise ValidationError({"offer": _not_ours()})
    if not offer.active:
        # de: Dieses Angebot ist nicht mehr aktiv.
        raise ValidationError({"offer": _("This offer is no longer active.")})
    person = _referred_person(case, person)
    requested_on = requested_on or timezone.localdate()
    _check_date("requested_on", requested_on)
    dates.raise_problems({"follow_up_on": dates.due_date_problem(follow_up_on)})
    if follow_up_on is not None and follow_up_on < requested_on:
        # de: Die Wiedervorlage liegt vor der Anfrage.
        raise ValidationError({"follow_up_on": _("The follow-up lies before the request.")})
    duplicate = Referral.objects.filter(
        traeger_id=case.traeger_id,
        case=case,
        person=person,
        offer=offer,
        state__in=[
            ReferralState.REQUESTED,
            ReferralState.ACCEPTED,
            ReferralState.WAITING,
            ReferralState.STARTED,
        ],
    ).exists()
    if duplicate:
        # de: Für dieses Angebot gibt es bereits eine offene Zusteuerung.
        raise ValidationError({"offer": _("There is already an open referral to this offer.")})
    result = check_eligibility(case=case, offer=offer, on=requested_on, person=person)
    override_reason = override_reason.strip()
    if not result.eligible and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    # de: Die Voraussetzungen sind nicht erfüllt. Eine Zusteuerung ist nur mit
                    # de: Begründung möglich.
                    "The client does not meet the conditions of this offer. A referral is only "
                    "possible with a reason."
                )
            }
        )
    referral = Referral.objects.create(
        traeger_id=case.traeger_id,
        case=case,
        person=person,
        offer=offer,
        state=ReferralState.REQUESTED,
        requested_on=requested_on,
        follow_up_on=follow_up_on,
        note=note,
        eligibility_failures=[f.as_dict() for f in result.failures],
        override_reason=override_reason if not result.eligible else "",
        created_by=actor,
    )
    provider = offer.provider
    if provider is not None and provider.pk != case.organisation_id:
        shared = list(shared_categories) if shared_categories else [Category.IDENTITY]
        transfer = pass_transfer(
            actor=actor,
            person=person,
            recipient=provider,
            categories=shared,
            purpose=REFERRAL_PURPOSE,
            flow=Flow.REFERRAL,
            subject=referral,
            # de: Zusteuerung in „%(offer)s“
            description=_("Referral to “%(offer)s”") % {"offer": offer.title},
            field_name="shared_categories",
            request=request,
        )
        Referral.objects.filter(pk=referral.pk).update(
            transfer=transfer, shared_categories=transfer.categories
        )
        referral.transfer = transfer
        referral.shared_categories = transfer.categories
    ReferralEvent.objects.create(
        traeger_id=case.traeger_id,
        referral=referral,
        from_state="",
        to_state=ReferralState.REQUESTED,
        occurred_on=requested_on,
        note=referral.override_reason,
        recorded_by=actor,
    )
    audit_log(
        user=actor,
        action="create",
        object_type="referral",
        object_id=referral.pk,
        person_id=person.pk,
        categories=["case"],
        request=request,
        detail=f"offer:{offer.pk}" + (":override" if referral.override_reason else ""),
    )
    milestones.referral_milestones(actor=actor, referral=referral, request=request)
    return referral


@transaction.atomic
def referral_transition(
    *,
    actor: Any,
    referral: Referral,
    to_state: str,
    expected_version: int,
    on: dt.date | None = None,
    note: str = "",
    feedback: str | None = None,
    follow_up_on: dt.date | None = None,
    request: Any = None,
) -> Referral:
    """Move the referral along the state machine (``offers.transitions``).

    Accepting is checked against the offer's places: when all places are taken (accepted or
    started referrals), the referral goes on the waiting list instead. The offer row is locked
    for the check, so two acceptances cannot both take the last place.
    """
    require(actor, Action.CHANGE)
    case = referral.case
    _refuse_closed(case)
    if not transitions.is_allowed(referral.state, to_state):
        raise ValidationError(
            # de: Dieser Statuswechsel ist nicht möglich.
            {"to_state": _("This change of status is not allowed.")}
        )
    day = on or timezone.localdate()
    previous = [
        d
        for d in (
            referral.requested_on,
            referral.accepted_on,
            referral.waiting_since,
            referral.started_on,
        )
        if d is not None
    ]
    _check_date("on", day, not_before=max(previous) if previous else None)
    if to_state == ReferralState.ACCEPTED:
        offer = Offer.objects.select_for_update().get(pk=referral.offer_id)
        if offer.capacity is not None and occupied_places(offer) >= offer.capacity:
            if referral.state == ReferralState.WAITING:
                raise ValidationError(
                    {
                        # de: Alle Plätze sind belegt; die Zusteuerung bleibt auf der Warteliste.
                        "to_state": _(
                            "All places are taken; the referral stays on the waiting list."
                        )
                    }
                )
            to_state = ReferralState.WAITING
    from_state = referral.state
    referral.state = to_state
    fields = ["state"]
    date_field = transitions.DATE_FIELD[to_state]
    setattr(referral, date_field, day)
    fields.append(date_field)
    if feedback is not None:
        referral.feedback = feedback
        fields.append("feedback")
    if follow_up_on is not None:
        dates.raise_problems({"follow_up_on": dates.due_date_problem(follow_up_on)})
        referral.follow_up_on = follow_up_on
        fields.append("follow_up_on")
    save_versioned(referral, expected_version=expected_version, fields=fields)
    ReferralEvent.objects.create(
        traeger_id=referral.traeger_id,
        referral=referral,
        from_state=from_state,
        to_state=to_state,
        occurred_on=day,
        note=note,
        recorded_by=actor,
    )
    audit_log(
        user=actor,
        action="update",
        object_type="referral",
        object_id=referral.pk,
        person_id=referral.person_id,
        categories=["case"],
        request=request,
        detail=f"state:{from_state}->{to_state}",
    )
    milestones.referral_milestones(actor=actor, referral=referral, request=request)
    return referral


@transaction.atomic
def referral_update(
    *,
    actor: Any,
    referral: Referral,
    expected_version: int,
    follow_up_on: dt.date | None,
    feedback: str,
    request: Any = None,
) -> Referral:
    """Set the follow-up date (Wiedervorlage) and the provider's feedback."""
    require(actor, Action.CHANGE)
    _refuse_closed(referral.case)
    dates.raise_problems({"follow_up_on": dates.due_date_problem(follow_up_on)})
    if follow_up_on is not None and follow_up_on < referral.requested_on:
        raise ValidationError({"follow_up_on": _("The follow-up lies before the request.")})
    referral.follow_up_on = follow_up_on
    referral.feedback = feedback
    save_versioned(referral, expected_version=expected_version, fields=["follow_up_on", "feedback"])
    audit_log(
        user=actor,
        action="update",
        object_type="referral",
        object_id=referral.pk,
        person_id=referral.person_id,
        categories=["case"],
        request=request,
        detail="follow_up,feedback",
    )
    return referral


__all__ = [
    "PLACE_TAKING_STATES",
    "access_path_add",
    "access_path_delete",
    "check_eligibility",
    "offer_create",
    "offer_update",
    "referral_create",
    "referral_transition",
    "referral_update",
]
