from __future__ import annotations

import pytest

from lotse.directory.models import InterviewGuide
from tests.factories import FieldOfActionFactory, OrganisationFactory

GUIDE_SECTIONS = [
    {
        "key": "rahmen",
        "title": "Einstieg und Rahmen",
        "questions": [
            {
                "key": "freiwilligkeit",
                "text": "Wurde die Freiwilligkeit erklärt?",
                "answer_type": "yes_no",
                "required": True,
            },
            {"key": "sprache", "text": "In welcher Sprache?", "answer_type": "text"},
        ],
    },
    {
        "key": "lebenssituation",
        "title": "Lebenssituation",
        "questions": [
            {"key": "anmeldung", "text": "Seit wann gemeldet?", "answer_type": "date"},
            {"key": "kinder", "text": "Wie viele Kinder?", "answer_type": "number"},
            {
                "key": "deutsch",
                "text": "Wie gut sprechen Sie Deutsch?",
                "answer_type": "choice",
                "options": ["keine Kenntnisse", "A1", "A2"],
                "required": True,
            },
            {"key": "wohnen", "text": "Wie wohnen Sie?", "answer_type": "long_text"},
        ],
    },
]


@pytest.fixture
def guide(traeger):
    return InterviewGuide.objects.create(
        traeger=traeger,
        key="erstgespraech",
        name="Leitfaden Erstgespräch",
        guide_version="1.0",
        sections=GUIDE_SECTIONS,
    )


@pytest.fixture
def work_field(traeger):
    return FieldOfActionFactory(traeger=traeger, key="arbeit", name="Arbeit", sort_order=1)


@pytest.fixture
def language_field(traeger):
    return FieldOfActionFactory(traeger=traeger, key="sprache", name="Sprache", sort_order=2)


@pytest.fixture
def ki(traeger):
    return OrganisationFactory(traeger=traeger, key="ki", name="Kommunales Integrationszentrum")


@pytest.fixture
def jobcenter(traeger):
    return OrganisationFactory(traeger=traeger, key="jobcenter", name="Jobcenter Lippe")


def complete_answers() -> dict:
    return {
        "rahmen": {"freiwilligkeit": True, "sprache": "Arabisch"},
        "lebenssituation": {"anmeldung": "2026-09-01", "kinder": 2, "deutsch": "A1"},
    }
