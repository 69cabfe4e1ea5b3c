from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.agreements import services
from lotse.agreements.models import Agreement
from lotse.agreements.services import GoalInput
from tests.factories import FieldOfActionFactory, OrganisationFactory


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def field_of_action(traeger):
    return FieldOfActionFactory(
        traeger=traeger, key="arbeit", name="Arbeit/Ausbildung/Beschäftigung"
    )


@pytest.fixture
def language_field(traeger):
    return FieldOfActionFactory(
        traeger=traeger, key="sprache", name="Deutschsprachförderung für Erwachsene"
    )


@pytest.fixture
def jobcenter(traeger):
    return OrganisationFactory(traeger=traeger, key="jobcenter", name="Jobcenter Lippe")


@pytest.fixture
def agreeable_case(case, today):
    """A case whose client has agreed to participate (needed before agreeing a plan)."""
    case.opened_on = today - dt.timedelta(days=30)
    case.participation_offered_on = today - dt.timedelta(days=28)
    case.participation_agreed_on = today - dt.timedelta(days=21)
    case.save()
    return case


def goal_inputs(field_of_action, language_field, jobcenter, today) -> list[GoalInput]:
    return [
        GoalInput(
            field_of_action=language_field,
            what="Deutschkenntnisse auf Niveau A2 erreichen",
            indicator="Zertifikat Deutsch-Test für Zuwanderer A2 liegt vor",
            responsible="client",
            due_on=today + dt.timedelta(days=300),
            measures="Anmeldung Integrationskurs\nRegelmäßige Teilnahme",
            review_on=today + dt.timedelta(days=90),
        ),
        GoalInput(
            field_of_action=field_of_action,
            what="Beratungsangebot zur Arbeitssuche wahrnehmen",
            indicator="Erstberatung beim Jobcenter hat stattgefunden",
            responsible="organisation",
            responsible_organisation=jobcenter,
            due_on=today + dt.timedelta(days=42),
        ),
    ]


@pytest.fixture
def goals(field_of_action, language_field, jobcenter, today) -> list[GoalInput]:
    return goal_inputs(field_of_action, language_field, jobcenter, today)


@pytest.fixture
def draft(agreeable_case, case_manager, goals) -> Agreement:
    agreement = services.agreement_start(actor=case_manager, case=agreeable_case)
    return services.agreement_update_draft(
        actor=case_manager,
        agreement=agreement,
        expected_version=agreement.version,
        goals=goals,
        language="ar",
        notes="Termin mit Dolmetscherin vereinbaren",
    )


@pytest.fixture
def agreed(draft, case_manager, today) -> Agreement:
    return services.agreement_agree(
        actor=case_manager,
        agreement=draft,
        expected_version=draft.version,
        agreed_on=today,
        signed_by_client=True,
    )
