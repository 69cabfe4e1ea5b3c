from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from lotse.accounts.models import Role
from tests.factories import (
    CaseFactory,
    MunicipalityFactory,
    PersonFactory,
    ProgrammeFactory,
    ResidenceStatusTypeFactory,
    UserFactory,
)
from tests.tokens import bearer_for

ClientFor = Callable[..., APIClient]


@pytest.fixture(params=["token", "session"])
def client_for(request: pytest.FixtureRequest, db: None) -> ClientFor:
    """An API client logged in as ``user``, once by token and once by session."""

    def make(user: object) -> APIClient:
        client = APIClient()
        if request.param == "token":
            client.credentials(HTTP_AUTHORIZATION=bearer_for(user))
        else:
            client.force_login(user)  # type: ignore[arg-type]
        return client

    return make


@pytest.fixture
def api(client_for: ClientFor, case_manager: object) -> APIClient:
    return client_for(case_manager)


@pytest.fixture
def municipality(traeger):
    return MunicipalityFactory(traeger=traeger, name="Detmold")


@pytest.fixture
def programme(traeger):
    return ProgrammeFactory(traeger=traeger)


@pytest.fixture
def status_type(traeger):
    return ResidenceStatusTypeFactory(traeger=traeger, name="Aufenthaltserlaubnis")


@pytest.fixture
def person(traeger, organisation, municipality):
    return PersonFactory(
        traeger=traeger, organisation=organisation, last_name="Haddad", municipality=municipality
    )


@pytest.fixture
def agreed_case(traeger, organisation, case_manager, person, programme):
    return CaseFactory(
        traeger=traeger,
        organisation=organisation,
        case_manager=case_manager,
        person=person,
        programme=programme,
        participation_offered_on=dt.date(2026, 10, 1),
        participation_agreed_on=dt.date(2026, 10, 8),
    )


@pytest.fixture
def other_team_manager(traeger):
    """A case manager of another organisation of the same Träger."""
    return UserFactory(traeger=traeger, roles=[Role.CASE_MANAGEMENT])
