from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.consent import services
from tests.factories import DEFAULT_PURPOSES, OrganisationFactory, PersonFactory, purpose

PURPOSE = "Abstimmung der Vermittlung in einen Sprachkurs und in Arbeit"


@pytest.fixture
def person(traeger, organisation):
    return PersonFactory(traeger=traeger, organisation=organisation)


@pytest.fixture
def jobcenter(traeger):
    return OrganisationFactory(traeger=traeger, key="jobcenter", name="Jobcenter Lippe")


@pytest.fixture
def abh(traeger):
    return OrganisationFactory(traeger=traeger, key="abh", name="Ausländerbehörde")


@pytest.fixture
def make_consent(case_manager, person, jobcenter):
    def make(**fields):
        values = {
            "actor": case_manager,
            "person": person,
            "recipients": [jobcenter],
            "categories": ["identity", "education_work"],
            "purpose": PURPOSE,
            "form": "written",
            "valid_from": timezone.localdate() - dt.timedelta(days=10),
            "text_version": "EW-2026-1",
            "attest_signed_paper": True,
            "purposes": [purpose(person.traeger, key) for key in DEFAULT_PURPOSES],
            **fields,
        }
        return services.consent_record(**values)

    return make


def legal_basis_for(*, person, recipient, categories, on=None, purpose="arbeitsmarktintegration"):
    """The consent the gate finds for a transfer by the person's case team (or None)."""
    from types import SimpleNamespace

    from lotse.consent.gate import check_transfer

    actor = SimpleNamespace(traeger_id=person.traeger_id, organisation_id=person.organisation_id)
    decision = check_transfer(
        actor=actor,
        person=person,
        recipient=recipient,
        categories=categories,
        purpose=purpose,
        on=on,
    )
    return decision.consent
