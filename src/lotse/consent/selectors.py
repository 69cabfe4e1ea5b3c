"""Reading consents and transfers, always scoped through the person's access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from lotse.agreements.texts import DOCUMENT_LANGUAGES, SOURCE
from lotse.consent.gate import in_force
from lotse.consent.models import (
    LDI_NRW,
    Consent,
    InformationNotice,
    PrivacyNoticeSettings,
    Purpose,
    StatutoryBasis,
    Transfer,
)
from lotse.core.access import Action, not_found
from lotse.directory.models import Organisation
from lotse.people.models import Person
from lotse.people.selectors import person_queryset_for_user


def current_consents(person: Person, on: dt.date | dt.datetime | None = None) -> QuerySet[Consent]:
    """Consents of ``person`` that were in force at ``on`` (default: now).

    A consent counts from ``valid_from`` (the day it was given and signed); a withdrawal or a
    newer version ends it from the moment it was recorded. Whether one covers a transfer is the
    gate's question (``consent.gate.check_transfer``).
    """
    return in_force(traeger_id=person.traeger_id, on=on).filter(person=person)


def consent_queryset_for_user(user: Any, action: Action = Action.VIEW) -> QuerySet[Consent]:
    return Consent.objects.filter(person__in=person_queryset_for_user(user, action))


def consents_of(person: Person) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(traeger_id=person.traeger_id, person=person)
        .select_related("recorded_by", "withdrawn_by", "superseded_by", "attested_by")
        .prefetch_related("recipients", "purposes")
        .order_by("-recorded_at", "-id")
    )


def get_consent_for_user(user: Any, pk: Any, action: Action = Action.VIEW) -> Consent:
    try:
        return (
            consent_queryset_for_user(user, action)
            .select_related("person", "recorded_by", "withdrawn_by", "supersedes", "attested_by")
            .prefetch_related("recipients", "purposes")
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
        .select_related("recipient", "consent", "transferred_by", "statutory_basis")
        .order_by("-transferred_at", "-id")
    )


def recipients_for(traeger_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(traeger_id=traeger_id).order_by("name")


def purposes_for(traeger_id: int) -> QuerySet[Purpose]:
    return Purpose.objects.filter(traeger_id=traeger_id).order_by("sort_order", "name")


def statutory_bases_for(traeger_id: int) -> QuerySet[StatutoryBasis]:
    return StatutoryBasis.objects.filter(traeger_id=traeger_id).order_by("sort_order", "citation")


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
    controller_email: str = ""
    controller_phone: str = ""
    dpo_address: str = ""
    dpo_email: str = ""
    dpo_phone: str = ""

    @property
    def dpo_configured(self) -> bool:
        """A DPO with a way to reach them (Art. 13 Abs. 1 lit. b DSGVO)."""
        return bool(
            self.dpo_name
            and (self.dpo_address or self.dpo_email or self.dpo_phone or self.dpo_contact)
        )


def notice_parties(traeger: Any) -> NoticeParties:
    """The Träger's :class:`PrivacyNoticeSettings` (from its configuration file or the admin),
    else its Servicestelle from the directory (``configured`` false, no DPO)."""
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
            controller_email=settings_row.controller_email,
            controller_phone=settings_row.controller_phone,
            dpo_address=settings_row.dpo_address,
            dpo_email=settings_row.dpo_email,
            dpo_phone=settings_row.dpo_phone,
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
