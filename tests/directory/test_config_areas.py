"""A city splits itself into Sozialräume by postcodes (e.g. Dortmund's Stadtbezirke, issue 9)."""

from __future__ import annotations

import pytest

from lotse.directory.config import ConfigError, config_load
from lotse.directory.config.dumper import config_dump
from lotse.directory.models import Municipality, Sozialraum, SozialraumArea
from lotse.teams.selectors import sozialraum_for
from tests.directory.conftest import KREIS_LIPPE, line_of

pytestmark = pytest.mark.django_db

LIPPE = KREIS_LIPPE.read_text(encoding="utf-8")

# Detmold gets two districts: the north-west postcodes go to their own Sozialraum.
SPLIT = LIPPE.replace(
    "sozialraeume:\n",
    """sozialraeume:
  - key: sr-detmold-nordwest
    name: Sozialraum Detmold-Nordwest
    areas:
      - key: detmold-nordwest
        municipality: detmold
        name: Detmold-Nordwest (Hiddesen, Heidenoldendorf)
        postcodes: ["32758", "32760"]
""",
    1,
)


def test_postcode_areas_are_loaded_dumped_and_decide_the_sozialraum(write_config):
    report = config_load(path=write_config(SPLIT, "kreis-lippe-split.yaml"))
    assert report.sections["areas"].created == 1
    detmold = Municipality.objects.get(key="detmold")
    area = SozialraumArea.objects.get(key="detmold-nordwest")
    assert area.municipality == detmold and area.postcodes == ["32758", "32760"]
    assert sozialraum_for(municipality=detmold, postcode="32760").key == "sr-detmold-nordwest"
    assert sozialraum_for(municipality=detmold, postcode="32756") == Sozialraum.objects.get(
        pk=detmold.sozialraum_id
    )
    dumped = config_dump(traeger_slug=detmold.traeger.slug)
    assert "detmold-nordwest" in dumped and "32758" in dumped


def test_a_postcode_in_two_areas_is_refused_at_its_line(write_config):
    text = SPLIT.replace(
        """        postcodes: ["32758", "32760"]
""",
        """        postcodes: ["32758", "32760"]
      - key: detmold-hiddesen
        municipality: detmold
        postcodes: ["32760"]
""",
        1,
    )
    with pytest.raises(ConfigError) as error:
        config_load(path=write_config(text, "twice.yaml"))
    [issue] = error.value.issues
    assert issue.line == line_of(text, 'postcodes: ["32760"]')
    assert "32760" in issue.message
