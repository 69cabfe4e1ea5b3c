from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lotse.accounts.models import Role
from lotse.directory.models import ContactPerson, Organisation
from tests.factories import MunicipalityFactory, OrganisationFactory, TraegerFactory, UserFactory


@pytest.fixture
def media(tmp_path, settings) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def region(db, media) -> Any:
    traeger = TraegerFactory(slug="kreis-test", name="Kreis Test")
    other = TraegerFactory(slug="kreis-anders", name="Kreis Anders")
    servicestelle = OrganisationFactory(
        traeger=traeger, key="servicestelle", name="Servicestelle", kind="service_centre"
    )
    detmold = MunicipalityFactory(traeger=traeger, key="detmold", name="Detmold")
    jobcenter = Organisation.objects.create(
        traeger=traeger,
        key="jobcenter",
        name="Jobcenter Lippe",
        kind=Organisation.Kind.AUTHORITY,
        municipality=detmold,
        address="Wittekindstraße 2\n32758 Detmold",
        phone="05231 1234",
        email="info@jobcenter.example",
        website="https://jobcenter.example",
    )
    ContactPerson.objects.create(
        traeger=traeger,
        organisation=jobcenter,
        key="meier",
        name="Käthe Meier-Özdemir",
        function="Teamleitung Integration, Markt & Soziales",
        email="k.meier@jobcenter.example",
        phone="05231 1235",
    )
    coordinator = UserFactory(
        traeger=traeger, organisation=servicestelle, roles=[Role.COORDINATION]
    )
    partner = UserFactory(traeger=traeger, organisation=jobcenter, roles=[Role.PARTNER])
    outsider = UserFactory(traeger=other, roles=[Role.CASE_MANAGEMENT])

    class Region:
        pass

    r = Region()
    r.traeger, r.other = traeger, other
    r.servicestelle, r.jobcenter, r.detmold = servicestelle, jobcenter, detmold
    r.coordinator, r.partner, r.outsider = coordinator, partner, outsider
    return r


def client_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def write_config(tmp_path):
    def write(text: str, name: str = "test-config.yaml") -> Any:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
