"""Controller and DPO of the Art. 13 sheet come from the Träger's configuration file."""

from __future__ import annotations

import pytest
import yaml

from lotse.consent.models import PrivacyNoticeSettings
from lotse.consent.selectors import notice_parties
from lotse.directory.config import ConfigError, config_as_data, config_load
from lotse.tenancy.models import Traeger
from tests.directory.conftest import STADT_RHEINE

MINIMAL = """\
format_version: 1
traeger:
  slug: stadt-dortmund
  name: Stadt Dortmund
  kind: kreisfreie_stadt
  state: NW
{extra}
config:
  version: "1"
municipalities:
  - {{key: dortmund, name: Dortmund}}
"""

PARTIES = """\
  controller:
    name: Stadt Dortmund – Der Oberbürgermeister
    address: "Friedensplatz 1, 44135 Dortmund"
    email: info@dortmund.example
    phone: "0231 50-0"
  data_protection_officer:
    name: Behördlicher Datenschutzbeauftragter der Stadt Dortmund
    email: datenschutz@dortmund.example"""


@pytest.mark.django_db
def test_the_shipped_files_name_controller_and_dpo(kreis_lippe):
    parties = notice_parties(Traeger.objects.get(slug="kreis-lippe"))

    assert parties.configured and parties.dpo_configured
    assert parties.controller_address == "Felix-Fechenbach-Straße 5, 32756 Detmold"
    assert parties.dpo_email == "datenschutz@kreis-lippe.de"
    assert not [note for note in kreis_lippe.notes if "Art. 13" in note]
    config_load(path=STADT_RHEINE)
    assert notice_parties(Traeger.objects.get(slug="stadt-rheine")).dpo_configured


@pytest.mark.django_db
def test_loading_writes_the_settings_and_dumps_them_back(write_config):
    report = config_load(path=write_config(MINIMAL.format(extra=PARTIES)))

    row = PrivacyNoticeSettings.objects.get(traeger__slug="stadt-dortmund")
    assert (row.controller_name, row.controller_phone) == (
        "Stadt Dortmund – Der Oberbürgermeister",
        "0231 50-0",
    )
    assert (row.dpo_email, row.dpo_address) == ("datenschutz@dortmund.example", "")
    assert report.sections["privacy_notice"].created == 1
    dumped = config_as_data(traeger=Traeger.objects.get(slug="stadt-dortmund"))["traeger"]
    assert dumped["data_protection_officer"] == yaml.safe_load(PARTIES)["data_protection_officer"]
    assert dumped["controller"]["address"] == "Friedensplatz 1, 44135 Dortmund"


@pytest.mark.django_db
def test_without_them_loadconfig_notes_what_is_missing(write_config):
    report = config_load(path=write_config(MINIMAL.format(extra="")))

    notes = [note for note in report.notes if "Art. 13" in note]
    assert len(notes) == 1
    assert "traeger.controller, traeger.data_protection_officer" in notes[0]
    assert "nicht konfiguriert" in notes[0]
    assert not PrivacyNoticeSettings.objects.filter(traeger__slug="stadt-dortmund").exists()


@pytest.mark.django_db
def test_a_dpo_without_any_contact_is_refused(write_config):
    extra = "  data_protection_officer:\n    name: Datenschutz"

    with pytest.raises(ConfigError):
        config_load(path=write_config(MINIMAL.format(extra=extra)))
