from __future__ import annotations

import pytest

from lotse.accounts.models import Role
from lotse.cases.models import Phase
from lotse.conferences.models import ConferenceSettings
from lotse.directory.models import Organisation
from tests.factories import (
    FieldOfActionFactory,
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
    purpose,
)

AGENDA = [
    {"key": "begruessung", "title": "Begrüßung und Formalien", "min_minutes": 5, "max_minutes": 5},
    {"key": "vorstellung", "title": "Vorstellungsrunde", "min_minutes": 10, "max_minutes": 15},
    {"key": "fall", "title": "Fallvorstellung", "min_minutes": 15, "max_minutes": 30},
    {"key": "rekonstruktion", "title": "Fallrekonstruktion", "min_minutes": 15, "max_minutes": 30},
    {"key": "absprachen", "title": "Verbindliche Absprachen", "min_minutes": 10, "max_minutes": 20},
    {"key": "feedback", "title": "Feedback", "min_minutes": 5, "max_minutes": 5},
]


@pytest.fixture
def conference_settings(traeger):
    return ConferenceSettings.objects.create(
        traeger=traeger,
        initiating_kinds=["municipality"],
        initiating_organisations=["jobcenter-lippe", "jugendamt"],
        agenda=AGENDA,
        barrier_categories=[
            {"key": "sprachbarrieren", "name": "Sprachbarrieren"},
            {"key": "fehlende-angebote", "name": "Fehlende Angebote"},
        ],
    )


@pytest.fixture
def detmold(traeger):
    return MunicipalityFactory(traeger=traeger, key="detmold", name="Detmold")


@pytest.fixture
def lemgo(traeger):
    return MunicipalityFactory(traeger=traeger, key="lemgo", name="Lemgo")


@pytest.fixture
def jobcenter(traeger):
    return OrganisationFactory(
        traeger=traeger, key="jobcenter-lippe", name="Jobcenter Lippe", kind="authority"
    )


@pytest.fixture
def jugendamt(traeger):
    return OrganisationFactory(
        traeger=traeger, key="jugendamt", name="Jugendamt Kreis Lippe", kind="authority"
    )


@pytest.fixture
def abh(traeger, lemgo):
    return OrganisationFactory(
        traeger=traeger,
        key="abh",
        name="Ausländerbehörde",
        kind=Organisation.Kind.IMMIGRATION_OFFICE,
        municipality=lemgo,
    )


@pytest.fixture
def provider(traeger):
    return OrganisationFactory(traeger=traeger, key="traeger-kurs", kind="provider")


@pytest.fixture
def servicestelle(traeger):
    return OrganisationFactory(traeger=traeger, key="servicestelle-em", kind="service_centre")


@pytest.fixture
def coordinator(traeger, servicestelle):
    return UserFactory(traeger=traeger, organisation=servicestelle, roles=[Role.COORDINATION])


@pytest.fixture
def topic(traeger):
    return FieldOfActionFactory(traeger=traeger)


@pytest.fixture
def assessed_case(case, detmold):
    case.phase = Phase.SERVICE_PLANNING
    case.save(update_fields=["phase"])
    case.person.municipality = detmold
    case.person.save(update_fields=["municipality"])
    purpose(case.traeger, "fallkonferenz", "Fallkonferenz")
    return case
