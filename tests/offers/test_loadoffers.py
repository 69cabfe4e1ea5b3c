"""``lotse loadoffers``: the shipped Kreis Lippe catalogue, idempotence, errors store nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lotse.directory.config import config_load
from lotse.directory.models import Municipality, ResidenceStatusType
from lotse.offers.eligibility import check, client_facts
from lotse.offers.models import Offer
from lotse.offers.selectors import with_conditions
from lotse.people.models import ResidenceStatusRecord
from lotse.tenancy.models import Traeger
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "config" / "kreis-lippe-angebote.yaml"


@pytest.fixture
def lippe(db):
    config_load(path=ROOT / "config" / "kreis-lippe.yaml")
    return Traeger.objects.get(slug="kreis-lippe")


def test_the_shipped_catalogue_loads_and_reloads_without_duplicates(lippe):
    call_command("loadoffers", str(CATALOGUE))
    count = Offer.objects.filter(traeger=lippe).count()
    assert count >= 12
    call_command("loadoffers", str(CATALOGUE))

    assert Offer.objects.filter(traeger=lippe).count() == count
    course = Offer.objects.get(traeger=lippe, key="integrationskurs-vhs-detmold-lemgo")
    assert course.version == 1 and course.access_paths.count() == 3


def test_the_main_countries_rule_from_the_file(lippe):
    call_command("loadoffers", str(CATALOGUE))
    course = with_conditions(Offer.objects.filter(key="integrationskurs-vhs-detmold-lemgo")).get()

    detmold = Municipality.objects.get(traeger=lippe, key="detmold")
    gestattung = ResidenceStatusType.objects.get(traeger=lippe, key="aufenthaltsgestattung")
    organisation = OrganisationFactory(traeger=lippe)

    def asylum_seeker(nationality: str):
        case = CaseFactory(traeger=lippe, organisation=organisation)
        person = case.person
        person.nationalities, person.municipality = [nationality], detmold
        person.save()
        ResidenceStatusRecord.objects.create(
            traeger=lippe, person=person, status=gestattung, valid_from=timezone.localdate()
        )
        return client_facts(person, timezone.localdate())

    assert check(course, asylum_seeker("ER")).eligible
    assert not check(course, asylum_seeker("AF")).eligible


def test_offers_missing_from_the_file_are_deactivated(lippe, tmp_path):
    call_command("loadoffers", str(CATALOGUE))
    short = tmp_path / "kurz.yaml"
    short.write_text(
        "traeger: kreis-lippe\noffers:\n"
        "  - {key: sprachcafe-ehrenamt, kind: language_support, title: Sprachcafés}\n",
        encoding="utf-8",
    )
    call_command("loadoffers", str(short))

    active = Offer.objects.filter(traeger=lippe, active=True)
    assert list(active.values_list("key", flat=True)) == ["sprachcafe-ehrenamt"]
    assert Offer.objects.filter(traeger=lippe, active=False).count() >= 12


def test_a_broken_file_stores_nothing_and_names_every_problem(lippe, tmp_path):
    broken = tmp_path / "kaputt.yaml"
    broken.write_text(
        "traeger: kreis-lippe\noffers:\n"
        "  - {key: gut, kind: counselling, title: Gut}\n"
        "  - {key: a, kind: unbekannt, title: A}\n"
        "  - {key: b, kind: other, title: B, provider: gibt-es-nicht, farbe: rot}\n"
        "  - {key: c, kind: other, title: C, access_paths: [{label: X, nationalities: [Syrien]}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("loadoffers", str(broken))

    message = str(error.value)
    for fragment in ("unbekannt", "gibt-es-nicht", "farbe", "SYRIEN"):
        assert fragment in message
    assert not Offer.objects.exists()


def test_unknown_traeger(tmp_path, db):
    file = tmp_path / "x.yaml"
    file.write_text("traeger: nirgendwo\noffers: []\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("loadoffers", str(file))
