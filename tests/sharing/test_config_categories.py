"""The data category of a field of action: configuration file → database → dump."""

from __future__ import annotations

import pytest

from lotse.directory.config import ConfigError, config_as_data, config_load
from lotse.directory.models import FieldOfAction
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE, STADT_RHEINE, line_of

pytestmark = pytest.mark.django_db


def _categories(slug: str) -> dict[str, str]:
    return dict(
        FieldOfAction.objects.filter(traeger__slug=slug).values_list("key", "data_category")
    )


def test_the_shipped_regions_map_every_field_of_action_to_a_category():
    config_load(path=KREIS_LIPPE)
    config_load(path=STADT_RHEINE)

    assert _categories("kreis-lippe") == {
        "arbeit": "education_work",
        "sprache": "education_work",
        "kita-schule": "education_work",
        "soziale-teilhabe": "benefits",
        "gesundheit": "health",
    }
    assert _categories("stadt-rheine") == {
        "spracherwerb": "education_work",
        "arbeit-ausbildung-qualifizierung": "education_work",
    }


def test_the_dump_carries_the_category_and_an_empty_one_is_left_out():
    config_load(path=KREIS_LIPPE)
    FieldOfAction.objects.filter(key="kita-schule").update(data_category="")

    data = config_as_data(traeger=Traeger.objects.get(slug="kreis-lippe"))
    fields = {item["key"]: item for item in data["fields_of_action"]}

    assert fields["gesundheit"]["data_category"] == "health"
    assert "data_category" not in fields["kita-schule"]


def test_an_unknown_category_is_refused_at_its_line(tmp_path):
    text = KREIS_LIPPE.read_text(encoding="utf-8").replace(
        "    data_category: health", "    data_category: gesundheitsdaten"
    )
    path = tmp_path / "lippe.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        config_load(path=path)

    [issue] = error.value.issues
    assert issue.path[-1] == "data_category"
    assert issue.line == line_of(text, "data_category: gesundheitsdaten")
    assert not FieldOfAction.objects.exists()
