"""Purposes, statutory bases and the kinds of immigration offices in the region file (issue 9)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from lotse.consent.models import Consent, Purpose, StatutoryBasis
from lotse.directory.config import ConfigError, config_load
from lotse.directory.models import Organisation
from tests.directory.conftest import KREIS_LIPPE, STADT_RHEINE, line_of
from tests.factories import PersonFactory, UserFactory

LIPPE = KREIS_LIPPE.read_text(encoding="utf-8")
pytestmark = pytest.mark.django_db


def test_lippe_loads_its_purposes_statutes_and_immigration_offices(kreis_lippe):
    keys = set(Purpose.objects.filter(traeger__slug="kreis-lippe").values_list("key", flat=True))
    assert {
        "fallkonferenz",
        "zusteuerung-angebote",
        "weiterleitung-abh-bleiberecht",
        "einbuergerung",
        "arbeitsmarktintegration",
        "teilhabemanagement",
        "schulplatz-kita",
        "gesundheit",
    } <= keys
    statute = StatutoryBasis.objects.get(traeger__slug="kreis-lippe", key="sgb-x-69-1-1")
    assert statute.citation == "§ 69 Abs. 1 Nr. 1 SGB X"
    assert statute.allowed_roles == ["team_lead"]
    assert statute.allowed_recipient_kinds == ["authority"]
    assert [p.key for p in statute.purposes.all()] == ["arbeitsmarktintegration"]
    kinds = dict(
        Organisation.objects.filter(traeger__slug="kreis-lippe").values_list("key", "kind")
    )
    assert kinds["abh-kreis-lippe"] == kinds["abh-detmold"] == "immigration_office"
    assert kinds["jobcenter-lippe"] == "authority"
    assert kinds["vhs-detmold-lemgo"] == "education"
    # Reloading changes nothing.
    assert not config_load(path=KREIS_LIPPE).changed


def test_rheine_marks_its_abh(db):
    config_load(path=STADT_RHEINE)
    assert Organisation.objects.get(traeger__slug="stadt-rheine", key="abh-rheine").kind == (
        "immigration_office"
    )


def test_a_statute_naming_an_unknown_purpose_is_rejected(kreis_lippe, write_config):
    text = LIPPE.replace("    purposes: [arbeitsmarktintegration]", "    purposes: [vermittlung]")
    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(text, "statute.yaml"))
    [issue] = excinfo.value.issues
    assert issue.path[0] == "statutory_bases" and "vermittlung" in issue.message
    assert issue.line == line_of(text, "purposes: [vermittlung]")


def test_existing_consents_get_purposes_from_their_free_text_on_the_first_load(write_config):
    without = (
        LIPPE.split("\npurposes:")[0]
        + "\ninterview_guides:"
        + LIPPE.split("\ninterview_guides:")[1]
    )
    config_load(path=write_config(without, "without.yaml"))
    organisation = Organisation.objects.get(traeger__slug="kreis-lippe", key="servicestelle")
    # No test team post: the reload below removes what the file does not name.
    person = PersonFactory(traeger=organisation.traeger, organisation=organisation, post=None)
    user = UserFactory(traeger=organisation.traeger, organisation=organisation, roles=[])

    def consent(text: str) -> Consent:
        return Consent.objects.create(
            traeger=organisation.traeger,
            person=person,
            categories=["identity"],
            purpose=text,
            form="written",
            valid_from=dt.date(2026, 1, 1),
            text_version="EW-2026-1",
            document_id=f"EW-{uuid.uuid4().hex[:10].upper()}",
            recorded_by=user,
        )

    jobcenter = consent("Abstimmung der Vermittlung in Arbeit mit dem Jobcenter Lippe")
    vague = consent("Für alle Zwecke der Betreuung")

    config_load(path=KREIS_LIPPE)

    assert [p.key for p in jobcenter.purposes.all()] == ["arbeitsmarktintegration"]
    assert not vague.purposes.exists()
