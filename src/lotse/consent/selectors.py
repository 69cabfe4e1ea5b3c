"""Reading consents and transfers, always scoped through the person's access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lotse.agreements.texts import DOCUMENT_LANGUAGES, SOURCE
from lotse.consent.models import (
    LDI_NRW,
    Consent,
    InformationNotice,
    PrivacyNoticeSettings,
    Transfer,
)
from lotse.core.access import Action, not_found
from lotse.directory.models import Organisation
from lotse.people.models import Person
from lotse.people.selectors import person_queryset_for_user


def _moment(on: dt.date | dt.datetime | None) -> dt.datetime:
    if on is None:
        return timezone.now()
    if isinstance(on, dt.datetime):
        return on
    # A date stands for its end: a consent withdrawn that day no longer covers it.
    end = dt.datetime.combine(on, dt.time.max)
    return timezone.make_aware(end) if timezone.is_naive(end) else end


def current_consents(person: Person, on: dt.date | dt.datetime | None = None) -> QuerySet[Consent]:
    """Consents of ``person`` that were in force at ``on`` (default: now).

    A consent counts from ``valid_from`` (the day it was given and signed); a withdrawal or a
    newer version ends it from the moment it was recorded.
    """
    moment = _moment(on)
    day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return (
        Consent.objects.filter(traeger_id=person.traeger_id, person=person, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=moment))
        .filter(Q(superseded_by__isnull=True) | Q(superseded_by__recorded_at__gt=moment))
    )


def legal_basis_for(
    *,
    person: Person,
    recipient: Organisation,
    categories: Iterable[str],
    purpose: str | None = None,
    on: dt.date | dt.datetime | None = None,
) -> Consent | None:
    """The consent that allows passing ``categories`` of ``person`` to ``recipient`` at ``on``.

    It must be in force (not withdrawn, valid on the date, not superseded), name the recipient
    and cover every category. ``purpose``, when given, must be part of the consent's purpose.
    """
    wanted = set(categories)
    if not wanted or recipient.traeger_id != person.traeger_id:
        return None
    candidates = current_consents(person, on).filter(recipients=recipient)
    if purpose:
        candidates = candidates.filter(purpose__icontains=purpose.strip())
    for consent in candidates.order_by("-valid_from", "-id"):
        if wanted <= set(consent.categories):
            return consent
    return None


def consent_queryset_for_user(user: Any, action: Action = Action.VIEW) -> QuerySet[Consent]:
    return Consent.objects.filter(person__in=person_queryset_for_user(user, action))


def consents_of(person: Person) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(traeger_id=person.traeger_id, person=person)
        .select_related("recorded_by", "withdrawn_by", "superseded_by")
        .prefetch_related("recipients")
        .order_by("-recorded_at", "-id")
    )


def get_consent_for_user(user: Any, pk: Any, action: Action = Action.VIEW) -> Consent:
    try:
        return (
            consent_queryset_for_user(user, action)
            .select_related("person", "recorded_by", "withdrawn_by", "supersedes")
            .prefetch_related("recipients")
            .get(pk=pk)
        )
    except (Consent.DoesNotExist, ValueError, TypeError):
        raise not_found() from None


def consent_versions(consent: Consent) -> list[Consent]:
    """Every version of the chain ``consent`` belongs to, newest first."""
    newest = consent
    while newest.is_superseded:
        newest = newest.superseded_by
    chain = [newest]
    previous = newest.supersedes
    while previous is not None:
        chain.append(previous)
        previous = previous.supersedes
    return chain


def transfers_of(person: Person) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(traeger_id=person.traeger_id, person=person)
        .select_related("recipient", "consent", "transferred_by")
        .order_by("-transferred_at", "-id")
    )


def recipients_for(traeger_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(traeger_id=traeger_id).order_by("name")


def form_language_codes() -> list[str]:
    """The languages of the consent form and the information sheet: those of the agreement."""
    return [SOURCE.code, *DOCUMENT_LANGUAGES]


def notices_of(person: Person) -> QuerySet[InformationNotice]:
    return (
        InformationNotice.objects.filter(traeger_id=person.traeger_id, person=person)
        .select_related("recorded_by")
        .order_by("-handed_out_on", "-id")
    )


@dataclass(frozen=True)
class NoticeParties:
    """Who the information sheet names; ``configured`` is false while the fallback is used."""

    controller_name: str
    controller_address: str
    controller_contact: str
    dpo_name: str
    dpo_contact: str
    supervisory_authority: str
    retention_years: int
    configured: bool


def notice_parties(traeger: Any) -> NoticeParties:
    """The Träger's :class:`PrivacyNoticeSettings`, else its Servicestelle from the directory."""
    settings_row = PrivacyNoticeSettings.objects.filter(traeger_id=traeger.pk).first()
    if settings_row is not None:
        return NoticeParties(
            controller_name=settings_row.controller_name,
            controller_address=settings_row.controller_address,
            controller_contact=settings_row.controller_contact,
            dpo_name=settings_row.dpo_name,
            dpo_contact=settings_row.dpo_contact,
            supervisory_authority=settings_row.supervisory_authority,
            retention_years=settings_row.retention_years,
            configured=True,
        )
    office = (
        Organisation.objects.filter(traeger_id=traeger.pk, kind=Organisation.Kind.SERVICE_CENTRE)
        .order_by("name")
        .first()
    )
    contact = ", ".join(part for part in (office.phone, office.email) if part) if office else ""
    return NoticeParties(
        controller_name=traeger.name,
        controller_address=office.address if office else "",
        controller_contact=contact,
        dpo_name="",
        dpo_contact="",
        supervisory_authority=LDI_NRW if traeger.state == "NW" else "",
        retention_years=3,
        configured=False,
    )
