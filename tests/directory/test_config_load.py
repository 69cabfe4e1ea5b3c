"""Loading is idempotent, keeps identity across renames and round-trips through dump."""

from __future__ import annotations

import pytest
import yaml

from lotse.directory.config import ConfigError, config_as_data, config_dump, config_load
from lotse.directory.config.parsing import ConfigYamlLoader
from lotse.directory.models import BodyMembership, Goal, Municipality, Organisation
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE, STADT_RHEINE
from tests.factories import UserFactory


def _read(path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=ConfigYamlLoader)  # noqa: S506


def _lippe_data() -> dict:
    return config_as_data(traeger=Traeger.objects.get(slug="kreis-lippe"))


@pytest.mark.django_db
def test_first_load_creates_everything(kreis_lippe):
    totals = kreis_lippe.totals
    assert kreis_lippe.changed
    assert totals.created > 300
    assert (totals.updated, totals.unchanged, totals.removed) == (0, 0, 0)
    assert kreis_lippe.sections["municipalities"].created == 16


@pytest.mark.django_db
def test_loading_twice_changes_nothing(kreis_lippe):
    before = config_dump(traeger_slug="kreis-lippe")
    loaded_at = Traeger.objects.get(slug="kreis-lippe").config_loaded_at

    again = config_load(path=KREIS_LIPPE)

    assert not again.changed
    totals = again.totals
    assert (totals.created, totals.updated, totals.removed) == (0, 0, 0)
    assert totals.unchanged == kreis_lippe.totals.created
    assert config_dump(traeger_slug="kreis-lippe") == before
    assert Traeger.objects.get(slug="kreis-lippe").config_loaded_at == loaded_at
    assert "Keine Änderungen" in again.as_text()


@pytest.mark.django_db
def test_rename_keeps_identity(kreis_lippe, write_config):
    luegde = Municipality.objects.get(key="luegde")
    goal = Goal.objects.get(key="arbeit-i")
    text = KREIS_LIPPE.read_text(encoding="utf-8")
    text = text.replace("    name: Lügde\n", "    name: Stadt Lügde\n")
    text = text.replace(
        "individuelles\n          Beratungsangebot", "persönliches\n          Beratungsangebot"
    )

    report = config_load(path=write_config(text))

    assert report.sections["municipalities"].updated == 1
    assert report.sections["municipalities"].created == 0
    assert report.sections["goals"].updated == 1
    renamed = Municipality.objects.get(key="luegde")
    assert renamed.pk == luegde.pk
    assert renamed.name == "Stadt Lügde"
    assert Municipality.objects.filter(traeger=luegde.traeger).count() == 16
    assert Goal.objects.get(key="arbeit-i").pk == goal.pk
    assert "persönliches" in Goal.objects.get(key="arbeit-i").title


@pytest.mark.django_db
def test_moving_a_municipality_to_another_sozialraum(kreis_lippe, write_config):
    text = KREIS_LIPPE.read_text(encoding="utf-8")
    text = text.replace(
        "[barntrup, doerentrup, extertal, kalletal]", "[doerentrup, extertal, kalletal]"
    )
    text = text.replace(
        "municipalities: [bad-salzuflen]", "municipalities: [bad-salzuflen, barntrup]"
    )

    config_load(path=write_config(text))

    assert Municipality.objects.get(key="barntrup").sozialraum.key == "sr-bad-salzuflen"


@pytest.mark.django_db
def test_unused_entries_missing_from_the_file_are_removed(kreis_lippe, write_config):
    data = _read(KREIS_LIPPE)
    qz = next(b for b in data["bodies"] if b["key"] == "qualitaetszirkel")
    qz["members"] = [m for m in qz["members"] if m["key"] != "qz-wohlfahrtsverbaende"]
    data["bodies"] = [b for b in data["bodies"] if b["key"] != "ag-mobilitaet"]

    report = config_load(path=write_config(yaml.safe_dump(data, allow_unicode=True)))

    assert report.sections["members"].removed == 1
    assert report.sections["bodies"].removed == 1
    assert not BodyMembership.objects.filter(key="qz-wohlfahrtsverbaende").exists()


@pytest.mark.django_db
def test_entry_still_in_use_is_not_removed(kreis_lippe, write_config):
    ihk = Organisation.objects.get(key="ihk")
    UserFactory(username="ihk-user", traeger=ihk.traeger, organisation=ihk)
    before = _lippe_data()
    data = _read(KREIS_LIPPE)
    data["organisations"] = [o for o in data["organisations"] if o["key"] != "ihk"]
    for body in data["bodies"]:
        body["members"] = [m for m in body.get("members", []) if m.get("organisation") != "ihk"]
    data["municipalities"][0]["name"] = "Augustdorf (geändert)"

    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(yaml.safe_dump(data, allow_unicode=True), "ohne-ihk.yaml"))

    message = str(excinfo.value)
    assert "ohne-ihk.yaml" in message
    assert "ihk" in message and "ihk-user" in message
    assert Organisation.objects.filter(key="ihk").exists()
    assert _lippe_data() == before  # nothing half-loaded, not even the rename


@pytest.mark.parametrize("path", [KREIS_LIPPE, STADT_RHEINE], ids=lambda p: p.name)
@pytest.mark.django_db
def test_dump_of_loaded_file_equals_the_file(path):
    report = config_load(path=path)

    dumped = yaml.load(config_dump(traeger_slug=report.traeger_slug), Loader=ConfigYamlLoader)  # noqa: S506

    assert dumped == _read(path)


@pytest.mark.django_db
def test_load_dump_load_round_trip(kreis_lippe, write_config):
    first = config_dump(traeger_slug="kreis-lippe")

    report = config_load(path=write_config(first, "dump.yaml"))

    assert not report.changed
    assert config_dump(traeger_slug="kreis-lippe") == first


@pytest.mark.django_db
def test_dump_into_fresh_database_reproduces_the_configuration(kreis_lippe, write_config):
    text = config_dump(traeger_slug="kreis-lippe").replace("slug: kreis-lippe", "slug: kreis-kopie")

    report = config_load(path=write_config(text, "kopie.yaml"))

    assert report.totals.created == kreis_lippe.totals.created
    copy = config_as_data(traeger=Traeger.objects.get(slug="kreis-kopie"))
    copy["traeger"]["slug"] = "kreis-lippe"
    assert copy == _lippe_data()


@pytest.mark.django_db
def test_dump_is_readable_german(kreis_lippe):
    text = config_dump(traeger_slug="kreis-lippe")
    assert "name: Lügde" in text
    assert "\\u" not in text and "\\xFC" not in text


@pytest.mark.django_db
def test_school_holidays_are_kept(write_config):
    text = STADT_RHEINE.read_text(encoding="utf-8").replace(
        "  - {name: Herbstferien 2024, start: 2024-10-14, end: 2024-10-26}\n",
        "  - {name: Herbstferien 2024, start: 2024-10-14, end: 2024-10-27}\n",
        1,
    )
    config_load(path=write_config(text))
    holidays = Traeger.objects.get(slug="stadt-rheine").school_holidays
    assert {"name": "Herbstferien 2024", "start": "2024-10-14", "end": "2024-10-27"} in holidays
    dumped = config_dump(traeger_slug="stadt-rheine")
    assert "name: Herbstferien 2024\n    start: 2024-10-14\n    end: 2024-10-27" in dumped
