"""Invalid files are rejected whole, with file name, line and path of every problem."""

from __future__ import annotations

import pytest

from lotse.directory.config import ConfigError, config_as_data, config_load, read_config
from lotse.tenancy.models import Traeger
from tests.directory.conftest import KREIS_LIPPE, line_of

LIPPE = KREIS_LIPPE.read_text(encoding="utf-8")


def _reject(write_config, text: str, name: str) -> ConfigError:
    """Load a broken file over an already loaded Kreis Lippe and check nothing changed."""
    before = config_as_data(traeger=Traeger.objects.get(slug="kreis-lippe"))
    with pytest.raises(ConfigError) as excinfo:
        config_load(path=write_config(text, name))
    assert config_as_data(traeger=Traeger.objects.get(slug="kreis-lippe")) == before
    error = excinfo.value
    assert error.filename == name
    assert name in str(error)
    return error


@pytest.mark.django_db
def test_yaml_syntax_error(kreis_lippe, write_config):
    text = LIPPE.replace("  - key: lemgo\n    name: Lemgo\n", "  - key: lemgo\n    name: [Lemgo\n")
    error = _reject(write_config, text, "syntax.yaml")
    [issue] = error.issues
    opened = line_of(text, "name: [Lemgo")
    # The parser notices the unclosed bracket on the next line; the place to edit is where it
    # was opened.
    assert (issue.line, issue.column) == (opened, len("    name: ["))
    assert f"Zeile {opened + 1}" in issue.message
    assert "Klammer „[“ wird nicht geschlossen" in issue.message
    assert f"syntax.yaml, Zeile {opened}, Spalte 11: Die Klammer" in str(error)


@pytest.mark.django_db
def test_schema_violation_names_line_and_path(kreis_lippe, write_config):
    text = LIPPE.replace("email: k.meier@jobcenter-lippe.example", "email: k.meier-at-jobcenter")
    error = _reject(write_config, text, "schema.yaml")
    [issue] = error.issues
    assert issue.line == line_of(text, "email: k.meier-at-jobcenter")
    organisations = [line for line in text.splitlines() if line.startswith("  - key: ")]
    assert organisations  # sanity: the file lists items at this indentation
    index = [o["key"] for o in read_config(path=KREIS_LIPPE).data["organisations"]].index(
        "jobcenter-lippe"
    )
    assert issue.path == ("organisations", index, "contacts", 0, "email")
    rendered = str(error)
    assert f"schema.yaml, Zeile {issue.line} (organisations[{index}].contacts[0].email)" in rendered
    assert "k.meier-at-jobcenter" in rendered


@pytest.mark.django_db
def test_several_schema_violations_are_all_reported(kreis_lippe, write_config):
    text = LIPPE.replace("    target_caseload: 100\n", "    target_caseload: viele\n", 1)
    text = text.replace("  kind: kreis\n", "  kind: landkreis\n")
    text = text.replace("unit: school_weeks", "unit: schoolweeks")
    error = _reject(write_config, text, "several.yaml")
    lines = sorted(issue.line for issue in error.issues)
    assert lines == sorted(
        [
            line_of(text, "target_caseload: viele"),
            line_of(text, "kind: landkreis"),
            line_of(text, "unit: schoolweeks"),
        ]
    )


@pytest.mark.django_db
def test_unknown_field_is_reported(kreis_lippe, write_config):
    text = LIPPE.replace("    own_youth_office: true\n", "    own_youth_ofice: true\n", 1)
    error = _reject(write_config, text, "typo.yaml")
    [issue] = error.issues
    assert issue.line == line_of(text, "own_youth_ofice")
    assert "own_youth_ofice" in issue.message


@pytest.mark.django_db
def test_invalid_deadline_form(kreis_lippe, write_config):
    text = LIPPE.replace(
        "deadline: {from: registration, within: 6, unit: weeks, milestone: sprachstandstest}",
        "deadline: {from: registration, within: 6, milestone: sprachstandstest}",
    )
    error = _reject(write_config, text, "deadline.yaml")
    [issue] = error.issues
    assert issue.line == line_of(text, "milestone: sprachstandstest")
    assert issue.path[-1] == "deadline"


@pytest.mark.django_db
def test_unknown_reference(kreis_lippe, write_config):
    text = LIPPE.replace(
        "municipalities: [blomberg, horn-bad-meinberg, luegde, schieder-schwalenberg]",
        "municipalities: [blomberg, horn-bad-meinberg, luegde, schieder]",
    )
    error = _reject(write_config, text, "reference.yaml")
    [issue] = error.issues
    assert issue.line == line_of(text, "luegde, schieder]")
    assert issue.path == ("sozialraeume", 1, "municipalities", 3)
    assert "schieder" in issue.message


@pytest.mark.django_db
def test_unknown_organisation_in_body_membership(kreis_lippe, write_config):
    text = LIPPE.replace("organisation: bezreg-detmold", "organisation: bezirksregierung")
    error = _reject(write_config, text, "member.yaml")
    [issue] = error.issues
    assert issue.line == line_of(text, "organisation: bezirksregierung")
    assert issue.path[0] == "bodies" and issue.path[-1] == "organisation"


@pytest.mark.django_db
def test_duplicate_item_key(kreis_lippe, write_config):
    text = LIPPE.replace("  - key: kalletal\n", "  - key: extertal\n", 1)
    error = _reject(write_config, text, "duplicate.yaml")
    lines = {issue.line for issue in error.issues}
    assert line_of(text, "  - key: extertal", 2) in lines
    duplicate = next(i for i in error.issues if i.line == line_of(text, "  - key: extertal", 2))
    assert str(line_of(text, "  - key: extertal", 1)) in duplicate.message


@pytest.mark.django_db
def test_duplicate_mapping_key(kreis_lippe, write_config):
    text = LIPPE.replace("  name: Kreis Lippe\n", "  name: Kreis Lippe\n  name: Kreis Detmold\n", 1)
    error = _reject(write_config, text, "mapping.yaml")
    [issue] = error.issues
    assert issue.line == line_of(text, "name: Kreis Detmold")
    assert issue.path == ("traeger", "name")


@pytest.mark.django_db
def test_municipality_in_two_sozialraeume(kreis_lippe, write_config):
    text = LIPPE.replace("municipalities: [bad-salzuflen]", "municipalities: [bad-salzuflen, lage]")
    error = _reject(write_config, text, "twice.yaml")
    [issue] = error.issues
    assert issue.line == line_of(text, "municipalities: [lage, lemgo]")


@pytest.mark.django_db
def test_provider_completeness(kreis_lippe, write_config):
    text = LIPPE.replace("    not_covered: [barntrup]\n", "    not_covered: []\n")
    error = _reject(write_config, text, "coverage.yaml")
    [issue] = error.issues
    assert "barntrup" in issue.message
    assert issue.line == line_of(text, "not_covered: []")


@pytest.mark.django_db
def test_wrong_format_version(kreis_lippe, write_config):
    error = _reject(
        write_config, LIPPE.replace("format_version: 1", "format_version: 2"), "v2.yaml"
    )
    [issue] = error.issues
    assert issue.line == line_of(LIPPE, "format_version: 1")


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ConfigError) as excinfo:
        read_config(path=tmp_path / "gibt-es-nicht.yaml")
    assert "gibt-es-nicht.yaml" in str(excinfo.value)


def test_empty_and_non_mapping_files(write_config):
    for text in ["", "- eins\n- zwei\n"]:
        with pytest.raises(ConfigError):
            read_config(path=write_config(text))
