"""YAML syntax errors in German, at the line and column to edit (not where PyYAML gave up)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from lotse.directory.config import ConfigError, read_config

GOOD = """format_version: 1
traeger:
  slug: stadt-beispiel
  name: Stadt Beispiel
  kind: stadt
config:
  version: "1"
municipalities:
  - key: beispiel
    name: Beispiel
    own_youth_office: true
"""


def _error(write_config, text: str) -> tuple[int | None, int | None, str, str]:
    with pytest.raises(ConfigError) as excinfo:
        read_config(path=write_config(text, "beispiel.yaml"))
    [issue] = excinfo.value.issues
    return issue.line, issue.column, issue.message, str(excinfo.value)


def test_the_example_itself_is_valid(write_config):
    assert read_config(path=write_config(GOOD)).data["traeger"]["slug"] == "stadt-beispiel"


@pytest.mark.parametrize(
    ("broken", "replacement", "line", "column", "message"),
    [
        # The quote opened on line 4 runs to the end of the file: line 4 is the one to fix.
        ("  name: Stadt Beispiel", '  name: "Stadt Beispiel', 4, 9, "Anführungszeichen"),
        ("    name: Beispiel", "    name: [Beispiel", 10, 11, "Klammer „[“"),
        ('  version: "1"', '\tversion: "1"', 7, 1, "Tabulator"),
        ("  kind: stadt", "  kind stadt", 5, 3, "Doppelpunkt"),
        ("    own_youth_office: true", "   own_youth_office: true", 11, 4, "Einrückung"),
        ("  name: Stadt Beispiel", "  name: @Beispiel", 4, 9, "„@“"),
    ],
    ids=["quote", "bracket", "tab", "colon", "indentation", "at-sign"],
)
def test_syntax_errors_name_line_and_column_in_german(
    write_config, broken, replacement, line, column, message
):
    text = GOOD.replace(broken, replacement, 1)
    assert text != GOOD
    found_line, found_column, text_of_issue, rendered = _error(write_config, text)
    assert (found_line, found_column) == (line, column)
    assert message in text_of_issue
    assert f"beispiel.yaml, Zeile {line}, Spalte {column}: " in rendered
    assert "expected" not in rendered and "while" not in rendered


def test_loadconfig_reports_the_syntax_error_in_german(write_config):
    path = write_config(GOOD.replace("    name: Beispiel", "    name: [Beispiel"), "kaputt.yaml")
    with pytest.raises(CommandError) as excinfo:
        call_command("loadconfig", "--check", str(path))
    assert "kaputt.yaml, Zeile 10, Spalte 11: Die Klammer „[“ wird nicht geschlossen" in str(
        excinfo.value
    )
