from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.assignments.models import Task
from lotse.consent.models import Consent
from tests.api.conftest import client_for  # noqa: F401  (API client fixture)
from tests.factories import OrganisationFactory, UserFactory
from tests.factories import grant_consent as grant


@pytest.fixture
def jobcenter(traeger):
    return OrganisationFactory(traeger=traeger, key="jobcenter-lippe", name="Jobcenter Lippe")


@pytest.fixture
def partner(traeger, jobcenter):
    return UserFactory(
        username="jobcenter", traeger=traeger, organisation=jobcenter, roles=[Role.PARTNER]
    )


@pytest.fixture
def other_partner(traeger):
    return UserFactory(
        traeger=traeger, organisation=OrganisationFactory(traeger=traeger), roles=[Role.PARTNER]
    )


def make_task(case, **fields) -> Task:
    fields.setdefault("title", "Beratungstermin vergeben")
    fields.setdefault("due_on", timezone.localdate() + dt.timedelta(days=7))
    return Task.objects.create(traeger_id=case.traeger_id, case=case, **fields)


@pytest.fixture
def consented(case, jobcenter) -> Consent:
    """The case's person consented to passing identity and education/work to the Jobcenter."""
    return grant(case.person, jobcenter)
