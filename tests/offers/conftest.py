from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.offers.models import AccessPath, Offer, OfferKind
from lotse.people.models import ResidenceStatusRecord
from tests.api.conftest import client_for  # noqa: E402,F401  (API client fixture)
from tests.factories import (
    MunicipalityFactory,
    ResidenceStatusTypeFactory,
    TargetGroupFactory,
    UserFactory,
)

MAIN_COUNTRIES = ["SY", "IQ", "IR", "ER", "SO"]


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@pytest.fixture
def gestattung(traeger):
    return ResidenceStatusTypeFactory(traeger=traeger, key="aufenthaltsgestattung")


@pytest.fixture
def refugee_status(traeger):
    return ResidenceStatusTypeFactory(traeger=traeger, key="fluechtlingseigenschaft")


@pytest.fixture
def detmold(traeger):
    return MunicipalityFactory(traeger=traeger, key="detmold", name="Detmold")


@pytest.fixture
def coordinator(traeger, organisation):
    return UserFactory(
        username="koordination",
        traeger=traeger,
        organisation=organisation,
        roles=[Role.COORDINATION],
    )


@pytest.fixture
def integration_course(traeger, gestattung, refugee_status):
    """§ 44 AufenthG as the seeds describe it: recognised refugees, or asylum seekers from the
    main countries of origin."""
    offer = Offer.objects.create(
        traeger=traeger,
        key="integrationskurs",
        kind=OfferKind.INTEGRATION_COURSE,
        title="Integrationskurs",
        min_age=16,
        capacity=2,
    )
    recognised = AccessPath.objects.create(
        traeger=traeger, offer=offer, label="Titel", sort_order=1
    )
    recognised.statuses.set([refugee_status])
    procedure = AccessPath.objects.create(
        traeger=traeger,
        offer=offer,
        label="Hauptherkunftsland",
        nationalities=MAIN_COUNTRIES,
        sort_order=2,
    )
    procedure.statuses.set([gestattung])
    return offer


@pytest.fixture
def open_offer(traeger):
    return Offer.objects.create(
        traeger=traeger, key="sprachcafe", kind=OfferKind.LANGUAGE_SUPPORT, title="Sprachcafé"
    )


def give_status(person, status, *, since: dt.date | None = None, until: dt.date | None = None):
    return ResidenceStatusRecord.objects.create(
        traeger_id=person.traeger_id,
        person=person,
        status=status,
        valid_from=since or timezone.localdate() - dt.timedelta(days=30),
        valid_until=until,
    )


__all__ = ["TargetGroupFactory", "give_status", "years_ago"]
