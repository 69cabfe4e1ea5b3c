from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.conferences.models import OptimisationNeed
from lotse.directory.config import config_load
from lotse.directory.models import Body, FieldOfAction, Goal, Organisation
from lotse.governance.models import Meeting
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE
from tests.factories import UserFactory


@pytest.fixture
def lippe(db) -> Traeger:
    config_load(path=KREIS_LIPPE)
    return Traeger.objects.get(slug="kreis-lippe")


@pytest.fixture
def coordinator(lippe):
    servicestelle = Organisation.objects.filter(traeger=lippe).first()
    return UserFactory(traeger=lippe, organisation=servicestelle, roles=[Role.COORDINATION])


@pytest.fixture
def partner(lippe):
    org = Organisation.objects.filter(traeger=lippe).last()
    return UserFactory(traeger=lippe, organisation=org, roles=[Role.PARTNER])


@pytest.fixture
def ak_arbeit(lippe) -> Body:
    return Body.objects.get(traeger=lippe, key="ak-arbeit")


@pytest.fixture
def steering(lippe) -> Body:
    return Body.objects.get(traeger=lippe, key="steuerungsgremium")


@pytest.fixture
def arbeit_i(lippe) -> Goal:
    return Goal.objects.get(traeger=lippe, key="arbeit-i")


def make_meeting(body: Body, days: int = 7, title: str = "Sitzung") -> Meeting:
    return Meeting.objects.create(
        traeger_id=body.traeger_id,
        body=body,
        title=title,
        starts_at=timezone.now() + dt.timedelta(days=days),
        ical_uid=f"{body.key}-{days}-{title}@test",
    )


@pytest.fixture
def circle_meeting(ak_arbeit) -> Meeting:
    return make_meeting(ak_arbeit, 7, "AK Arbeit, 1. Sitzung")


@pytest.fixture
def steering_meeting(steering) -> Meeting:
    return make_meeting(steering, 0, "Steuerungsgremium, Frühjahr")


@pytest.fixture
def assigned_needs(lippe, ak_arbeit) -> list[OptimisationNeed]:
    field = ak_arbeit.field_of_action or FieldOfAction.objects.filter(traeger=lippe).first()
    return [
        OptimisationNeed.objects.create(
            traeger=lippe,
            field_of_action=field,
            category="fehlende-angebote",
            description=text,
            status=OptimisationNeed.Status.ASSIGNED,
            body=ak_arbeit,
        )
        for text in (
            "Sprachkurse mit Kinderbetreuung fehlen.",
            "Berufsbezogene Sprachkurse starten zu selten.",
        )
    ]
